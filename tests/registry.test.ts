import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from '../db/queries/pipelines';
import {
  AliasMovedError,
  ensureModel,
  findAliasedVersion,
  findModelByName,
  findModelVersion,
  findRollbackTarget,
  insertModelVersion,
  listLedger,
  MODEL_CHANGES_CHANNEL,
  modelAliasVersions,
  type NewModelVersion,
  readModelFile,
  setModelAlias,
} from '../db/queries/registry';
import { runs } from '../db/schema';
import { createTestDatabase, type TestDatabase } from './support/database';
import { versionFields } from './support/models';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

function newVersion(onnx: string): NewModelVersion {
  return versionFields({ metrics: { accuracy: 0.9 }, onnx: Buffer.from(onnx) });
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
    // Each number holds the file of the registration it was returned to.
    const sent = `g${written.findIndex((row) => row.version === 7)}`;
    const seventh = await findModelVersion(database.sql, model.id, 7);
    expect(seventh?.onnxBytes).toBe(sent.length);
    const file = seventh && (await readModelFile(database.sql, seventh.id, 'model.onnx'));
    expect(file?.content.toString()).toBe(sent);
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
    // Every move here is a promotion: setModelAlias records one unless told otherwise.
    expect(ledger.every((entry) => entry.kind === 'promote')).toBe(true);
  });

  it("records a move's kind, and finds where a rollback goes however long the ledger is", async () => {
    const model = await ensureModel(database.sql, { name: 'kinds', ownerId: null });
    for (const onnx of ['a', 'b', 'c']) await insertModelVersion(database.sql, model.id, newVersion(onnx));
    const move = (version: number, kind: 'promote' | 'rollback') =>
      setModelAlias(database.sql, { modelId: model.id, alias: 'production', version, by: by(kind), kind });

    expect(await findRollbackTarget(database.sql, model.id, 'production')).toBeUndefined();
    await move(1, 'promote');
    expect(await findRollbackTarget(database.sql, model.id, 'production')).toMatchObject({ version: null });
    await move(2, 'promote');
    await move(3, 'promote');
    await move(2, 'rollback');
    const [newest] = await listLedger(database.sql, model.id, 1);
    expect(newest).toMatchObject({ kind: 'rollback', fromVersion: 3, toVersion: 2 });
    expect(await findRollbackTarget(database.sql, model.id, 'production')).toEqual({
      version: 1,
      newestEntry: newest?.id,
    });

    // 300 staging entries after them (inserted directly: the ledger takes inserts) hide nothing.
    await database.sql`
      insert into promotion_ledger (model_id, alias, kind, from_version, to_version, actor_kind, reason)
      select ${model.id}, 'staging', 'promote', null, 1, 'system', 'noise' from generate_series(1, 300)`;
    expect(await findRollbackTarget(database.sql, model.id, 'production')).toMatchObject({ version: 1 });
    expect(await findRollbackTarget(database.sql, model.id, 'staging')).toMatchObject({ version: null });

    // A move decided on the newest entry goes through; one decided on an older entry is refused, even
    // when the alias holds the version it saw.
    await expect(
      setModelAlias(database.sql, {
        modelId: model.id,
        alias: 'production',
        version: 1,
        by: by('fresh'),
        kind: 'rollback',
        expected: 2,
        expectedEntry: newest?.id ?? 0,
      }),
    ).resolves.toMatchObject({ changed: true });
    await expect(
      setModelAlias(database.sql, {
        modelId: model.id,
        alias: 'production',
        version: 2,
        by: by('stale'),
        expected: 1,
        expectedEntry: newest?.id ?? 0,
      }),
    ).rejects.toThrow(AliasMovedError);
  });

  it('refuses a move decided on a version the alias no longer holds, writing nothing', async () => {
    const model = await ensureModel(database.sql, { name: 'expected', ownerId: null });
    for (const onnx of ['a', 'b', 'c']) await insertModelVersion(database.sql, model.id, newVersion(onnx));
    const move = (version: number, expected: number | null) =>
      setModelAlias(database.sql, { modelId: model.id, alias: 'production', version, by: by('x'), expected });

    await expect(move(1, 2)).rejects.toThrow(AliasMovedError);
    expect(await listLedger(database.sql, model.id)).toEqual([]);
    expect(await move(1, null)).toEqual({ from: null, to: 1, changed: true });
    expect(await move(3, 1)).toEqual({ from: 1, to: 3, changed: true });
    const moved = await move(2, 1).catch((error: unknown) => error);
    expect(moved).toBeInstanceOf(AliasMovedError);
    expect(moved).toMatchObject({ alias: 'production', current: 3 });
    expect(await modelAliasVersions(database.sql, model.id)).toEqual({ production: 3 });
    expect((await listLedger(database.sql, model.id)).map((entry) => entry.toVersion)).toEqual([3, 1]);
  });

  it('refuses to change a registered version, but lets deleting its run clear the link', async () => {
    const model = await ensureModel(database.sql, { name: 'immutable', ownerId: null });
    const { version: pipelineVersion } = await createPipeline(database.db, { name: 'maker', graph: {} });
    const newRun = async () => {
      const [run] = await database.db
        .insert(runs)
        .values({
          pipelineId: pipelineVersion.pipelineId,
          pipelineVersionId: pipelineVersion.id,
          workflowId: `run-${randomUUID()}`,
          trigger: 'manual',
        })
        .returning({ id: runs.id });
      if (!run) throw new Error('no run');
      return run.id;
    };
    const runId = await newRun();
    const written = await insertModelVersion(database.sql, model.id, {
      ...newVersion('x'),
      runId,
      nodeId: 'deploy',
      pipelineVersionId: pipelineVersion.id,
    });
    const refused = 'A registered model version cannot be changed: register a new version instead';

    await expect(
      database.sql`update model_versions set metrics = '{"accuracy": 1}'::jsonb where id = ${written.id}`,
    ).rejects.toThrow(refused);
    await expect(
      database.sql`update model_versions set signature = '{"inputs": []}'::jsonb where id = ${written.id}`,
    ).rejects.toThrow(refused);
    // Its links may only be cleared, never pointed elsewhere.
    const otherRun = await newRun();
    await expect(
      database.sql`update model_versions set run_id = ${otherRun} where id = ${written.id}`,
    ).rejects.toThrow(refused);
    await expect(
      database.sql`update model_versions set run_id = null, node_id = 'elsewhere' where id = ${written.id}`,
    ).rejects.toThrow(refused);

    await database.db.delete(runs).where(eq(runs.id, runId));
    const kept = await findModelVersion(database.sql, model.id, written.version);
    expect(kept).toMatchObject({
      runId: null,
      nodeId: 'deploy',
      pipelineVersionId: pipelineVersion.id,
      metrics: { accuracy: 0.9 },
      signature: newVersion('x').signature,
    });
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
