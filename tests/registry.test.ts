import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureModel,
  findAliasedVersion,
  findModelByName,
  findModelVersion,
  insertModelVersion,
  listLedger,
  MODEL_CHANGES_CHANNEL,
  modelAliasVersions,
  type NewModelVersion,
  readModelFile,
  setModelAlias,
} from '../db/queries/registry';
import { createTestDatabase, type TestDatabase } from './support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

function newVersion(onnx: string): NewModelVersion {
  const content = Buffer.from(onnx);
  return {
    runId: null,
    nodeId: null,
    pipelineVersionId: null,
    task: 'classification',
    algorithm: 'logistic',
    signature: { inputs: [{ name: 'x', type: 'number', unknownCategories: 'accept', nullable: false }] },
    labels: ['no', 'yes'],
    metrics: { accuracy: 0.9 },
    gates: [],
    parameters: {},
    datasetSha256: null,
    datasetProfile: null,
    transforms: { version: 1, steps: [] },
    reference: {},
    referenceRows: 0,
    createdBy: null,
    files: [{ name: 'model.onnx', content, sha256: createHash('sha256').update(content).digest('hex') }],
  };
}

const by = (reason: string) => ({
  actorKind: 'user' as const,
  actorId: 'user-1',
  actorEmail: 'op@example.test',
  reason,
});

describe('db/queries/registry', () => {
  it('numbers versions 1..n without gaps or repeats when they are registered at once', async () => {
    const model = await ensureModel(database.sql, { name: 'concurrent', ownerId: null });
    const written = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        insertModelVersion(database.sql, model.id, newVersion(`g${index}`)),
      ),
    );
    expect(written.map((row) => row.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, index) => index + 1),
    );
    const seventh = await findModelVersion(database.sql, model.id, 7);
    expect(seventh?.onnxBytes).toBe(2);
    const file = seventh && (await readModelFile(database.sql, seventh.id, 'model.onnx'));
    expect(file?.content.toString()).toMatch(/^g\d+$/);
  });

  it('keeps one model per name ignoring case, even when two steps create it at once', async () => {
    const [a, b] = await Promise.all([
      ensureModel(database.sql, { name: 'Churn', ownerId: null }),
      ensureModel(database.sql, { name: 'churn', ownerId: null }),
    ]);
    expect(a.id).toBe(b?.id);
    expect((await findModelByName(database.sql, 'CHURN'))?.id).toBe(a.id);
  });

  it('moves aliases with one ledger entry per change, and none for a change that changes nothing', async () => {
    const model = await ensureModel(database.sql, { name: 'aliased', ownerId: null });
    for (const onnx of ['a', 'b', 'c']) await insertModelVersion(database.sql, model.id, newVersion(onnx));
    const move = (alias: 'production' | 'staging', version: number | null, reason: string) =>
      setModelAlias(database.sql, { modelId: model.id, alias, version, by: by(reason) });

    expect(await move('production', 1, 'first')).toEqual({ from: null, to: 1, changed: true });
    expect(await move('staging', 3, 'try three')).toEqual({ from: null, to: 3, changed: true });
    expect(await move('production', 2, 'better')).toEqual({ from: 1, to: 2, changed: true });
    expect(await move('production', 2, 'again')).toEqual({ from: 2, to: 2, changed: false });
    expect(await move('production', 1, 'roll back')).toEqual({ from: 2, to: 1, changed: true });
    expect(await move('staging', null, 'clear')).toEqual({ from: 3, to: null, changed: true });
    await expect(move('production', 9, 'no such version')).rejects.toThrow('Version 9 does not exist');

    expect(await modelAliasVersions(database.sql, model.id)).toEqual({ production: 1 });
    expect((await findAliasedVersion(database.sql, model.id, 'production'))?.version).toBe(1);
    expect(await findAliasedVersion(database.sql, model.id, 'staging')).toBeUndefined();
    const ledger = await listLedger(database.sql, model.id);
    expect(
      ledger.map(({ alias, fromVersion, toVersion, reason }) => [alias, fromVersion, toVersion, reason]),
    ).toEqual([
      ['staging', 3, null, 'clear'],
      ['production', 2, 1, 'roll back'],
      ['production', 1, 2, 'better'],
      ['staging', null, 3, 'try three'],
      ['production', null, 1, 'first'],
    ]);
    expect(ledger[0]).toMatchObject({ actorKind: 'user', actorId: 'user-1', actorEmail: 'op@example.test' });
  });

  it('refuses to change or delete a ledger entry', async () => {
    const model = await ensureModel(database.sql, { name: 'ledgered', ownerId: null });
    await insertModelVersion(database.sql, model.id, newVersion('x'));
    await setModelAlias(database.sql, { modelId: model.id, alias: 'production', version: 1, by: by('why') });
    await expect(
      database.sql`update promotion_ledger set reason = 'rewritten' where model_id = ${model.id}`,
    ).rejects.toThrow('append-only');
    await expect(database.sql`delete from promotion_ledger where model_id = ${model.id}`).rejects.toThrow(
      'append-only',
    );
    expect((await listLedger(database.sql, model.id)).map((entry) => entry.reason)).toEqual(['why']);
  });

  it('announces every alias change on the models channel with the model id', async () => {
    const model = await ensureModel(database.sql, { name: 'announced', ownerId: null });
    await insertModelVersion(database.sql, model.id, newVersion('x'));
    await insertModelVersion(database.sql, model.id, newVersion('y'));
    const heard: string[] = [];
    let wake: () => void = () => {};
    const listener = await database.sql.listen(MODEL_CHANGES_CHANNEL, (payload) => {
      heard.push(payload);
      wake();
    });
    try {
      const twoHeard = new Promise<void>((resolve) => {
        wake = () => {
          if (heard.length >= 2) resolve();
        };
      });
      await setModelAlias(database.sql, { modelId: model.id, alias: 'production', version: 1, by: by('1') });
      await setModelAlias(database.sql, { modelId: model.id, alias: 'production', version: 2, by: by('2') });
      await twoHeard;
      expect(heard).toEqual([model.id, model.id]);
    } finally {
      await listener.unlisten();
    }
  });
});
