import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from '../db/queries/pipelines';
import { ensureModel, findModelByName, listLedger } from '../db/queries/registry';
import { setUserDeactivated } from '../db/queries/users';
import { runs } from '../db/schema';
import type { VersionRegistration } from '../nodes/_kit/registry-port';
import { registryPort } from '../workflows/registry-port';
import { type Account, accountsAuth, createAccount } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { lockWaiters } from './support/lock-waiters';

/**
 * The worker's registry port against a real database: whose authority a run carries, and that the
 * run and the person reach the registry without the node naming them.
 */

let database: TestDatabase;
let operator: Account;
let pipelineVersion: { id: string; pipelineId: string };

beforeAll(async () => {
  database = await createTestDatabase();
  operator = await createAccount(accountsAuth(database.db), 'operator');
  pipelineVersion = (await createPipeline(database.db, { name: 'port test', graph: {} })).version;
});
afterAll(async () => {
  await database?.drop();
});

async function newRun(options: { startedBy?: string; trigger?: 'manual' | 'schedule' | 'monitor' } = {}) {
  const [row] = await database.db
    .insert(runs)
    .values({
      pipelineId: pipelineVersion.pipelineId,
      pipelineVersionId: pipelineVersion.id,
      workflowId: `run-${randomUUID()}`,
      trigger: options.trigger ?? 'manual',
      parameters: { target: 'y' },
      startedBy: options.startedBy ?? null,
    })
    .returning();
  if (!row) throw new Error('no run');
  return row.id;
}

function registration(modelName: string): VersionRegistration {
  return {
    modelName,
    task: 'regression',
    algorithm: 'linear',
    signature: {
      inputs: [{ name: 'x', type: 'number', unknownCategories: 'accept', nullable: false }],
      output: { task: 'regression' },
    },
    output: { task: 'regression' },
    metrics: { rmse: 1.5 },
    gates: [],
    parameters: {},
    dataset: null,
    transforms: { version: 1, steps: [] },
    reference: { x: { kind: 'number', deciles: [1, 2, 3, 4, 5, 6, 7, 8, 9], missingRate: 0 } },
    referenceSample: { columns: ['x'], rows: [[1], [2]] },
    onnx: new Uint8Array([1, 2, 3]),
  };
}

describe('the registry port', () => {
  it("acts for whoever started the run, with that person's role", async () => {
    const runId = await newRun({ startedBy: operator.userId });
    const authority = await registryPort(database.sql, { runId, nodeId: 'deploy' }).authority();
    expect(authority).toEqual({
      runId,
      pipelineId: pipelineVersion.pipelineId,
      pipelineVersionId: pipelineVersion.id,
      parameters: { target: 'y' },
      person: { userId: operator.userId, email: operator.email, role: 'operator' },
      via: 'started_by',
    });
  });

  it("acts for a schedule's or monitor's owner (for now the run's started_by), and for nobody without one", async () => {
    const scheduled = await newRun({ startedBy: operator.userId, trigger: 'schedule' });
    expect((await registryPort(database.sql, { runId: scheduled, nodeId: 'd' }).authority()).via).toBe(
      'schedule_owner',
    );
    const monitored = await newRun({ startedBy: operator.userId, trigger: 'monitor' });
    expect((await registryPort(database.sql, { runId: monitored, nodeId: 'd' }).authority()).via).toBe(
      'monitor_owner',
    );
    const anonymous = await newRun();
    expect(await registryPort(database.sql, { runId: anonymous, nodeId: 'd' }).authority()).toMatchObject({
      person: null,
      via: 'nobody',
    });
  });

  it('lends no authority from a deactivated account', async () => {
    const gone = await createAccount(accountsAuth(database.db), 'operator');
    await setUserDeactivated(database.db, gone.userId, true);
    const runId = await newRun({ startedBy: gone.userId });
    expect(await registryPort(database.sql, { runId, nodeId: 'deploy' }).authority()).toMatchObject({
      person: null,
      via: 'nobody',
    });
  });

  it('registers once per run and step, and records the run and its person on the version and the ledger', async () => {
    const runId = await newRun({ startedBy: operator.userId });
    const port = registryPort(database.sql, { runId, nodeId: 'deploy' });
    const first = await port.registerVersion(registration('port-model'));
    // A retried attempt of the same step gets the same version back.
    const retried = await registryPort(database.sql, { runId, nodeId: 'deploy' }).registerVersion(
      registration('port-model'),
    );
    expect(first).toMatchObject({ modelName: 'port-model', version: 1, created: true });
    expect(retried).toEqual({ ...first, created: false });

    const change = await port.setAlias({
      modelName: 'port-model',
      alias: 'production',
      version: 1,
      reason: 'ok',
    });
    expect(change).toEqual({ from: null, to: 1, changed: true });
    const model = await findModelByName(database.sql, 'port-model');
    expect(model?.ownerId).toBe(operator.userId);
    const [entry] = await listLedger(database.sql, model?.id ?? '');
    expect(entry).toMatchObject({
      actorKind: 'run',
      actorId: operator.userId,
      actorEmail: operator.email,
      runId,
      reason: 'ok',
    });

    // Read back as steps compare with it: by name, and as this pipeline's model in production.
    const production = await port.productionOf('PORT-MODEL');
    expect(production).toMatchObject({ modelName: 'port-model', version: 1, metrics: { rmse: 1.5 } });
    expect(Array.from(await (production?.onnx() ?? Promise.resolve(new Uint8Array())))).toEqual([1, 2, 3]);
    const ofPipeline = await registryPort(database.sql, {
      runId: await newRun(),
      nodeId: 'evaluate',
    }).pipelineProduction();
    expect(ofPipeline).toMatchObject({ modelName: 'port-model', version: 1 });
  });

  it('registers one version when two attempts of the same step register at the same moment', async () => {
    const runId = await newRun({ startedBy: operator.userId });
    const model = await ensureModel(database.sql, { name: 'raced-model', ownerId: operator.userId });
    // Both attempts must really overlap: a third transaction holds the model's row until both wait
    // for it, then lets them go.
    let attempts: Promise<unknown[]> | undefined;
    await database.sql.begin(async (hold) => {
      await hold`select id from registered_models where id = ${model.id} for update`;
      attempts = Promise.all(
        [1, 2].map(() =>
          registryPort(database.sql, { runId, nodeId: 'deploy' }).registerVersion(
            registration('raced-model'),
          ),
        ),
      );
      await lockWaiters(database.sql, 2);
    });
    const registered = await attempts;
    expect(registered).toHaveLength(2);
    expect(registered).toEqual(
      expect.arrayContaining([
        { modelId: model.id, modelName: 'raced-model', version: 1, created: true },
        { modelId: model.id, modelName: 'raced-model', version: 1, created: false },
      ]),
    );
    const versions = await database.sql<{ version: number }[]>`
      select version from model_versions where model_id = ${model.id}`;
    expect(versions.map((row) => row.version)).toEqual([1]);

    // Another step of the same run, and the same step of another run, each register their own.
    const other = await registryPort(database.sql, { runId, nodeId: 'deploy-2' }).registerVersion(
      registration('raced-model'),
    );
    const next = await registryPort(database.sql, {
      runId: await newRun({ startedBy: operator.userId }),
      nodeId: 'deploy',
    }).registerVersion(registration('raced-model'));
    expect([other.version, other.created, next.version, next.created]).toEqual([2, true, 3, true]);
  });
});
