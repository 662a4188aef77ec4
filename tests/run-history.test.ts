import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app/_server/root';
import { createCallerFactory } from '../app/_server/trpc';
import { createPipeline, saveVersion } from '../db/queries/pipelines';
import { storeMainMetric } from '../db/queries/run-state';
import { runSteps, runs } from '../db/schema';
import { createTestDatabase, type TestDatabase } from './support/database';
import { pipelineDoc } from './support/pipeline-doc';
import { databaseOnlyServices, testContext } from './support/services';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** The procedures over the test database; listing runs needs no Temporal. */
function caller() {
  return createCallerFactory(appRouter)(testContext(databaseOnlyServices(database)));
}

const evaluated = (gates: unknown[]) =>
  pipelineDoc(
    [
      { id: 'train', type: 'train' },
      { id: 'check', type: 'evaluate', config: { gates } },
    ],
    ['train.model->check.model'],
  );

/**
 * A finished run of a version, with its evaluate step's summary (none when the step failed), and its
 * main metric stored on the row as the worker stores it when the step ends.
 */
async function storedRun(
  versionId: string,
  pipelineId: string,
  summary: unknown,
  at: string,
  parameters: Record<string, unknown> = {},
) {
  const [run] = await database.db
    .insert(runs)
    .values({
      pipelineId,
      pipelineVersionId: versionId,
      workflowId: `history-${at}`,
      status: summary === null ? 'failed' : 'succeeded',
      parameters,
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
  await storeMainMetric(database.db, run.id);
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

  it("shows a re-run's metric from the run its evaluate step was reused from", async () => {
    const created = await createPipeline(database.db, { name: 'Reused', graph: evaluated([]) });
    const pipelineId = created.pipeline.id;
    const source = await storedRun(
      created.version.id,
      pipelineId,
      { rows: 30, metrics: { accuracy: 0.875 } },
      '2026-01-02T10:00:00Z',
    );
    const [rerun] = await database.db
      .insert(runs)
      .values({
        pipelineId,
        pipelineVersionId: created.version.id,
        workflowId: 'history-rerun',
        status: 'succeeded',
        rerunOfRunId: source,
        startedAt: new Date('2026-01-02T11:00:00Z'),
        finishedAt: new Date('2026-01-02T11:00:01Z'),
      })
      .returning();
    if (!rerun) throw new Error('no run row');
    await database.db.insert(runSteps).values(
      ['train', 'check'].map((nodeId) => ({
        runId: rerun.id,
        nodeId,
        nodeType: nodeId === 'check' ? 'evaluate' : 'train',
        status: 'cached' as const,
        reusedFromRunId: source,
      })),
    );
    // As setStepsStatus does when it marks an evaluate step reused.
    await storeMainMetric(database.db, rerun.id);

    const history = await caller().runs.list({ pipelineId });
    expect(history.items.map((item) => [item.id, item.mainMetric])).toEqual([
      [rerun.id, { name: 'accuracy', value: 0.875 }],
      [source, { name: 'accuracy', value: 0.875 }],
    ]);
  });

  it('resolves a gate on a parameter from the run: its value, else the default', async () => {
    const graph = pipelineDoc(
      [
        { id: 'train', type: 'train' },
        {
          id: 'check',
          type: 'evaluate',
          config: { gates: [{ metric: { $param: 'metric' }, operator: '>=', value: 0.5 }] },
        },
      ],
      ['train.model->check.model'],
      [{ name: 'metric', type: 'string', default: 'f1', description: '' }],
    );
    const created = await createPipeline(database.db, { name: 'Parameterised gate', graph });
    const pipelineId = created.pipeline.id;
    const summary = { rows: 30, metrics: { accuracy: 0.9, f1: 0.8, roc_auc: 0.95 } };
    const byDefault = await storedRun(created.version.id, pipelineId, summary, '2026-01-03T10:00:00Z');
    const byValue = await storedRun(created.version.id, pipelineId, summary, '2026-01-03T11:00:00Z', {
      metric: 'roc_auc',
    });

    const history = await caller().runs.list({ pipelineId });
    expect(history.items.map((item) => [item.id, item.mainMetric])).toEqual([
      [byValue, { name: 'roc_auc', value: 0.95 }],
      [byDefault, { name: 'f1', value: 0.8 }],
    ]);
  });
});
