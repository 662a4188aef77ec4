/**
 * Approval of promotions to production (issue 17, safe rollout) against a real PostgreSQL: with the
 * model's "requires approval" on, every path that sets production (the app's promote procedure, the
 * CLI's promoteVersion, a run's registry port) files a pending request and leaves the alias; an
 * operator approves (the alias moves, the ledger names both people) or rejects with a reason (the
 * ledger records it, the alias stays); a viewer cannot decide; nobody decides their own request.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/roles';
import { appRouter } from '../app/_server/root';
import type { Services } from '../app/_server/services';
import { createCallerFactory } from '../app/_server/trpc';
import { modelsDecideCommand, modelsPendingCommand } from '../cli/commands/model-approval';
import { modelsPromoteCommand } from '../cli/commands/models';
import type { Output } from '../cli/output';
import { readEnv } from '../config/env';
import { createPipeline } from '../db/queries/pipelines';
import { findRollbackTarget, listLedger, modelAliasVersions, setModelAlias } from '../db/queries/registry';
import { runs } from '../db/schema';
import { promoteVersion } from '../runtime/models/promotion';
import { registryPort } from '../workflows/registry-port';
import { type Account, accountsAuth, createAccount } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { seedModel } from './support/models';
import { databaseOnlyServices, testActor, testContext } from './support/services';
import { rejection } from './support/trpc-rejection';

let database: TestDatabase;
let services: Services;

beforeAll(async () => {
  database = await createTestDatabase();
  services = databaseOnlyServices(database);
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

const callerAs = (role: Role, id = `test-${role}`) =>
  createCallerFactory(appRouter)(
    testContext(services, { ...testActor(role), userId: id, email: `${id}@example.test` }),
  );

/** A model with versions 1..3, production at 1, approval required. */
async function gatedModel(name: string): Promise<{ id: string }> {
  const model = await seedModel(database.sql, name, [{ metrics: {} }, { metrics: {} }, { metrics: {} }]);
  await setModelAlias(database.sql, {
    modelId: model.id,
    alias: 'production',
    version: 1,
    by: { actorKind: 'user', actorId: 'seed', actorEmail: 'seed@example.test', reason: 'first' },
  });
  await callerAs('admin').rollout.saveSettings({
    name,
    settings: { mode: 'none', canaryPercent: 10, requiresApproval: true },
  });
  return model;
}

describe('promotion approval', () => {
  it('files a pending request instead of moving production, and approval moves it with a ledger entry naming both', async () => {
    const model = await gatedModel('gated');
    const alice = callerAs('operator', 'alice');
    const move = await alice.models.promote({
      name: 'gated',
      version: 2,
      alias: 'production',
      reason: 'v2 wins',
    });
    expect(move).toMatchObject({ from: 1, to: 1, pending: { version: 2 } });
    expect((await modelAliasVersions(database.sql, model.id)).production).toBe(1);
    // Staging is not gated.
    expect(
      await alice.models.promote({ name: 'gated', version: 3, alias: 'staging', reason: 'try' }),
    ).toMatchObject({
      to: 3,
    });
    // Asking again for the same version finds the same request.
    const again = await alice.models.promote({
      name: 'gated',
      version: 2,
      alias: 'production',
      reason: 'again',
    });
    expect(again.pending?.id).toBe(move.pending?.id);

    const requests = await callerAs('viewer').rollout.requests({ name: 'gated' });
    expect(requests).toHaveLength(1);
    // A Date, whichever pool read it (the app's hands timestamps over as text).
    expect(requests[0]?.requestedAt).toBeInstanceOf(Date);
    expect(Math.abs((requests[0]?.requestedAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(requests[0]).toMatchObject({
      id: move.pending?.id,
      version: 2,
      fromVersion: 1,
      status: 'pending',
      requestedBy: 'alice@example.test',
      reason: 'v2 wins',
    });

    const bob = callerAs('operator', 'bob');
    const approved = await bob.rollout.decide({
      name: 'gated',
      requestId: move.pending?.id ?? '',
      decision: 'approve',
      reason: 'checked the canary',
    });
    expect(approved).toMatchObject({ status: 'approved', from: 1, to: 2 });
    expect((await modelAliasVersions(database.sql, model.id)).production).toBe(2);
    const [entry] = await listLedger(database.sql, model.id);
    expect(entry).toMatchObject({
      alias: 'production',
      kind: 'promote',
      fromVersion: 1,
      toVersion: 2,
      actorId: 'bob',
      actorEmail: 'bob@example.test',
      reason: 'checked the canary',
      requestedByKind: 'user',
      requestedByEmail: 'alice@example.test',
      requestReason: 'v2 wins',
    });
    const [decided] = await bob.rollout.requests({ name: 'gated' });
    expect(decided).toMatchObject({ status: 'approved', decidedBy: 'bob@example.test' });
    expect(decided?.decidedAt).toBeInstanceOf(Date);
    // Decided once: a second decision is refused.
    const twice = await rejection(
      bob.rollout.decide({ name: 'gated', requestId: decided?.id ?? '', decision: 'reject', reason: 'no' }),
    );
    expect(twice.code).toBe('CONFLICT');
    // A rollback does not wait for approval, and finds the version before the approved promotion.
    expect((await findRollbackTarget(database.sql, model.id, 'production'))?.version).toBe(1);
    expect(
      await bob.models.rollback({ name: 'gated', alias: 'production', reason: 'incident' }),
    ).toMatchObject({
      from: 2,
      to: 1,
    });
  });

  it('rejects with a required reason: the ledger records it and production stays', async () => {
    const model = await gatedModel('rejected');
    const move = await callerAs('operator', 'alice').models.promote({
      name: 'rejected',
      version: 3,
      alias: 'production',
      reason: 'ship it',
    });
    const bob = callerAs('admin', 'bob');
    const requestId = move.pending?.id ?? '';
    const noReason = await rejection(
      bob.rollout.decide({ name: 'rejected', requestId, decision: 'reject', reason: '  ' }),
    );
    expect(noReason.code).toBe('BAD_REQUEST');
    expect(noReason.message).toMatch(/reason/i);
    expect(await listLedger(database.sql, model.id)).toHaveLength(1);

    const rejected = await bob.rollout.decide({
      name: 'rejected',
      requestId,
      decision: 'reject',
      reason: 'latency p95 doubled in the canary',
    });
    expect(rejected).toMatchObject({ status: 'rejected', from: 1, to: 1 });
    expect((await modelAliasVersions(database.sql, model.id)).production).toBe(1);
    const [entry] = await listLedger(database.sql, model.id);
    expect(entry).toMatchObject({
      kind: 'reject',
      fromVersion: 1,
      toVersion: 3,
      actorEmail: 'bob@example.test',
      reason: 'latency p95 doubled in the canary',
      requestedByEmail: 'alice@example.test',
      requestReason: 'ship it',
    });
    // A rejection is no move: rolling back still undoes the first promotion only (nothing before it).
    expect((await findRollbackTarget(database.sql, model.id, 'production'))?.version).toBe(null);
  });

  it('refuses a viewer or editor, and the requester themself (four eyes, even an admin); nothing changes', async () => {
    const model = await gatedModel('four-eyes');
    const move = await callerAs('admin', 'carol').models.promote({
      name: 'four-eyes',
      version: 2,
      alias: 'production',
      reason: 'mine',
    });
    const requestId = move.pending?.id ?? '';
    for (const role of ['viewer', 'editor'] as const) {
      const refused = await rejection(
        callerAs(role).rollout.decide({ name: 'four-eyes', requestId, decision: 'approve', reason: '' }),
      );
      expect(refused.code).toBe('FORBIDDEN');
    }
    const own = await rejection(
      callerAs('admin', 'carol').rollout.decide({
        name: 'four-eyes',
        requestId,
        decision: 'approve',
        reason: '',
      }),
    );
    expect(own.code).toBe('FORBIDDEN');
    expect(own.message).toMatch(/another operator/);
    expect((await modelAliasVersions(database.sql, model.id)).production).toBe(1);
    expect(await listLedger(database.sql, model.id)).toHaveLength(1);
    const [still] = await callerAs('viewer').rollout.requests({ name: 'four-eyes' });
    expect(still?.status).toBe('pending');
    // A viewer may not change the settings either.
    const settings = await rejection(
      callerAs('viewer').rollout.saveSettings({
        name: 'four-eyes',
        settings: { mode: 'canary', canaryPercent: 20, requiresApproval: false },
      }),
    );
    expect(settings.code).toBe('FORBIDDEN');
    expect(await callerAs('viewer').rollout.settings({ name: 'four-eyes' })).toMatchObject({
      mode: 'none',
      requiresApproval: true,
    });
  });

  it('refuses bad settings and unknown requests with sentences naming the field', async () => {
    await gatedModel('bad-input');
    const admin = callerAs('admin');
    const tooMuch = await rejection(
      admin.rollout.saveSettings({
        name: 'bad-input',
        settings: { mode: 'canary', canaryPercent: 80, requiresApproval: false },
      }),
    );
    expect(tooMuch.code).toBe('BAD_REQUEST');
    expect(tooMuch.message).toMatch(/canaryPercent/);
    const unknown = await rejection(
      admin.rollout.decide({ name: 'bad-input', requestId: randomUUID(), decision: 'approve', reason: '' }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
  });

  it("gates the CLI's promotion and a run's deploy step alike; the run's person may not approve it", async () => {
    const model = await gatedModel('paths');
    const cli = await promoteVersion(
      { sql: database.sql, db: database.db },
      { model: 'paths', version: 2, alias: 'production', reason: 'from the shell' },
      {
        ledger: { actorKind: 'cli', actorId: null, actorEmail: 'dave (local CLI)' },
        audit: { actorKind: 'cli', actorId: null, actorEmail: 'dave (local CLI)', ipAddress: null },
      },
    );
    expect(cli).toMatchObject({ to: 1, pending: { version: 2 } });

    const operator: Account = await createAccount(accountsAuth(database.db), 'operator');
    const { version } = await createPipeline(database.db, { name: 'gated pipeline', graph: {} });
    const [run] = await database.db
      .insert(runs)
      .values({
        pipelineId: version.pipelineId,
        pipelineVersionId: version.id,
        workflowId: `run-${randomUUID()}`,
        trigger: 'manual',
        parameters: {},
        startedBy: operator.userId,
      })
      .returning();
    const port = registryPort(database.sql, { runId: run?.id ?? '', nodeId: 'deploy' });
    const set = await port.setAlias({
      modelName: 'paths',
      alias: 'production',
      version: 3,
      reason: 'beats v1',
    });
    expect(set).toMatchObject({ from: 1, to: 1, changed: false, pending: { created: true } });
    expect((await modelAliasVersions(database.sql, model.id)).production).toBe(1);

    const requests = await callerAs('viewer').rollout.requests({ name: 'paths' });
    expect(requests.map((request) => [request.version, request.requestedByKind])).toEqual([
      [2, 'cli'],
      [3, 'run'],
    ]);
    const runRequest = requests[1]?.id ?? '';
    const own = await rejection(
      callerAs('operator', operator.userId).rollout.decide({
        name: 'paths',
        requestId: runRequest,
        decision: 'approve',
        reason: '',
      }),
    );
    expect(own.code).toBe('FORBIDDEN');
    await callerAs('operator', 'erin').rollout.decide({
      name: 'paths',
      requestId: runRequest,
      decision: 'approve',
      reason: '',
    });
    expect((await modelAliasVersions(database.sql, model.id)).production).toBe(3);
  });

  it('works from the CLI: promote waits, pending lists it, the same OS account may not approve it, another may', async () => {
    const model = await gatedModel('cli-gated');
    const lines: string[] = [];
    const out: Output = { json: false, print: (line) => lines.push(line), progress: () => {} };
    const env = readEnv({ DATABASE_URL: database.url });
    await modelsPromoteCommand('cli-gated', '2', { reason: 'from the shell' }, env, out);
    expect(lines.at(-1)).toMatch(
      /^Awaiting approval: cli-gated requires an operator's approval to promote to production\. Version 2 is pending \(request [0-9a-f-]{36}\); production stays v1\.$/,
    );
    await modelsPendingCommand('cli-gated', env, out);
    const listed =
      /^([0-9a-f-]{36}) {2}v2 \(production v1\) {2}asked for by .+ \(cli\) at .+: from the shell$/.exec(
        lines.at(-1) ?? '',
      );
    const requestId = listed?.[1] ?? '';
    expect(requestId).not.toBe('');
    // The app names the CLI's request by its OS account (it has no address).
    const [fromShell] = await callerAs('viewer').rollout.requests({ name: 'cli-gated' });
    expect(fromShell).toMatchObject({ requestedByKind: 'cli', requestedBy: fromShell?.requestedById });
    expect(fromShell?.requestedBy).not.toBe('someone');
    await expect(modelsDecideCommand('cli-gated', requestId, 'approve', {}, env, out)).rejects.toThrow(
      /another operator must approve or reject it/,
    );
    await expect(modelsDecideCommand('cli-gated', requestId, 'reject', {}, env, out)).rejects.toThrow(
      /--reason is required to reject/,
    );
    // An operator in the app asks; the CLI approves.
    const asked = await callerAs('operator', 'frank').models.promote({
      name: 'cli-gated',
      version: 3,
      alias: 'production',
      reason: 'three',
    });
    await modelsDecideCommand('cli-gated', asked.pending?.id, 'approve', { reason: 'ok from ops' }, env, out);
    expect(lines.at(-1)).toBe(
      'Approved: cli-gated production is now v3 (was v1). Serving switches within 2 seconds.',
    );
    expect((await modelAliasVersions(database.sql, model.id)).production).toBe(3);
    expect((await listLedger(database.sql, model.id))[0]).toMatchObject({
      kind: 'promote',
      actorKind: 'cli',
      requestedByEmail: 'frank@example.test',
      reason: 'ok from ops',
    });
  });
});
