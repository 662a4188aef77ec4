import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels, listModelVersions, setModelTags } from '../db/queries/model-listing';
import { ensureModel, insertModelVersion, listLedger, modelAliasVersions } from '../db/queries/registry';
import {
  ModelRequestError,
  type PromotionActor,
  promoteVersion,
  rollbackAlias,
} from '../runtime/models/promotion';
import { createTestDatabase, type TestDatabase } from './support/database';
import { lockWaiters } from './support/lock-waiters';
import { versionFields } from './support/models';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function addVersion(modelId: string, accuracy: number) {
  return insertModelVersion(database.sql, modelId, versionFields({ metrics: { accuracy } }));
}

const operator: PromotionActor = {
  ledger: { actorKind: 'cli', actorId: null, actorEmail: 'ops@example.com' },
  audit: { actorKind: 'cli', actorId: null, actorEmail: 'ops@example.com' },
};

describe('model listing and promotion', () => {
  it('lists models with the versions their aliases point to, and filters by text, tag and alias', async () => {
    const churn = await ensureModel(database.sql, {
      name: 'churn',
      description: 'Who leaves',
      ownerId: null,
    });
    const price = await ensureModel(database.sql, { name: 'price', ownerId: null });
    for (const accuracy of [0.8, 0.85, 0.9]) await addVersion(churn.id, accuracy);
    await addVersion(price.id, 0.5);
    await setModelTags(database.sql, churn.id, ['retail', 'weekly']);
    const handles = { sql: database.sql, db: database.db };
    await promoteVersion(
      handles,
      { model: 'CHURN', version: 2, alias: 'production', reason: 'first' },
      operator,
    );
    await promoteVersion(handles, { model: 'churn', version: 3, alias: 'staging', reason: 'try' }, operator);

    const all = await listModels(database.sql, { limit: 10 });
    expect(all.map((model) => model.name)).toEqual(['churn', 'price']);
    const [first] = all;
    expect(first?.versionCount).toBe(3);
    expect(first?.latestVersion).toBe(3);
    expect(first?.tags).toEqual(['retail', 'weekly']);
    expect(first?.production).toMatchObject({ version: 2, metrics: { accuracy: 0.85 } });
    expect(first?.staging).toMatchObject({ version: 3 });
    expect(all[1]?.production).toBeNull();

    expect((await listModels(database.sql, { limit: 10, text: 'LEAVES' })).map((m) => m.name)).toEqual([
      'churn',
    ]);
    expect((await listModels(database.sql, { limit: 10, text: '%' })).map((m) => m.name)).toEqual([]);
    expect((await listModels(database.sql, { limit: 10, tag: 'weekly' })).map((m) => m.name)).toEqual([
      'churn',
    ]);
    expect((await listModels(database.sql, { limit: 10, alias: 'production' })).map((m) => m.name)).toEqual([
      'churn',
    ]);
    const page = await listModels(database.sql, { limit: 1 });
    const next = await listModels(database.sql, {
      limit: 1,
      cursor: { updatedAt: page[0]?.updatedAt ?? new Date(), id: page[0]?.id ?? '' },
    });
    expect(next.map((model) => model.name)).toEqual(['price']);

    const versions = await listModelVersions(database.sql, churn.id, { limit: 10 });
    expect(versions.map((version) => [version.version, version.aliases])).toEqual([
      [3, ['staging']],
      [2, ['production']],
      [1, []],
    ]);
  });

  it('rolls an alias back to the version before, refuses the first, and keeps every move in the ledger', async () => {
    const handles = { sql: database.sql, db: database.db };
    const model = await ensureModel(database.sql, { name: 'rollback-me', ownerId: null });
    for (const accuracy of [0.7, 0.75]) await addVersion(model.id, accuracy);
    await promoteVersion(
      handles,
      { model: 'rollback-me', version: 1, alias: 'production', reason: 'a' },
      operator,
    );
    await expect(
      rollbackAlias(handles, { model: 'rollback-me', alias: 'production', reason: 'b' }, operator),
    ).rejects.toThrow(
      'rollback-me had no production version before version 1 was promoted: there is nothing to roll back to. Promote another version instead.',
    );
    await promoteVersion(
      handles,
      { model: 'rollback-me', version: 2, alias: 'production', reason: 'c' },
      operator,
    );
    const back = await rollbackAlias(
      handles,
      { model: 'rollback-me', alias: 'production', reason: 'bad' },
      operator,
    );
    expect(back).toEqual({ model: 'rollback-me', alias: 'production', from: 2, to: 1 });
    await expect(
      promoteVersion(
        handles,
        { model: 'rollback-me', version: 1, alias: 'production', reason: 'd' },
        operator,
      ),
    ).rejects.toBeInstanceOf(ModelRequestError);
    await expect(
      promoteVersion(
        handles,
        { model: 'rollback-me', version: 9, alias: 'production', reason: 'd' },
        operator,
      ),
    ).rejects.toThrow('rollback-me has no version 9.');
    await expect(
      promoteVersion(
        handles,
        { model: 'rollback-me', version: 2, alias: 'production', reason: '  ' },
        operator,
      ),
    ).rejects.toThrow(/reason/);
    const ledger = await listLedger(database.sql, model.id);
    expect(ledger.map((entry) => [entry.kind, entry.fromVersion, entry.toVersion, entry.reason])).toEqual([
      ['rollback', 2, 1, 'bad'],
      ['promote', 1, 2, 'c'],
      ['promote', null, 1, 'a'],
    ]);
  });

  it('rolls back past earlier rollbacks: v1→v2→v3 rolls back to v2, then v1, never to v3 again; a promotion after a rollback is undone first', async () => {
    const handles = { sql: database.sql, db: database.db };
    const model = await ensureModel(database.sql, { name: 'twice', ownerId: null });
    for (const accuracy of [0.7, 0.75, 0.8, 0.85]) await addVersion(model.id, accuracy);
    const promote = (version: number) =>
      promoteVersion(
        handles,
        { model: 'twice', version, alias: 'production', reason: `up ${version}` },
        operator,
      );
    const rollback = () =>
      rollbackAlias(handles, { model: 'twice', alias: 'production', reason: 'back' }, operator);
    // Staging's moves are another alias's stack: they change nothing here.
    const stage = (version: number) =>
      promoteVersion(handles, { model: 'twice', version, alias: 'staging', reason: 'try' }, operator);

    for (const version of [1, 2, 3]) await promote(version);
    await stage(4);
    expect(await rollback()).toMatchObject({ from: 3, to: 2 });
    await stage(3);
    expect(await rollback()).toMatchObject({ from: 2, to: 1 });
    await expect(rollback()).rejects.toThrow('twice had no production version before version 1 was promoted');

    // Up again to 2, then 4: a rollback undoes 4 (to 2), the next the promotion to 2 (to 1).
    await promote(2);
    await promote(4);
    expect(await rollback()).toMatchObject({ from: 4, to: 2 });
    await promote(3);
    expect(await rollback()).toMatchObject({ from: 3, to: 2 });
    expect(await rollback()).toMatchObject({ from: 2, to: 1 });
    expect(await modelAliasVersions(database.sql, model.id)).toEqual({ production: 1, staging: 3 });

    const ledger = await listLedger(database.sql, model.id);
    expect(
      ledger
        .filter((entry) => entry.alias === 'production')
        .map((entry) => `${entry.kind} ${entry.fromVersion}→${entry.toVersion}`)
        .reverse(),
    ).toEqual([
      'promote null→1',
      'promote 1→2',
      'promote 2→3',
      'rollback 3→2',
      'rollback 2→1',
      'promote 1→2',
      'promote 2→4',
      'rollback 4→2',
      'promote 2→3',
      'rollback 3→2',
      'rollback 2→1',
    ]);
  });

  it('refuses a rollback when production moves before it takes the model, and keeps the promotion it never saw', async () => {
    const handles = { sql: database.sql, db: database.db };
    const model = await ensureModel(database.sql, { name: 'raced', ownerId: null });
    for (const accuracy of [0.7, 0.75, 0.8]) await addVersion(model.id, accuracy);
    for (const version of [1, 2])
      await promoteVersion(handles, { model: 'raced', version, alias: 'production', reason: 'up' }, operator);

    // Another session promotes version 3 and holds the model's row until the rollback, which read
    // production at version 2, waits for it.
    let rollback: Promise<unknown> | undefined;
    await database.sql.begin(async (other) => {
      await other`select id from registered_models where id = ${model.id} for update`;
      await other`
        update model_aliases set version_id = (
          select id from model_versions where model_id = ${model.id} and version = 3)
        where model_id = ${model.id} and alias = 'production'`;
      await other`
        insert into promotion_ledger (model_id, alias, from_version, to_version, actor_kind, reason)
        values (${model.id}, 'production', 2, 3, 'user', 'meanwhile')`;
      rollback = rollbackAlias(
        handles,
        { model: 'raced', alias: 'production', reason: 'bad' },
        operator,
      ).catch((error: unknown) => error);
      await lockWaiters(database.sql, 1);
    });

    const refusal = await rollback;
    expect(refusal).toBeInstanceOf(ModelRequestError);
    expect(refusal).toMatchObject({
      reason: 'conflict',
      message: 'Production moved to version 3 while you were rolling back; look again.',
    });
    expect(await modelAliasVersions(database.sql, model.id)).toEqual({ production: 3 });
    const ledger = await listLedger(database.sql, model.id);
    expect(ledger.map((entry) => [entry.fromVersion, entry.toVersion, entry.reason])).toEqual([
      [2, 3, 'meanwhile'],
      [1, 2, 'up'],
      [null, 1, 'up'],
    ]);
  });
});
