/**
 * The Runs page across pipelines: the stored main metric (set as evaluate steps finish, computed as
 * nodes/evaluate/main-metric.ts does) and history.list's filters and keyset paging, against
 * PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app/_server/root';
import { createCallerFactory } from '../app/_server/trpc';
import { createPipeline } from '../db/queries/pipelines';
import type { RunHistoryFilters, RunHistoryItem } from '../db/queries/run-history';
import { setStepRunning, setStepSucceeded, setStepsStatus } from '../db/queries/run-state';
import { type RunStatus, type RunTrigger, runSteps, runs } from '../db/schema';
import { mainMetric, numericMetrics } from '../nodes/evaluate/main-metric';
import { createTestDatabase, type TestDatabase } from './support/database';
import { pipelineDoc } from './support/pipeline-doc';
import { runToEnd, savePipeline } from './support/pipelines';
import { databaseOnlyServices, testContext } from './support/services';
import { startTestWorker } from './support/temporal';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

function caller() {
  return createCallerFactory(appRouter)(testContext(databaseOnlyServices(database)));
}

const evaluated = (gates: unknown[], parameters: Parameters<typeof pipelineDoc>[2] = []) =>
  pipelineDoc(
    [
      { id: 'train', type: 'train' },
      { id: 'check', type: 'evaluate', config: { gates } },
    ],
    ['train.model->check.model'],
    parameters,
  );

/** The parameter a gate names its metric through, in the pipelines that gate on one. */
const declaredMetric = [{ name: 'metric', type: 'string' as const, default: 'f1', description: '' }];

let workflows = 0;

/** A run row of a version, queued; its steps are recorded through run-state as the worker does. */
async function newRun(
  version: { id: string; pipelineId: string },
  fields: { parameters?: unknown; startedAt?: Date } = {},
): Promise<string> {
  workflows += 1;
  const [run] = await database.db
    .insert(runs)
    .values({
      pipelineId: version.pipelineId,
      pipelineVersionId: version.id,
      workflowId: `page-${workflows}`,
      status: 'running',
      parameters: fields.parameters ?? {},
      startedAt: fields.startedAt ?? new Date(Date.UTC(2026, 0, 1, 0, workflows)),
    })
    .returning({ id: runs.id });
  if (!run) throw new Error('no run row');
  return run.id;
}

/** The evaluate step running and then succeeding with this summary, through run-state. */
async function evaluate(runId: string, summary: unknown): Promise<void> {
  await setStepRunning(database.sql, { runId, nodeId: 'check', nodeType: 'evaluate', attempt: 1 });
  const recorded = await setStepSucceeded(database.sql, {
    runId,
    nodeId: 'check',
    attempt: 1,
    summary,
    outputs: {},
    artifacts: [],
  });
  expect(recorded).toBe(true);
}

async function storedMetric(runId: string) {
  const [row] = await database.db
    .select({ name: runs.mainMetricName, value: runs.mainMetricValue })
    .from(runs)
    .where(eq(runs.id, runId));
  return row;
}

describe('the stored main metric', () => {
  it("is set when a run's evaluate step succeeds, and agrees with mainMetric on every rule", async () => {
    const gated = await createPipeline(database.db, {
      name: 'Metric rules',
      graph: evaluated([{ metric: 'f1', operator: '>=', value: 0.5 }]),
    });
    const ungated = await createPipeline(database.db, { name: 'Ungated', graph: evaluated([]) });
    const onParameter = await createPipeline(database.db, {
      name: 'Gate on a parameter',
      graph: evaluated([{ metric: { $param: 'metric' }, operator: '>=', value: 0.5 }], declaredMetric),
    });
    const oddName = await createPipeline(database.db, {
      name: 'Gate on constructor',
      graph: evaluated([{ metric: 'constructor', operator: '>=', value: 0.5 }]),
    });
    const summary = { rows: 30, metrics: { accuracy: 0.9, f1: 0.8, roc_auc: 0.95, constructor: 0.5 } };

    const cases = [
      { version: gated.version, parameters: {}, summary, expected: { name: 'f1', value: 0.8 } },
      { version: ungated.version, parameters: {}, summary, expected: { name: 'accuracy', value: 0.9 } },
      {
        version: ungated.version,
        parameters: {},
        summary: { metrics: { rmse: 2.5, r2: 0.75 } },
        expected: { name: 'r2', value: 0.75 },
      },
      { version: ungated.version, parameters: {}, summary: { metrics: { rmse: 2.5 } }, expected: null },
      { version: onParameter.version, parameters: {}, summary, expected: { name: 'f1', value: 0.8 } },
      {
        version: onParameter.version,
        parameters: { metric: 'roc_auc' },
        summary,
        expected: { name: 'roc_auc', value: 0.95 },
      },
      // A null value falls back to the declared default, as `??` does in mainMetric.
      {
        version: onParameter.version,
        parameters: { metric: null },
        summary,
        expected: { name: 'f1', value: 0.8 },
      },
      // A value that is not a name resolves to no gated metric: accuracy then.
      {
        version: onParameter.version,
        parameters: { metric: 3 },
        summary,
        expected: { name: 'accuracy', value: 0.9 },
      },
      { version: oddName.version, parameters: {}, summary, expected: { name: 'constructor', value: 0.5 } },
    ];
    const runIds: string[] = [];
    for (const each of cases) {
      const runId = await newRun(each.version, { parameters: each.parameters });
      expect(await storedMetric(runId)).toEqual({ name: null, value: null });
      await evaluate(runId, each.summary);
      runIds.push(runId);
    }

    const stored = await Promise.all(runIds.map(storedMetric));
    expect(stored).toEqual(cases.map((each) => each.expected ?? { name: null, value: null }));
    // The definition in TypeScript (nodes/evaluate/main-metric.ts) gives the same answer on every rule.
    const gates = new Map<string, { gatedMetric: unknown; declaredParameters: unknown }>([
      [gated.version.id, { gatedMetric: 'f1', declaredParameters: [] }],
      [ungated.version.id, { gatedMetric: null, declaredParameters: [] }],
      [onParameter.version.id, { gatedMetric: { $param: 'metric' }, declaredParameters: declaredMetric }],
      [oddName.version.id, { gatedMetric: 'constructor', declaredParameters: [] }],
    ]);
    const computed = cases.map((each) =>
      mainMetric([
        {
          summary: each.summary,
          parameters: each.parameters,
          gatedMetric: gates.get(each.version.id)?.gatedMetric ?? null,
          declaredParameters: gates.get(each.version.id)?.declaredParameters,
        },
      ]),
    );
    expect(computed).toEqual(cases.map((each) => each.expected));
  });

  it('is what every page shows: runs.list, history.list, runCompare.compare and metricHistory read the row', async () => {
    const created = await createPipeline(database.db, { name: 'Read from the row', graph: evaluated([]) });
    const first = await newRun(created.version);
    await evaluate(first, { metrics: { accuracy: 0.9, f1: 0.8 } });
    const second = await newRun(created.version);
    await evaluate(second, { metrics: { accuracy: 0.7 } });
    // A value the steps alone would not give (accuracy 0.9 there): a page that recomputes it shows 0.9.
    await database.db
      .update(runs)
      .set({ mainMetricName: 'f1', mainMetricValue: 0.42 })
      .where(eq(runs.id, first));
    const expected = [
      [first, { name: 'f1', value: 0.42 }],
      [second, { name: 'accuracy', value: 0.7 }],
    ];
    const pipelineId = created.pipeline.id;
    // The two lists go newest first; compare answers in the order asked, metricHistory oldest first.
    const newestFirst = [...expected].reverse();

    const listed = await caller().runs.list({ pipelineId });
    expect(listed.items.map((item) => [item.id, item.mainMetric])).toEqual(newestFirst);
    const history = await caller().history.list({ filters: { pipelineId } });
    expect(history.items.map((item) => [item.id, item.mainMetric])).toEqual(newestFirst);
    const compared = await caller().runCompare.compare({ runIds: [first, second] });
    expect(compared.map((run) => [run.id, run.mainMetric])).toEqual(expected);
    const overTime = await caller().runCompare.metricHistory({ pipelineId });
    expect(overTime.map((run) => [run.runId, run.mainMetric])).toEqual(expected);
  });

  it('is set when the evaluate step is reused from an earlier run, and stays null when it fails', async () => {
    const created = await createPipeline(database.db, { name: 'Reused metric', graph: evaluated([]) });
    const source = await newRun(created.version);
    await evaluate(source, { metrics: { accuracy: 0.875 } });
    const rerun = await newRun(created.version);
    await database.db
      .insert(runSteps)
      .values({ runId: rerun, nodeId: 'check', nodeType: 'evaluate', status: 'queued' });
    await setStepsStatus(database.sql, {
      runId: rerun,
      nodeIds: ['check'],
      status: 'cached',
      reusedFromRunId: source,
    });
    expect(await storedMetric(rerun)).toEqual({ name: 'accuracy', value: 0.875 });

    const failing = await newRun(created.version);
    await setStepRunning(database.sql, { runId: failing, nodeId: 'check', nodeType: 'evaluate', attempt: 1 });
    await setStepsStatus(database.sql, {
      runId: failing,
      nodeIds: ['check'],
      status: 'failed',
      message: 'boom',
    });
    expect(await storedMetric(failing)).toEqual({ name: null, value: null });
  });
});

describe('the stored main metric, through a real run', () => {
  it("is stored when a worker's evaluate step finishes: the gated f1, as the run's page computes it", async () => {
    const worker = await startTestWorker(database.sql);
    try {
      const doc = pipelineDoc(
        [
          { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'breast_cancer' } },
          { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: 'target' } },
          {
            id: 'train',
            type: 'train',
            config: { target: 'target', algorithm: 'decision_tree', maxDepth: 3 },
          },
          {
            id: 'evaluate',
            type: 'evaluate',
            config: { gates: [{ metric: 'f1', operator: '>=', value: 0.5 }] },
          },
        ],
        [
          'ingest.data->split.data',
          'split.data->train.data',
          'train.model->evaluate.model',
          'split.data->evaluate.data',
        ],
      );
      const { version } = await savePipeline(database.db, doc, 'Real evaluate');
      const { started, result } = await runToEnd(database.db, worker, version.id);
      expect(result.status).toBe('succeeded');
      const [step] = await database.db
        .select({ summary: runSteps.outputSummary })
        .from(runSteps)
        .where(eq(runSteps.runId, started.runId))
        .then((rows) => rows.filter((row) => numericMetrics(row.summary).has('f1')));
      const f1 = numericMetrics(step?.summary).get('f1');
      expect(f1).toBeGreaterThan(0.5);
      expect(await storedMetric(started.runId)).toEqual({ name: 'f1', value: f1 });
      const listed = await caller().history.list({ filters: { pipelineId: version.pipelineId } });
      expect(listed.items.map((item) => [item.id, item.mainMetric])).toEqual([
        [started.runId, { name: 'f1', value: f1 }],
      ]);
    } finally {
      await worker.stop();
    }
  });
});

describe("migration 0008's backfill", () => {
  /** The migration's last statement, which fills the main metric of the runs recorded before it. */
  function backfill(): string {
    const file = path.join(import.meta.dirname, '..', 'db', 'migrations', '0008_run_history.sql');
    const statement = readFileSync(file, 'utf8').split('--> statement-breakpoint').at(-1)?.trim() ?? '';
    expect(statement).toMatch(/^-- The runs recorded before this migration\./);
    return statement;
  }

  it('stores the main metric of runs recorded before it, as mainMetric computes it', async () => {
    const created = await createPipeline(database.db, {
      name: 'Recorded before',
      graph: evaluated([{ metric: { $param: 'metric' }, operator: '>=', value: 0.5 }], declaredMetric),
    });
    const version = created.version;
    const summary = { metrics: { accuracy: 0.9, f1: 0.8, roc_auc: 0.95 } };
    // Rows as a worker from before the migration left them: steps written, no metric on the run.
    const recorded = [];
    for (const [parameters, stepSummary] of [
      [{}, summary],
      [{ metric: 'roc_auc' }, summary],
      [{}, { metrics: { rmse: 1 } }],
      [{}, null],
    ] as const) {
      const runId = await newRun(version, { parameters });
      await database.db.insert(runSteps).values({
        runId,
        nodeId: 'check',
        nodeType: 'evaluate',
        status: 'succeeded',
        outputSummary: stepSummary,
      });
      recorded.push(runId);
    }
    await database.sql.unsafe(backfill());

    expect(await Promise.all(recorded.map(storedMetric))).toEqual([
      { name: 'f1', value: 0.8 },
      { name: 'roc_auc', value: 0.95 },
      { name: null, value: null },
      { name: null, value: null },
    ]);
    // The definition in TypeScript (nodes/evaluate/main-metric.ts) gives the same answers.
    const computed = [
      [{}, summary],
      [{ metric: 'roc_auc' }, summary],
      [{}, { metrics: { rmse: 1 } }],
    ].map(([parameters, stepSummary]) =>
      mainMetric([
        {
          summary: stepSummary,
          parameters,
          gatedMetric: { $param: 'metric' },
          declaredParameters: declaredMetric,
        },
      ]),
    );
    expect(computed).toEqual([{ name: 'f1', value: 0.8 }, { name: 'roc_auc', value: 0.95 }, null]);
  });
});

describe('history.list', () => {
  const statuses: RunStatus[] = ['succeeded', 'failed', 'running', 'cancelled'];
  const triggers: RunTrigger[] = ['manual', 'schedule', 'api'];
  let pipelineIds: string[] = [];
  /** Every seeded run as the page shows it, in the page's order. */
  let all: {
    id: string;
    pipelineId: string;
    status: RunStatus;
    trigger: RunTrigger;
    startedAt: Date;
    metric: number | null;
  }[] = [];

  beforeAll(async () => {
    // A database of its own: the runs above would be in every expected list otherwise.
    await database.drop();
    database = await createTestDatabase();
    const versions = await Promise.all(
      ['Churn', 'Fraud', 'Price'].map((name) => createPipeline(database.db, { name, graph: evaluated([]) })),
    );
    pipelineIds = versions.map((each) => each.pipeline.id);
    const base = Date.UTC(2026, 2, 1);
    const rows = Array.from({ length: 60 }, (_, index) => {
      const created = versions[index % 3];
      if (!created) throw new Error('no pipeline');
      // Every fourth run shares its start with the one before: the id orders them.
      const startedAt = new Date(base + (index % 4 === 3 ? index - 1 : index) * 60_000);
      return {
        pipelineId: created.pipeline.id,
        pipelineVersionId: created.version.id,
        workflowId: `list-${index}`,
        status: statuses[index % 4] ?? 'succeeded',
        trigger: triggers[index % 3 === 0 ? 1 : index % 2 === 0 ? 0 : 2] ?? 'manual',
        startedAt,
        finishedAt: new Date(startedAt.getTime() + 1500),
        mainMetricName: index % 5 === 0 ? null : 'accuracy',
        mainMetricValue: index % 5 === 0 ? null : (index % 10) / 10,
      };
    });
    const inserted = await database.db.insert(runs).values(rows).returning();
    all = inserted
      .map((row) => ({
        id: row.id,
        pipelineId: row.pipelineId,
        status: row.status,
        trigger: row.trigger,
        startedAt: row.startedAt,
        metric: row.mainMetricValue,
      }))
      .sort(
        (a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      );
  });

  /** Every page of a listing, followed by cursor, with the size of each. */
  async function everyPage(filters: RunHistoryFilters, limit: number) {
    const items: RunHistoryItem[] = [];
    const sizes: number[] = [];
    let cursor: { startedAt: Date; id: string } | undefined;
    for (let page = 0; page < 100; page++) {
      const answer = await caller().history.list({ filters, limit, cursor });
      items.push(...answer.items);
      sizes.push(answer.items.length);
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    return { ids: items.map((item) => item.id), items, sizes };
  }

  it('pages every run newest first, id breaking ties, without duplicates or gaps', async () => {
    const { ids, sizes } = await everyPage({}, 7);
    expect(ids).toEqual(all.map((run) => run.id));
    expect(sizes).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
    // A page that ends the list exactly says so: no empty last page.
    expect((await everyPage({}, 20)).sizes).toEqual([20, 20, 20]);
  });

  it('shows each column: pipeline name, version, status, trigger, duration, metric', async () => {
    const [first] = (await caller().history.list({ limit: 1 })).items;
    const newest = all[0];
    expect(newest).toBeDefined();
    expect(first).toMatchObject({
      id: newest?.id,
      pipelineName: ['Churn', 'Fraud', 'Price'][pipelineIds.indexOf(newest?.pipelineId ?? '')],
      version: 1,
      status: newest?.status,
      trigger: newest?.trigger,
      startedAt: newest?.startedAt,
      durationMs: 1500,
      mainMetric: newest?.metric === null ? null : { name: 'accuracy', value: newest?.metric },
    });
  });

  it('filters by pipeline, status, trigger, time range and metric, alone and together', async () => {
    const [churn = ''] = pipelineIds;
    const from = new Date(Date.UTC(2026, 2, 1, 0, 10));
    const to = new Date(Date.UTC(2026, 2, 1, 0, 40));
    const cases: [RunHistoryFilters, (run: (typeof all)[number]) => boolean][] = [
      [{ pipelineId: churn }, (run) => run.pipelineId === churn],
      [{ status: 'failed' }, (run) => run.status === 'failed'],
      [{ trigger: 'schedule' }, (run) => run.trigger === 'schedule'],
      [{ from, to }, (run) => run.startedAt >= from && run.startedAt < to],
      [{ metric: { comparison: 'above', value: 0.6 } }, (run) => run.metric !== null && run.metric > 0.6],
      [{ metric: { comparison: 'below', value: 0.3 } }, (run) => run.metric !== null && run.metric < 0.3],
      [
        { pipelineId: churn, status: 'succeeded', metric: { comparison: 'above', value: 0.1 } },
        (run) =>
          run.pipelineId === churn && run.status === 'succeeded' && run.metric !== null && run.metric > 0.1,
      ],
    ];
    for (const [filters, matches] of cases) {
      const expected = all.filter(matches).map((run) => run.id);
      expect(expected.length, JSON.stringify(filters)).toBeGreaterThan(0);
      expect(expected.length, JSON.stringify(filters)).toBeLessThan(all.length);
      expect((await everyPage(filters, 4)).ids, JSON.stringify(filters)).toEqual(expected);
    }
    expect((await everyPage({ trigger: 'monitor' }, 4)).ids).toEqual([]);
  });

  it('refuses a bad filter with a message naming the field', async () => {
    // @ts-expect-error: a status that does not exist, as a client could send it.
    await expect(caller().history.list({ filters: { status: 'lost' } })).rejects.toThrow(/status/);
    await expect(
      caller().history.list({ filters: { metric: { comparison: 'above', value: Number.NaN } } }),
    ).rejects.toThrow(/value/);
    await expect(caller().history.list({ limit: 1000 })).rejects.toThrow(/limit/);
  });
});
