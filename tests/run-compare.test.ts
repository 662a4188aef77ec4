import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app/_server/root';
import { createCallerFactory } from '../app/_server/trpc';
import { createPipeline, saveVersion } from '../db/queries/pipelines';
import { createTestDatabase, type TestDatabase } from './support/database';
import { pipelineDoc } from './support/pipeline-doc';
import { databaseOnlyServices, testContext } from './support/services';
import { type StoredRunInput, storedRun as storeRun } from './support/stored-runs';
import { rejection } from './support/trpc-rejection';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

function caller(actor?: Parameters<typeof testContext>[1]) {
  return createCallerFactory(appRouter)(testContext(databaseOnlyServices(database), actor));
}

const graph = (gates: unknown[]) =>
  pipelineDoc(
    [
      { id: 'train', type: 'train' },
      { id: 'check', type: 'evaluate', config: { gates } },
    ],
    ['train.model->check.model'],
    [
      { name: 'depth', type: 'number', default: 4, description: '' },
      { name: 'cutoff', type: 'string', default: '2026-01-01', description: '' },
    ],
  );

/** A stored run in the test database (tests/support/stored-runs.ts). */
const storedRun = (input: StoredRunInput) => storeRun(database.db, input);

describe('runCompare.compare', () => {
  it("returns each run's parameters, version, steps and metrics in the order asked", async () => {
    const created = await createPipeline(database.db, {
      name: 'Compared',
      graph: graph([{ metric: 'f1', operator: '>=', value: 0.5 }]),
    });
    const pipelineId = created.pipeline.id;
    const second = await saveVersion(database.db, { pipelineId, graph: graph([]) });
    const older = await storedRun({
      versionId: created.version.id,
      pipelineId,
      at: '2026-02-01T10:00:00Z',
      summary: { rows: 30, metrics: { accuracy: 0.9, f1: 0.8, log_loss: 0.31 } },
      trainMs: 1500,
    });
    const newer = await storedRun({
      versionId: second.id,
      pipelineId,
      at: '2026-02-02T10:00:00Z',
      trigger: 'schedule',
      parameters: { depth: 6 },
      summary: { rows: 30, metrics: { accuracy: 0.93, f1: 0.78, log_loss: 0.27, note: 'not a number' } },
      trainMs: 900,
    });
    const failed = await storedRun({
      versionId: second.id,
      pipelineId,
      at: '2026-02-03T10:00:00Z',
      summary: null,
      trainMs: 400,
    });

    const compared = await caller().runCompare.compare({ runIds: [newer, older, failed] });

    expect(compared.map((run) => [run.id, run.version, run.trigger, run.status, run.durationMs])).toEqual([
      [newer, 2, 'schedule', 'succeeded', 1150],
      [older, 1, 'manual', 'succeeded', 1750],
      [failed, 2, 'manual', 'failed', 650],
    ]);
    expect(compared.every((run) => run.pipelineName === 'Compared' && run.pipelineId === pipelineId)).toBe(
      true,
    );
    // Declared defaults fill what a run was not given.
    expect(compared.map((run) => run.parameters)).toEqual([
      [
        { name: 'depth', value: 6 },
        { name: 'cutoff', value: '2026-01-01' },
      ],
      [
        { name: 'depth', value: 4 },
        { name: 'cutoff', value: '2026-01-01' },
      ],
      [
        { name: 'depth', value: 4 },
        { name: 'cutoff', value: '2026-01-01' },
      ],
    ]);
    expect(compared[0]?.steps).toEqual([
      { nodeId: 'train', nodeType: 'train', status: 'succeeded', attempt: 1, durationMs: 900 },
      { nodeId: 'check', nodeType: 'evaluate', status: 'succeeded', attempt: 1, durationMs: 250 },
    ]);
    expect(compared[2]?.steps.map((step) => [step.nodeId, step.status, step.attempt])).toEqual([
      ['train', 'succeeded', 1],
      ['check', 'failed', 2],
    ]);
    // Numeric metrics only; the main metric follows the version's first gate (f1 in v1, none in v2).
    expect(compared.map((run) => [run.metrics, run.mainMetric])).toEqual([
      [
        [
          { step: 'check', name: 'accuracy', value: 0.93 },
          { step: 'check', name: 'f1', value: 0.78 },
          { step: 'check', name: 'log_loss', value: 0.27 },
        ],
        { name: 'accuracy', value: 0.93 },
      ],
      [
        [
          { step: 'check', name: 'accuracy', value: 0.9 },
          { step: 'check', name: 'f1', value: 0.8 },
          { step: 'check', name: 'log_loss', value: 0.31 },
        ],
        { name: 'f1', value: 0.8 },
      ],
      [[], null],
    ]);
  });

  it('refuses fewer than two runs, more than ten, the same run twice, and ids with no run', async () => {
    const created = await createPipeline(database.db, { name: 'Refusals', graph: graph([]) });
    const one = await storedRun({
      versionId: created.version.id,
      pipelineId: created.pipeline.id,
      at: '2026-03-01T10:00:00Z',
      summary: { rows: 1, metrics: { accuracy: 1 } },
      trainMs: 10,
    });

    const single = await rejection(caller().runCompare.compare({ runIds: [one] }));
    expect([single.code, single.message]).toEqual(['BAD_REQUEST', 'runIds: Pick at least 2 runs to compare']);

    const eleven = Array.from({ length: 11 }, () => randomUUID());
    const tooMany = await rejection(caller().runCompare.compare({ runIds: eleven }));
    expect([tooMany.code, tooMany.message]).toEqual([
      'BAD_REQUEST',
      'runIds: Compare at most 10 runs at once',
    ]);

    const twice = await rejection(caller().runCompare.compare({ runIds: [one, one] }));
    expect([twice.code, twice.message]).toEqual(['BAD_REQUEST', 'runIds: List each run once']);

    const notAnId = await rejection(caller().runCompare.compare({ runIds: [one, "x' or 1=1 --"] }));
    expect(notAnId.code).toBe('BAD_REQUEST');
    expect(notAnId.message).toMatch(/^runIds\.1: /);

    const ghost = randomUUID();
    const missing = await rejection(caller().runCompare.compare({ runIds: [one, ghost] }));
    expect([missing.code, missing.message]).toEqual(['NOT_FOUND', `No run ${ghost}`]);
  });

  it('answers nobody who is not signed in', async () => {
    const refused = await rejection(
      caller(null).runCompare.compare({ runIds: [randomUUID(), randomUUID()] }),
    );
    expect(refused.code).toBe('UNAUTHORIZED');
  });
});

describe('runCompare.metricHistory', () => {
  it("lists a pipeline's runs oldest first with status, trigger, version and main metric", async () => {
    const created = await createPipeline(database.db, { name: 'Over time', graph: graph([]) });
    const pipelineId = created.pipeline.id;
    const other = await createPipeline(database.db, { name: 'Elsewhere', graph: graph([]) });
    await storedRun({
      versionId: other.version.id,
      pipelineId: other.pipeline.id,
      at: '2026-04-01T09:00:00Z',
      summary: { rows: 1, metrics: { accuracy: 0.5 } },
      trainMs: 10,
    });
    const first = await storedRun({
      versionId: created.version.id,
      pipelineId,
      at: '2026-04-01T10:00:00Z',
      summary: { rows: 1, metrics: { accuracy: 0.7 } },
      trainMs: 10,
    });
    const scheduled = await storedRun({
      versionId: created.version.id,
      pipelineId,
      at: '2026-04-02T06:00:00Z',
      trigger: 'schedule',
      summary: { rows: 1, metrics: { rmse: 2.5, r2: 0.6 } },
      trainMs: 10,
    });
    const failed = await storedRun({
      versionId: created.version.id,
      pipelineId,
      at: '2026-04-03T06:00:00Z',
      trigger: 'schedule',
      summary: null,
      trainMs: 10,
    });

    const history = await caller().runCompare.metricHistory({ pipelineId });

    expect(history).toEqual([
      {
        runId: first,
        startedAt: new Date('2026-04-01T10:00:00Z'),
        status: 'succeeded',
        trigger: 'manual',
        version: 1,
        mainMetric: { name: 'accuracy', value: 0.7 },
      },
      {
        runId: scheduled,
        startedAt: new Date('2026-04-02T06:00:00Z'),
        status: 'succeeded',
        trigger: 'schedule',
        version: 1,
        mainMetric: { name: 'r2', value: 0.6 },
      },
      {
        runId: failed,
        startedAt: new Date('2026-04-03T06:00:00Z'),
        status: 'failed',
        trigger: 'schedule',
        version: 1,
        mainMetric: null,
      },
    ]);
  });
});
