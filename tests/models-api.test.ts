/**
 * The models procedures (app/_server/routers/models.ts) against a real PostgreSQL: list and search,
 * one model with its versions and ledger, promote and roll back with their ledger and audit entries,
 * and the refusals: viewers and editors may not move an alias, and a refused call changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/roles';
import { appRouter } from '../app/_server/root';
import type { Services } from '../app/_server/services';
import { createCallerFactory } from '../app/_server/trpc';
import { headlineMetric } from '../cli/model-view';
import { readEnv, serveUrl } from '../config/env';
import { listModels } from '../db/queries/model-listing';
import { createPipeline } from '../db/queries/pipelines';
import { ensureModel, insertModelVersion } from '../db/queries/registry';
import { createTestDatabase, type TestDatabase } from './support/database';
import { seedModel, versionFields } from './support/models';
import { pipelineDoc } from './support/pipeline-doc';
import { databaseOnlyServices, testActor, testContext } from './support/services';
import { storedRun } from './support/stored-runs';
import { rejection } from './support/trpc-rejection';

let database: TestDatabase;
let services: Services;

beforeAll(async () => {
  database = await createTestDatabase();
  services = databaseOnlyServices(database);
  const churn = await seedModel(
    database.sql,
    'churn',
    [
      { metrics: { accuracy: 0.81, f1: 0.7 } },
      { metrics: { accuracy: 0.86, f1: 0.74 } },
      { metrics: { accuracy: 0.9, f1: 0.8 } },
    ],
    { description: 'Who leaves next month' },
  );
  await seedModel(database.sql, 'house-price', [{ metrics: { r2: 0.72, rmse: 31000 } }]);
  await database.sql`insert into model_tags (model_id, tag) values (${churn.id}, 'retail')`;
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

function callerAs(role: Role) {
  return createCallerFactory(appRouter)(testContext(services, testActor(role)));
}

describe('models procedures', () => {
  it('promotes with a reason, lists with aliases and headline metric, and searches by text, tag and alias', async () => {
    const operator = callerAs('operator');
    const moved = await operator.models.promote({
      name: 'churn',
      version: 2,
      alias: 'production',
      reason: 'Beats the baseline on the holdout',
    });
    expect(moved).toEqual({ model: 'churn', alias: 'production', from: null, to: 2 });
    await operator.models.promote({ name: 'CHURN', version: 3, alias: 'staging', reason: 'Try it first' });

    const viewer = callerAs('viewer');
    const all = await viewer.models.list({});
    expect(all.items.map((model) => model.name)).toEqual(['churn', 'house-price']);
    const churn = all.items[0];
    expect(churn?.production).toEqual({ version: 2, metrics: { accuracy: 0.86, f1: 0.74 } });
    expect(churn?.staging?.version).toBe(3);
    expect(churn?.headline).toEqual({ name: 'accuracy', value: 0.86, version: 2 });
    expect(churn?.tags).toEqual(['retail']);
    expect(all.items[1]?.headline).toBeNull();
    expect(all.nextCursor).toBeUndefined();

    const names = async (input: Parameters<typeof viewer.models.list>[0]) =>
      (await viewer.models.list(input)).items.map((model) => model.name);
    expect(await names({ search: 'LEAVES' })).toEqual(['churn']);
    expect(await names({ search: 'house' })).toEqual(['house-price']);
    expect(await names({ tag: 'retail' })).toEqual(['churn']);
    expect(await names({ alias: 'production' })).toEqual(['churn']);
    expect(await names({ search: 'nothing like this' })).toEqual([]);

    const first = await viewer.models.list({ limit: 1 });
    expect(first.items.map((model) => model.name)).toEqual(['churn']);
    expect(first.nextCursor).toBeDefined();
    expect(await names({ limit: 1, cursor: first.nextCursor })).toEqual(['house-price']);
    expect(await viewer.models.names()).toEqual(['churn', 'house-price']);
  });

  it('shows a model with its aliases, serving URL, the versions Try it can call, versions and ledger', async () => {
    const viewer = callerAs('viewer');
    const shown = await viewer.models.show({ name: 'Churn' });
    expect(shown).toMatchObject({
      name: 'churn',
      description: 'Who leaves next month',
      tags: ['retail'],
      aliases: { production: 2, staging: 3 },
      rollbackTo: { production: null, staging: null },
      latestVersion: 3,
      serveUrl: serveUrl(readEnv()).origin,
    });
    expect(shown.tryable.map((each) => [each.target, each.version])).toEqual([
      ['production', 2],
      ['staging', 3],
    ]);
    expect(shown.tryable[0]?.signature.inputs.map((input) => input.name)).toEqual(['tenure', 'plan']);

    const versions = await viewer.models.versions({ name: 'churn', limit: 2 });
    expect(versions.items.map((version) => [version.version, version.aliases])).toEqual([
      [3, ['staging']],
      [2, ['production']],
    ]);
    expect(versions.items[0]?.metrics).toEqual({ accuracy: 0.9, f1: 0.8 });
    expect(versions.items[0]?.gates).toEqual([{ description: 'accuracy ≥ 0.7', passed: true }]);
    expect(versions.nextCursor).toBe(2);
    const rest = await viewer.models.versions({ name: 'churn', cursor: 2 });
    expect(rest.items.map((version) => version.version)).toEqual([1]);
    expect(rest.nextCursor).toBeUndefined();

    const ledger = await viewer.models.ledger({ name: 'churn' });
    expect(ledger.map((entry) => [entry.alias, entry.fromVersion, entry.toVersion, entry.reason])).toEqual([
      ['staging', null, 3, 'Try it first'],
      ['production', null, 2, 'Beats the baseline on the holdout'],
    ]);
    expect(ledger[0]).toMatchObject({
      actorKind: 'user',
      actorId: 'test-operator',
      actorEmail: 'operator@example.test',
    });

    // A model without aliases can still be tried: its latest version, by number.
    const unaliased = await viewer.models.show({ name: 'house-price' });
    expect(unaliased.tryable.map((each) => [each.target, each.version])).toEqual([['version', 1]]);

    const badCursor = await rejection(
      viewer.models.list({ cursor: { updatedAt: "1'; drop table users; --", id: shown.id } }),
    );
    expect(badCursor.code).toBe('BAD_REQUEST');
    expect(badCursor.message).toBe('cursor.updatedAt: Pass the nextCursor of the previous page');

    const missing = await rejection(viewer.models.show({ name: 'no-such-model' }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toBe('There is no model named no-such-model.');
  });

  it('rolls back to the version before, audits both moves, and explains what cannot be done', async () => {
    const operator = callerAs('operator');
    await operator.models.promote({
      name: 'churn',
      version: 3,
      alias: 'production',
      reason: 'Staging held up',
    });
    expect((await operator.models.show({ name: 'churn' })).rollbackTo).toEqual({
      production: 2,
      staging: null,
    });
    const back = await operator.models.rollback({
      name: 'churn',
      alias: 'production',
      reason: 'Complaints about v3',
    });
    expect(back).toEqual({ model: 'churn', alias: 'production', from: 3, to: 2 });
    // Rolled back to the version before its first promotion: nothing further back.
    expect((await operator.models.show({ name: 'churn' })).rollbackTo.production).toBeNull();
    const audit = await database.sql<{ action: string; actorEmail: string; objectLabel: string }[]>`
      select action, actor_email as "actorEmail", object_label as "objectLabel" from audit_log
      where object_type = 'model' order by id desc`;
    expect(audit.slice(0, 2).map((entry) => [entry.action, entry.actorEmail, entry.objectLabel])).toEqual([
      ['model.rolled-back', 'operator@example.test', 'churn'],
      ['model.promoted', 'operator@example.test', 'churn'],
    ]);

    const noReason = await rejection(
      operator.models.promote({ name: 'churn', version: 1, alias: 'production', reason: '   ' }),
    );
    expect(noReason.code).toBe('BAD_REQUEST');
    expect(noReason.message).toBe('Give a reason: the ledger keeps it.');
    const same = await rejection(
      operator.models.promote({ name: 'churn', version: 2, alias: 'production', reason: 'again' }),
    );
    expect(same.code).toBe('CONFLICT');
    expect(same.message).toBe("Version 2 is already churn's production version.");
    const noVersion = await rejection(
      operator.models.promote({ name: 'churn', version: 42, alias: 'production', reason: 'x' }),
    );
    expect(noVersion.code).toBe('NOT_FOUND');
    expect(noVersion.message).toBe('churn has no version 42.');
    const first = await rejection(
      operator.models.rollback({ name: 'house-price', alias: 'production', reason: 'x' }),
    );
    expect(first.code).toBe('CONFLICT');
    expect(first.message).toBe('house-price has no production version to roll back.');
    const badName = await rejection(operator.models.show({ name: '../etc' }));
    expect(badName.code).toBe('BAD_REQUEST');
    expect(badName.message).toMatch(/^name: A model name has 1 to 100 letters/);
  });

  it('refuses viewers and editors a promotion or rollback, changing nothing; editors may edit tags', async () => {
    const before = await ledgerSize();
    for (const role of ['viewer', 'editor'] as const) {
      const caller = callerAs(role);
      const promote = await rejection(
        caller.models.promote({ name: 'churn', version: 1, alias: 'production', reason: 'mine' }),
      );
      expect(promote.code).toBe('FORBIDDEN');
      expect(promote.message).toMatch(/may not promote models/);
      const rollback = await rejection(
        caller.models.rollback({ name: 'churn', alias: 'production', reason: 'mine' }),
      );
      expect(rollback.code).toBe('FORBIDDEN');
    }
    expect(await ledgerSize()).toBe(before);
    expect((await callerAs('viewer').models.show({ name: 'churn' })).aliases.production).toBe(2);

    const viewerTags = await rejection(callerAs('viewer').models.setTags({ name: 'churn', tags: ['x'] }));
    expect(viewerTags.code).toBe('FORBIDDEN');
    const editor = callerAs('editor');
    expect(await editor.models.setTags({ name: 'churn', tags: ['weekly', 'retail', 'weekly'] })).toEqual({
      name: 'churn',
      tags: ['retail', 'weekly'],
    });
    await editor.models.setDescription({ name: 'churn', description: '  Churn risk  ' });
    expect(await callerAs('viewer').models.show({ name: 'churn' })).toMatchObject({
      tags: ['retail', 'weekly'],
      description: 'Churn risk',
    });
    const anonymous = createCallerFactory(appRouter)(testContext(services, null));
    expect((await rejection(anonymous.models.list({}))).code).toBe('UNAUTHORIZED');
  });
});

async function ledgerSize(): Promise<number> {
  const [row] = await database.sql<{ count: number }[]>`select count(*)::int as count from promotion_ledger`;
  return row?.count ?? 0;
}

describe('the Models list headline', () => {
  it('is the metric the Runs page shows for the run that registered the version: the gated f1, not accuracy', async () => {
    const graph = pipelineDoc(
      [
        { id: 'train', type: 'train' },
        { id: 'check', type: 'evaluate', config: { gates: [{ metric: 'f1', operator: '>=', value: 0.5 }] } },
      ],
      ['train.model->check.model'],
    );
    const created = await createPipeline(database.db, { name: 'Gated on f1', graph });
    const metrics = { accuracy: 0.91, f1: 0.77 };
    const runId = await storedRun(database.db, {
      versionId: created.version.id,
      pipelineId: created.pipeline.id,
      at: '2026-03-01T10:00:00Z',
      summary: { rows: 30, metrics },
      trainMs: 10,
    });
    const model = await ensureModel(database.sql, { name: 'fraud-gated', description: '', ownerId: null });
    await insertModelVersion(database.sql, model.id, {
      ...versionFields({ metrics }),
      runId,
      nodeId: 'check',
      pipelineVersionId: created.version.id,
    });
    // An imported version (no run) beside it keeps accuracy.
    await seedModel(database.sql, 'fraud-imported', [{ metrics }]);
    const operator = callerAs('operator');
    for (const name of ['fraud-gated', 'fraud-imported']) {
      await operator.models.promote({ name, version: 1, alias: 'production', reason: 'First' });
    }

    const runs = await callerAs('viewer').history.list({ filters: { pipelineId: created.pipeline.id } });
    expect(runs.items.map((run) => run.mainMetric)).toEqual([{ name: 'f1', value: 0.77 }]);
    const listed = await callerAs('viewer').models.list({ search: 'fraud-' });
    expect(listed.items.map((item) => [item.name, item.headline])).toEqual([
      ['fraud-imported', { name: 'accuracy', value: 0.91, version: 1 }],
      ['fraud-gated', { name: 'f1', value: 0.77, version: 1 }],
    ]);

    // `pipewright models list` headlines the same figure.
    const [gated] = await listModels(database.sql, { text: 'fraud-gated', limit: 1 });
    expect(
      gated?.production && headlineMetric(gated.production.metrics, gated.production.mainMetricName),
    ).toEqual({
      name: 'f1',
      value: 0.77,
    });
  });
});
