import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseId, getArtifact, recordedArtifactsOfSteps } from '../db/queries/artifacts';
import { createPipeline } from '../db/queries/pipelines';
import { latestRunOfEach, runWithSteps } from '../db/queries/runs';
import { artifacts, runSteps, runs } from '../db/schema';
import { createTestDatabase, type TestDatabase } from './support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function pipelineWithVersion(name: string) {
  return createPipeline(database.db, { name, graph: {} });
}

async function insertRun(version: { id: string; pipelineId: string }, startedAt: Date) {
  const [run] = await database.db
    .insert(runs)
    .values({
      pipelineId: version.pipelineId,
      pipelineVersionId: version.id,
      workflowId: `run-${randomUUID()}`,
      status: 'succeeded',
      startedAt,
    })
    .returning();
  if (!run) throw new Error('no run row');
  return run;
}

const sha = (digit: string) => digit.repeat(64);

describe('db/queries/runs', () => {
  it('latestRunOfEach gives each pipeline its newest run, and none to a pipeline never run', async () => {
    const ran = await pipelineWithVersion('ran twice');
    const never = await pipelineWithVersion('never ran');
    await insertRun(ran.version, new Date('2026-01-01T10:00:00Z'));
    const newer = await insertRun(ran.version, new Date('2026-01-02T10:00:00Z'));

    const latest = await latestRunOfEach(database.db, [ran.pipeline.id, never.pipeline.id]);
    expect([...latest.entries()]).toEqual([
      [ran.pipeline.id, { id: newer.id, status: 'succeeded', startedAt: new Date('2026-01-02T10:00:00Z') }],
    ]);
    expect((await latestRunOfEach(database.db, [])).size).toBe(0);
  });

  it('runWithSteps gives the run and its steps in the order they started', async () => {
    const { version } = await pipelineWithVersion('steps');
    const run = await insertRun(version, new Date('2026-02-01T10:00:00Z'));
    await database.db.insert(runSteps).values([
      { runId: run.id, nodeId: 'train', nodeType: 'train', startedAt: new Date('2026-02-01T10:02:00Z') },
      { runId: run.id, nodeId: 'ingest', nodeType: 'ingest', startedAt: new Date('2026-02-01T10:01:00Z') },
      { runId: run.id, nodeId: 'clean', nodeType: 'clean', startedAt: new Date('2026-02-01T10:01:00Z') },
    ]);
    const found = await runWithSteps(database.db, run.id);
    expect(found?.run.id).toBe(run.id);
    expect(found?.steps.map((step) => step.nodeId)).toEqual(['clean', 'ingest', 'train']);
    expect(await runWithSteps(database.db, randomUUID())).toBeUndefined();
  });
});

describe('db/queries/artifacts', () => {
  it('getArtifact reads one row, and recordedArtifactsOfSteps adds the other files of the same steps', async () => {
    const { version } = await pipelineWithVersion('artifacts');
    const run = await insertRun(version, new Date('2026-03-01T10:00:00Z'));
    const [train, other] = await database.db
      .insert(runSteps)
      .values([
        { runId: run.id, nodeId: 'train', nodeType: 'train' },
        { runId: run.id, nodeId: 'other', nodeType: 'ingest' },
      ])
      .returning();
    const row = (stepId: string | undefined, port: string, digit: string) => ({
      id: randomUUID(),
      runId: run.id,
      stepId,
      port,
      kind: 'model' as const,
      uri: `file:///data/artifacts/${run.id}/${port}`,
      bytes: 10,
      sha256: sha(digit),
    });
    const companions = [{ name: 'model.arrays.bin', bytes: 6, sha256: sha('d') }];
    const model = { ...row(train?.id, 'model', 'a'), companions };
    const onnx = row(train?.id, 'onnx', 'b');
    const unrelated = row(other?.id, 'data', 'c');
    await database.db.insert(artifacts).values([model, onnx, unrelated]);

    expect(await getArtifact(database.db, model.id)).toMatchObject({
      id: model.id,
      port: 'model',
      bytes: 10,
    });
    expect(await getArtifact(database.db, randomUUID())).toBeUndefined();

    const recorded = await recordedArtifactsOfSteps(database.db, [model.id]);
    const fields = (recordedRow: {
      id: string;
      stepId?: string | null;
      uri: string;
      bytes: number;
      sha256: string;
      companions: unknown;
    }) => {
      const { id, stepId, uri, bytes, sha256, companions } = recordedRow;
      return { id, stepId, uri, bytes, sha256, companions };
    };
    expect(recorded.map(fields).sort(byId)).toEqual(
      [model, { ...onnx, companions: null }].map(fields).sort(byId),
    );
    expect(await recordedArtifactsOfSteps(database.db, [])).toEqual([]);
  });

  it('databaseId makes the database one id on first use and keeps it', async () => {
    const id = await databaseId(database.db);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await databaseId(database.db)).toBe(id);
  });
});

function byId(a: { id: string }, b: { id: string }): number {
  return a.id.localeCompare(b.id);
}
