import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listModelAlerts, listMonitorChecks } from '../db/queries/monitoring';
import { insertPredictionLog, type PredictionLogRow } from '../db/queries/prediction-log';
import { artifacts } from '../db/schema';
import { quantileEdges } from '../ml/drift/quantile';
import { sortValues } from '../ml/drift/sorted-values';
import { driftReportSchema, featureCheckSchema } from '../nodes/monitor-drift/report-schema';
import type { ModelSignature, ReferenceSample, VersionReference } from '../registry/version-schema';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { runRow, runToEnd, savePipeline, stepRows } from './support/pipelines';
import { registerTestModel } from './support/registered-model';

/**
 * The monitor.drift node through Temporal and PostgreSQL, on the reference drift case
 * (tests/fixtures/drift/drift-case.csv): a model registered with a reference sample of the case's
 * reference half, then traffic logged from its current half, with num_05 shifted by half a
 * standard deviation (num_06 and cat_a are the controls), then unshifted traffic.
 */

const fixture = setUpDatabaseAndWorker();

const SAMPLE_ROWS = 10_000;
const TRAFFIC_ROWS = 10_000;
const MINUTE = 60_000;

const signature: ModelSignature = {
  inputs: [
    { name: 'num_05', type: 'number', unknownCategories: 'accept', nullable: true },
    { name: 'num_06', type: 'number', unknownCategories: 'accept', nullable: true },
    { name: 'cat_a', type: 'string', unknownCategories: 'accept', nullable: true },
  ],
  output: { task: 'classification', labels: ['no', 'yes'] },
};
/** Monitoring never loads the graph: these bytes only stand in for the version's model.onnx. */
const model = { onnx: Buffer.from('not read by monitoring'), signature };

type Row = [number, number, string | null];

function driftCase() {
  const fixtures = path.join(import.meta.dirname, 'fixtures', 'drift');
  const figures = z
    .object({ shift_amount: z.number() })
    .parse(JSON.parse(readFileSync(path.join(fixtures, 'drift-case.json'), 'utf8')));
  const [header = '', ...lines] = readFileSync(path.join(fixtures, 'drift-case.csv'), 'utf8')
    .trim()
    .split('\n');
  expect(header).toBe('half,num_05,num_06,cat_a');
  const number = (cell: string | undefined) =>
    cell === undefined || cell === '' ? Number.NaN : Number(cell);
  const half = (which: string): Row[] =>
    lines
      .map((line) => line.split(','))
      .filter((cells) => cells[0] === which)
      .map((cells) => [number(cells[1]), number(cells[2]), cells[3] ? cells[3] : null]);
  return { reference: half('reference'), current: half('current'), shift: figures.shift_amount };
}

/** What the deploy node records: deciles over all training rows, frequencies, and a sample of rows. */
function registryReference(rows: readonly Row[]): { columns: VersionReference; sample: ReferenceSample } {
  const deciles = (index: 0 | 1) =>
    Array.from(quantileEdges(sortValues(Float64Array.from(rows, (row) => row[index])).values, 10));
  const frequencies: Record<string, number> = {};
  for (const row of rows)
    if (row[2] !== null) frequencies[row[2]] = (frequencies[row[2]] ?? 0) + 1 / rows.length;
  return {
    columns: {
      num_05: { kind: 'number', deciles: deciles(0), missingRate: 0 },
      num_06: { kind: 'number', deciles: deciles(1), missingRate: 0 },
      cat_a: { kind: 'category', frequencies, missingRate: 0 },
    },
    sample: {
      columns: ['num_05', 'num_06', 'cat_a'],
      rows: rows.slice(0, SAMPLE_ROWS).map((row) => row.map((value) => (Number.isNaN(value) ? null : value))),
    },
  };
}

/** Logged predictions of `rows`, `at` the given time, latencies 1…100 ms and labels by `yesShare`. */
function logRows(modelId: string, rows: readonly Row[], at: Date, yesShare: number): PredictionLogRow[] {
  return rows.map((row, index) => {
    const yes = index % 100 < yesShare * 100;
    return {
      predictionId: randomUUID(),
      requestId: `request-${Math.floor(index / 50)}`,
      modelId,
      version: 1,
      at: new Date(at.getTime() + (index % 1000)),
      latencyMs: (index % 100) + 1,
      inputs: row.map((value) => (typeof value === 'number' && Number.isNaN(value) ? null : value)),
      outputs: { label: yes ? 'yes' : 'no', probabilities: { no: yes ? 0.2 : 0.8, yes: yes ? 0.8 : 0.2 } },
    };
  });
}

function monitorPipeline(modelName: string, extra: Record<string, unknown> = {}) {
  return pipelineDoc(
    [
      {
        id: 'monitor',
        type: 'monitor.drift',
        // A third of the features in alert makes the inputs as a whole drifted (one of three here).
        config: {
          model: modelName,
          windowLength: { $param: 'hours' },
          windowUnit: 'hours',
          driftShare: 0.3,
          ...extra,
        },
      },
    ],
    [],
    [{ name: 'hours', type: 'number', default: 1, description: 'How many hours of predictions to check' }],
  );
}

const summarySchema = z.object({
  model: z.string(),
  version: z.number(),
  state: z.enum(['ok', 'warn', 'alert']),
  driftedFeatures: z.number(),
  features: z.number(),
  rows: z.number(),
  topFeatures: z.array(z.object({ feature: z.string(), psi: z.number().nullable(), state: z.string() })),
  alerts: z.object({ opened: z.number(), kept: z.number(), closed: z.number() }),
});

async function monitorStep(runId: string) {
  const [step] = (await stepRows(fixture.database.db, runId)).filter((row) => row.nodeId === 'monitor');
  if (!step) throw new Error('no monitor step');
  return step;
}

async function report(runId: string) {
  const step = await monitorStep(runId);
  const [artifact] = await fixture.database.db.select().from(artifacts).where(eq(artifacts.stepId, step.id));
  expect(artifact?.kind).toBe('drift');
  return driftReportSchema.parse(JSON.parse(readFileSync(new URL(artifact?.uri ?? ''), 'utf8')));
}

const data = driftCase();
let modelId = '';
let versionId = '';

beforeAll(async () => {
  ({ modelId } = await registerTestModel(fixture.database.sql, {
    name: 'traffic',
    model,
    alias: 'production',
    reference: registryReference(data.reference),
  }));
  ({
    version: { id: versionId },
  } = await savePipeline(fixture.database.db, monitorPipeline('traffic')));
});

describe('the monitor.drift node through Temporal', () => {
  it('raises an alert on shifted traffic, keeps it while the shift lasts, and closes it when traffic is back', async () => {
    const now = Date.now();
    const shifted = data.current
      .slice(0, TRAFFIC_ROWS)
      .map((row): Row => [row[0] + data.shift, row[1], row[2]]);
    // The hour before: unshifted traffic answered half yes; this hour: shifted traffic, 80% yes.
    await insertPredictionLog(
      fixture.database.sql,
      logRows(modelId, data.current.slice(20_000, 22_000), new Date(now - 90 * MINUTE), 0.5),
    );
    await insertPredictionLog(
      fixture.database.sql,
      logRows(modelId, shifted, new Date(now - 30 * MINUTE), 0.8),
    );

    // 1. The shift opens alerts on num_05 and on the inputs as a whole; the controls stay ok.
    const first = await runToEnd(fixture.database.db, fixture.worker, versionId);
    expect(first.result.status).toBe('succeeded');
    const [check] = await listMonitorChecks(fixture.database.sql, modelId);
    if (!check) throw new Error('no check recorded');
    const started = (await runRow(fixture.database.db, first.started.runId))?.startedAt;
    expect(check).toMatchObject({
      runId: first.started.runId,
      nodeId: 'monitor',
      version: 1,
      state: 'alert',
      referenceRows: SAMPLE_ROWS,
      currentRows: TRAFFIC_ROWS,
      windowTo: started,
      windowFrom: new Date((started?.getTime() ?? 0) - 60 * MINUTE),
    });
    const features = z.array(featureCheckSchema).parse(check.features);
    expect(features.map((feature) => [feature.feature, feature.state])).toEqual([
      ['num_05', 'alert'],
      ['num_06', 'ok'],
      ['cat_a', 'ok'],
    ]);
    const [num05, num06, catA] = features;
    // Half a standard deviation moves PSI to about 0.25 (0.2543 on the case's full halves).
    expect(num05?.psi).toBeGreaterThan(0.2);
    expect(num05?.psi).toBeLessThan(0.32);
    // Binned at the registry's deciles (over all 50,000 reference rows), not the sample's own.
    const registered = registryReference(data.reference).columns.num_05;
    expect(registered?.kind).toBe('number');
    expect(num05?.kind === 'numeric' && num05.bins?.innerEdges).toEqual(
      registered?.kind === 'number' && registered.deciles,
    );
    expect(num06?.psi).toBeLessThan(0.02);
    expect(catA?.kind).toBe('categorical');
    expect(catA?.psi).toBeLessThan(0.02);

    const opened = await listModelAlerts(fixture.database.sql, modelId);
    expect(opened.map((alert) => [alert.subject, alert.state, alert.kind]).sort()).toEqual([
      ['dataset', 'alert', 'drift'],
      ['num_05', 'alert', 'drift'],
    ]);
    for (const alert of opened) {
      expect(alert).toMatchObject({ openedCheckId: check.id, lastCheckId: check.id, closedAt: null });
    }

    const firstSummary = summarySchema.parse((await monitorStep(first.started.runId)).outputSummary);
    expect(firstSummary).toMatchObject({
      model: 'traffic',
      version: 1,
      state: 'alert',
      driftedFeatures: 1,
      features: 3,
      rows: TRAFFIC_ROWS,
      alerts: { opened: 2, kept: 0, closed: 0 },
    });
    expect(firstSummary.topFeatures[0]?.feature).toBe('num_05');
    const firstReport = await report(first.started.runId);
    expect(firstReport.checkId).toBe(check.id);
    expect(firstReport.current).toMatchObject({ source: 'log', rows: TRAFFIC_ROWS, versions: [1] });
    expect(firstReport.reference).toEqual({ source: 'registry', rows: SAMPLE_ROWS });
    expect(firstReport.modelStats?.volume.predictions).toBe(TRAFFIC_ROWS);
    // Latencies 1…100 ms, 100 rows each: numpy's linear percentiles.
    expect(firstReport.modelStats?.latencyMs?.p50).toBeCloseTo(50.5, 6);
    expect(firstReport.modelStats?.latencyMs?.p95).toBeCloseTo(95.05, 6);
    expect(firstReport.modelStats?.latencyMs?.p99).toBeCloseTo(99.01, 6);
    const prediction = firstReport.modelStats?.prediction;
    expect(prediction?.distribution).toEqual({ labels: { no: 0.2, yes: 0.8 } });
    // Against the hour before (half yes): PSI of 50/50 → 20/80 is 0.3·ln 2.5 + 0.3·ln 1.6 = 0.3·ln 4.
    expect(prediction?.previousPredictions).toBe(2_000);
    expect(prediction?.drift?.psi).toBeCloseTo(0.3 * Math.log(4), 6);

    // 2. The same condition at the next check keeps both alerts: no second alert row.
    const second = await runToEnd(fixture.database.db, fixture.worker, versionId);
    expect(second.result.status).toBe('succeeded');
    const checks = await listMonitorChecks(fixture.database.sql, modelId);
    expect(checks).toHaveLength(2);
    const secondCheck = checks[0];
    expect(secondCheck?.runId).toBe(second.started.runId);
    const kept = await listModelAlerts(fixture.database.sql, modelId);
    expect(kept.map((alert) => alert.id).sort()).toEqual(opened.map((alert) => alert.id).sort());
    for (const alert of kept) {
      expect(alert).toMatchObject({ openedCheckId: check.id, lastCheckId: secondCheck?.id, closedAt: null });
    }
    expect(summarySchema.parse((await monitorStep(second.started.runId)).outputSummary).alerts).toEqual({
      opened: 0,
      kept: 2,
      closed: 0,
    });

    // 3. Unshifted traffic in the last 6 minutes (the shifted rows are 30 minutes old): all ok, closed.
    await insertPredictionLog(
      fixture.database.sql,
      logRows(
        modelId,
        data.current.slice(TRAFFIC_ROWS, 2 * TRAFFIC_ROWS),
        new Date(Date.now() - MINUTE),
        0.5,
      ),
    );
    const third = await runToEnd(fixture.database.db, fixture.worker, versionId, {
      parameters: { hours: 0.1 },
    });
    expect(third.result.status).toBe('succeeded');
    const [thirdCheck] = await listMonitorChecks(fixture.database.sql, modelId);
    expect(thirdCheck).toMatchObject({ runId: third.started.runId, state: 'ok', currentRows: TRAFFIC_ROWS });
    const closed = await listModelAlerts(fixture.database.sql, modelId);
    expect(closed).toHaveLength(2);
    for (const alert of closed) {
      expect(alert.closedAt).toBeInstanceOf(Date);
      expect(alert.lastCheckId).toBe(thirdCheck?.id);
    }
    expect(summarySchema.parse((await monitorStep(third.started.runId)).outputSummary)).toMatchObject({
      state: 'ok',
      driftedFeatures: 0,
      alerts: { opened: 0, kept: 0, closed: 2 },
    });
  });

  it('scores the window against feedback: accuracy below the test figure − 0.05 opens a performance alert', async () => {
    const scored = await registerTestModel(fixture.database.sql, {
      name: 'scored',
      model,
      alias: 'production',
      reference: registryReference(data.reference),
      metrics: { accuracy: 0.9, f1: 0.8 },
    });
    const { version } = await savePipeline(fixture.database.db, monitorPipeline('scored'), 'scored monitor');
    // 1,000 unshifted rows answered 80 % yes; feedback on the first 500 (the rest never comes back):
    // rows 0-79 of each hundred were answered yes, and the truth is yes on rows 0-59 only, so 60 of
    // each 80 yes answers are right, and all 20 no answers: accuracy 0.8, precision 0.75, recall 1.
    const rows = logRows(
      scored.modelId,
      data.current.slice(0, 1_000),
      new Date(Date.now() - 30 * MINUTE),
      0.8,
    );
    await insertPredictionLog(fixture.database.sql, rows);
    for (const [index, row] of rows.slice(0, 500).entries())
      await fixture.database.sql`
        insert into prediction_feedback (prediction_id, model_id, version, label)
        values (${row.predictionId}, ${scored.modelId}, 1, ${JSON.stringify(index % 100 < 60 ? 'yes' : 'no')}::jsonb)`;
    const run = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(run.result.status).toBe('succeeded');
    const performance = (await report(run.started.runId)).performance;
    expect(performance).toMatchObject({
      task: 'classification',
      labelled: 500,
      judged: true,
      state: 'alert',
    });
    // Its own window: the 7 days before the run started, for labels that come late.
    const started = (await runRow(fixture.database.db, run.started.runId))?.startedAt ?? new Date(0);
    expect(performance?.window).toEqual({
      from: new Date(started.getTime() - 7 * 24 * 60 * MINUTE).toISOString(),
      to: started.toISOString(),
    });
    expect(performance?.metrics.accuracy).toBeCloseTo(0.8, 12);
    expect(performance?.metrics.precision).toBeCloseTo(0.75, 12);
    expect(performance?.metrics.recall).toBeCloseTo(1, 12);
    expect(performance?.checks.map((check) => [check.metric, check.state])).toEqual([
      ['accuracy', 'alert'],
      ['f1', 'ok'],
    ]);
    const [check] = await listMonitorChecks(fixture.database.sql, scored.modelId);
    expect(check?.state).toBe('alert');
    expect(check?.performance).toEqual(performance);
    const alerts = await listModelAlerts(fixture.database.sql, scored.modelId);
    expect(alerts.map((alert) => [alert.subject, alert.kind, alert.state])).toEqual([
      ['accuracy', 'performance', 'alert'],
    ]);
  });

  it('reads everything since the last check: the first check the last hour, the next from where it ended', async () => {
    const since = await registerTestModel(fixture.database.sql, {
      name: 'since',
      model,
      alias: 'production',
      reference: registryReference(data.reference),
    });
    const { version } = await savePipeline(
      fixture.database.db,
      monitorPipeline('since', { currentWindow: 'since last check' }),
      'since monitor',
    );
    await insertPredictionLog(
      fixture.database.sql,
      logRows(since.modelId, data.current.slice(0, 500), new Date(Date.now() - 30 * MINUTE), 0.5),
    );
    const first = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(first.result.status).toBe('succeeded');
    const firstStarted = (await runRow(fixture.database.db, first.started.runId))?.startedAt ?? new Date(0);
    // Logged just after the first check's window ended (all in the same millisecond, so none falls
    // after the next run's start however quickly it comes): only these are read next.
    const after = new Date(firstStarted.getTime() + 1);
    await insertPredictionLog(
      fixture.database.sql,
      logRows(since.modelId, data.current.slice(500, 800), after, 0.5).map((row) => ({ ...row, at: after })),
    );
    const second = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(second.result.status).toBe('succeeded');
    const [latest, earlier] = await listMonitorChecks(fixture.database.sql, since.modelId);
    expect(earlier).toMatchObject({ currentRows: 500, windowTo: firstStarted });
    expect(latest).toMatchObject({ runId: second.started.runId, currentRows: 300, windowFrom: firstStarted });
  });

  it('fails with a clear error naming the window when it holds no predictions, and records nothing', async () => {
    const quiet = await registerTestModel(fixture.database.sql, {
      name: 'quiet',
      model,
      alias: 'production',
      reference: registryReference(data.reference.slice(0, 1_000)),
    });
    const { version } = await savePipeline(fixture.database.db, monitorPipeline('quiet'), 'quiet monitor');
    const run = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(run.result.status).toBe('failed');
    const step = await monitorStep(run.started.runId);
    const started = (await runRow(fixture.database.db, run.started.runId))?.startedAt ?? new Date(0);
    expect(step.status).toBe('failed');
    expect(step.error).toContain(
      `No predictions of quiet were logged in the window (the last 1 hour before the run started: ${new Date(started.getTime() - 60 * MINUTE).toISOString()} to ${started.toISOString()}): nothing to compare.`,
    );
    expect(await listMonitorChecks(fixture.database.sql, quiet.modelId)).toEqual([]);
    expect(await listModelAlerts(fixture.database.sql, quiet.modelId)).toEqual([]);
  });

  it('fails naming the model field when the model does not exist or has no production version', async () => {
    await registerTestModel(fixture.database.sql, { name: 'unpromoted', model });
    for (const [name, message] of [
      ['missing', 'No registered model is named "missing" (see Models)'],
      ['unpromoted', 'Model "unpromoted" has no production version: promote a version before monitoring it'],
    ] as const) {
      const { version } = await savePipeline(fixture.database.db, monitorPipeline(name), `${name} monitor`);
      const run = await runToEnd(fixture.database.db, fixture.worker, version.id);
      expect(run.result.status).toBe('failed');
      expect((await monitorStep(run.started.runId)).error).toContain(message);
    }
  });
});

describe('monitor.drift on dataset inputs', () => {
  const flowers: ModelSignature = {
    inputs: ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'].map((name) => ({
      name,
      type: 'number',
      unknownCategories: 'accept',
      nullable: false,
    })),
    output: { task: 'classification', labels: ['setosa', 'versicolor', 'virginica'] },
  };

  function datasetPipeline(currentFrom: 'ingest' | 'feature') {
    return pipelineDoc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } },
        {
          id: 'feature',
          type: 'feature',
          config: {
            operations: [{ op: 'standardize', columns: { byType: 'numeric', except: ['target'] } }],
            target: 'target',
          },
        },
        { id: 'monitor', type: 'monitor.drift', config: { model: 'flowers', reference: 'input' } },
      ],
      ['ingest.data->feature.data', 'ingest.data->monitor.reference', `${currentFrom}.data->monitor.current`],
    );
  }

  it('compares a reference dataset with a current one: no log, no window, and the same rows are ok', async () => {
    const { modelId: flowersId } = await registerTestModel(fixture.database.sql, {
      name: 'flowers',
      model: { onnx: Buffer.from('not read by monitoring'), signature: flowers },
      alias: 'production',
    });
    const { version } = await savePipeline(fixture.database.db, datasetPipeline('ingest'), 'flowers monitor');
    const run = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(run.result.status).toBe('succeeded');
    const drift = await report(run.started.runId);
    expect(drift).toMatchObject({
      state: 'ok',
      reference: { source: 'input', rows: 150 },
      current: { source: 'input', window: null, rows: 150, versions: [] },
      modelStats: null,
    });
    expect(drift.features.map((feature) => [feature.feature, feature.psi, feature.state])).toEqual(
      flowers.inputs.map((input) => [input.name, 0, 'ok']),
    );
    const [check] = await listMonitorChecks(fixture.database.sql, flowersId);
    expect(check).toMatchObject({ windowFrom: null, windowTo: null, currentRows: 150, state: 'ok' });
  });

  it("refuses the feature step's output, whose columns are scaled in place, naming the port", async () => {
    const { version } = await savePipeline(fixture.database.db, datasetPipeline('feature'), 'scaled monitor');
    const run = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(run.result.status).toBe('failed');
    expect((await monitorStep(run.started.runId)).error).toContain(
      "The current input has been through feature engineering (its columns are scaled in place): connect raw rows, such as the split or clean step's output",
    );
  });
});
