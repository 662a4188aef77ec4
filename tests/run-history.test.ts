import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app/_server/root';
import { RunChangeFeed } from '../app/_server/run-changes';
import { createCallerFactory } from '../app/_server/trpc';
import { createPipeline, saveVersion } from '../db/queries/pipelines';
import { runSteps, runs } from '../db/schema';
import { createTestDatabase, type TestDatabase } from './support/database';
import { pipelineDoc } from './support/pipeline-doc';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** The procedures over the test database; listing runs needs no Temporal. */
function caller() {
  return createCallerFactory(appRouter)({
    services: {
      db: database.db,
      sql: database.sql,
      temporal: () => Promise.reject(new Error('the run history does not reach Temporal')),
      taskQueue: 'unused',
      changes: new RunChangeFeed(database.sql),
      dataDir: path.join(os.tmpdir(), 'pipewright-run-history-unused'),
    },
  });
}

const evaluated = (gates: unknown[]) =>
  pipelineDoc(
    [
      { id: 'train', type: 'train' },
      { id: 'check', type: 'evaluate', config: { gates } },
    ],
    ['train.model->check.model'],
  );

/** A finished run of a version, with its evaluate step's summary (none when the step failed). */
async function storedRun(versionId: string, pipelineId: string, summary: unknown, at: string) {
  const [run] = await database.db
    .insert(runs)
    .values({
      pipelineId,
      pipelineVersionId: versionId,
      workflowId: `history-${at}`,
      status: summary === null ? 'failed' : 'succeeded',
      startedAt: new Date(at),
      finishedAt: new Date(new Date(at).getTime() + 1500),
    })
    .returning();
  if (!run) throw new Error('no run row');
  await database.db.insert(runSteps).values([
    { runId: run.id, nodeId: 'train', nodeType: 'train', status: 'succeeded', outputSummary: { rows: 10 } },
    {
      runId: run.id,
      nodeId: 'check',
      nodeType: 'evaluate',
      status: summary === null ? 'failed' : 'succeeded',
      outputSummary: summary,
    },
  ]);
  return run.id;
}

describe('run history', () => {
  it("shows each run's main metric: the first gated metric, else accuracy, else R²", async () => {
    const gated = await createPipeline(database.db, {
      name: 'Gated',
      graph: evaluated([
        { metric: 'f1', operator: '>=', value: 0.5 },
        { metric: 'accuracy', operator: '>=', value: 0.5 },
      ]),
    });
    const pipelineId = gated.pipeline.id;
    const ungated = await saveVersion(database.db, { pipelineId, graph: evaluated([]) });
    const classification = { rows: 30, metrics: { accuracy: 0.9, f1: 0.8 } };
    const byGate = await storedRun(gated.version.id, pipelineId, classification, '2026-01-01T10:00:00Z');
    const byAccuracy = await storedRun(ungated.id, pipelineId, classification, '2026-01-01T11:00:00Z');
    const byR2 = await storedRun(
      ungated.id,
      pipelineId,
      { rows: 40, metrics: { rmse: 2.5, r2: 0.75 } },
      '2026-01-01T12:00:00Z',
    );
    const failed = await storedRun(gated.version.id, pipelineId, null, '2026-01-01T13:00:00Z');

    const history = await caller().runs.list({ pipelineId });
    expect(history.items.map((item) => [item.id, item.mainMetric])).toEqual([
      [failed, null],
      [byR2, { name: 'r2', value: 0.75 }],
      [byAccuracy, { name: 'accuracy', value: 0.9 }],
      [byGate, { name: 'f1', value: 0.8 }],
    ]);
  });
});
