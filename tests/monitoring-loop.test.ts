/**
 * The whole loop with no human step after setup, through real Temporal, PostgreSQL and the serving
 * process (`npm run serve`):
 *
 * 1. v1 of "loop" is trained on the first half of a synthetic dataset (label = x1 + x2 > 0) and
 *    deployed to production by an admin's run;
 * 2. traffic goes through the endpoint with x1 shifted by half a standard deviation (as in the
 *    reference drift case) and labels that follow another relationship (x3 + x4 > 0), so v1 really
 *    gets worse; its feedback is sent;
 * 3. a monitoring pipeline [monitor.drift] → [monitor.retrain], fired by its Temporal schedule,
 *    raises a drift alert;
 * 4. the retraining pipeline [ingest.predictions + the original rows] → split → train → evaluate →
 *    deploy (champion/challenger, margin 0.02) runs with trigger `monitor`, linked to the alert,
 *    and its gates pass;
 * 5. v2 is promoted: the ledger says from 1 to 2, by that run, and why;
 * 6. the endpoint answers with v2.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listModelAlerts, listMonitorChecks } from '../db/queries/monitoring';
import { archivePipeline } from '../db/queries/pipelines';
import { insertPredictionLog } from '../db/queries/prediction-log';
import { promotionLedger, registeredModels, runs } from '../db/schema';
import { quantileEdges } from '../ml/drift/quantile';
import { sortValues } from '../ml/drift/sorted-values';
import { performanceSchema } from '../nodes/monitor-drift/report-schema';
import type { RunResult } from '../workflows/pipeline.types';
import { retrainingPort, retrainRunId } from '../workflows/retraining-port';
import { startRun } from '../workflows/run-service';
import { createSchedule, type ScheduleActor, triggerSchedule } from '../workflows/schedules/schedule-service';
import { type Account, accountsAuth, createAccount, createKey } from './support/accounts';
import { setUpDatabaseAndWorker } from './support/fixture';
import { specOfWithTestNodes } from './support/nodes/specs';
import { pipelineDoc } from './support/pipeline-doc';
import { runRow, runServices, runToEnd, savePipeline, stepRows } from './support/pipelines';
import { registerTestModel } from './support/registered-model';
import { deleteSchedulesAfterAll } from './support/schedule-cleanup';
import { testActor, testCaller } from './support/services';
import { type ServingProcess, startServingProcess } from './support/serving-process';

const fixture = setUpDatabaseAndWorker();
deleteSchedulesAfterAll(fixture);

const MODEL = 'loop';
const RETRAINING = 'loop retraining';
const ORIGINAL_ROWS = 1_000;
const TRAFFIC_ROWS = 3_000;
/** Half a standard deviation (the features are standard normal), as in the reference drift case. */
const SHIFT = 0.5;
const MARGIN = 0.02;

type Row = { x1: number; x2: number; x3: number; x4: number };
type Labelled = Row & { label: 'yes' | 'no' };

/** mulberry32 with Box–Muller: the same numbers on every run, so the figures below are stable. */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;

function rows(count: number, seed: number, shift: number): Row[] {
  const next = normals(seed);
  return Array.from({ length: count }, () => ({
    x1: round(next() + shift),
    x2: round(next()),
    x3: round(next()),
    x4: round(next()),
  }));
}

/** Before: the label follows x1 + x2. After: it follows x3 + x4, which v1 never looked at. */
const before = (row: Row): Labelled => ({ ...row, label: row.x1 + row.x2 > 0 ? 'yes' : 'no' });
const after = (row: Row): Labelled => ({ ...row, label: row.x3 + row.x4 > 0 ? 'yes' : 'no' });

let admin: Account;
let predictKey: string;
let serving: ServingProcess;

beforeAll(async () => {
  serving = await startServingProcess(fixture.database.url);
  const auth = accountsAuth(fixture.database.db);
  admin = await createAccount(auth, 'admin');
  predictKey = (await createKey(auth, admin.userId, 'predict')).key;
  // The first half of the dataset: v1 learns from it, and the retraining adds it to the log's rows.
  const original = rows(2 * ORIGINAL_ROWS, 7, 0)
    .map(before)
    .slice(0, ORIGINAL_ROWS);
  const uploads = path.join(fixture.worker.dataDir, 'uploads');
  mkdirSync(uploads, { recursive: true });
  writeFileSync(
    path.join(uploads, 'original.csv'),
    [
      'x1,x2,x3,x4,label',
      ...original.map((row) => `${row.x1},${row.x2},${row.x3},${row.x4},${row.label}`),
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  await serving?.stop();
});

const train = { target: 'label', algorithm: 'decision_tree', maxDepth: 6, seed: 1 };
const gates = [{ metric: 'accuracy', operator: '>=', value: 0.65 }];
/** v1's evaluate step measures this slice; the monitor measures it again on the feedback. */
const slices = [{ name: 'x3 above 0', condition: { column: 'x3', operator: '>', value: 0 } }];

/** ingest → split → train → evaluate → deploy to production. */
function trainingPipeline() {
  return pipelineDoc(
    [
      { id: 'ingest', type: 'ingest', config: { source: 'file', file: 'uploads/original.csv' } },
      { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: 'label', seed: 42 } },
      { id: 'train', type: 'train', config: train },
      { id: 'evaluate', type: 'evaluate', config: { gates, slices } },
      { id: 'deploy', type: 'deploy', config: { model: MODEL, action: 'production' } },
    ],
    [
      'ingest.data->split.data',
      'split.data->train.data',
      'train.model->evaluate.model',
      'split.data->evaluate.data',
      'train.model->deploy.model',
      'evaluate.report->deploy.report',
      'split.data->deploy.data',
    ],
  );
}

/** The logged predictions with feedback in [from, to), plus the original rows, then as above with champion/challenger. */
function retrainingPipeline() {
  return pipelineDoc(
    [
      { id: 'original', type: 'ingest', config: { source: 'file', file: 'uploads/original.csv' } },
      {
        id: 'logged',
        type: 'ingest.predictions',
        config: { model: MODEL, from: { $param: 'from' }, to: { $param: 'to' }, target: 'label' },
      },
      { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: 'label', seed: 42 } },
      { id: 'train', type: 'train', config: train },
      { id: 'evaluate', type: 'evaluate', config: { gates } },
      {
        id: 'deploy',
        type: 'deploy',
        config: { model: MODEL, action: 'production', compareMetric: 'accuracy', margin: MARGIN },
      },
    ],
    [
      'original.data->logged.append',
      'logged.data->split.data',
      'split.data->train.data',
      'train.model->evaluate.model',
      'split.data->evaluate.data',
      'train.model->deploy.model',
      'evaluate.report->deploy.report',
      'split.data->deploy.data',
    ],
    [
      { name: 'from', type: 'string', description: 'Start of the window (ISO)' },
      { name: 'to', type: 'string', description: 'End of the window (ISO)' },
    ],
  );
}

/** [monitor.drift] → [monitor.retrain]: x1 alone in alert makes the inputs drifted (a quarter of them). */
function monitoringPipeline(
  target = RETRAINING,
  parameters: Record<string, unknown> = { from: '{{window.from}}', to: '{{window.to}}' },
) {
  return pipelineDoc(
    [
      { id: 'drift', type: 'monitor.drift', config: { model: MODEL, windowLength: 1, driftShare: 0.25 } },
      {
        id: 'retrain',
        type: 'monitor.retrain',
        config: { pipeline: target, parameters },
      },
    ],
    ['drift.report->retrain.report'],
  );
}

const predictAnswerSchema = z.object({
  model: z.string(),
  version: z.number(),
  predictions: z.array(z.object({ id: z.string(), label: z.string() })),
});

async function predict(batch: readonly Row[]) {
  const response = await fetch(`${serving.url}/api/v1/models/${MODEL}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${predictKey}` },
    body: JSON.stringify({ rows: batch }),
  });
  expect(response.status).toBe(200);
  return predictAnswerSchema.parse(await response.json());
}

async function count(query: 'log' | 'feedback', modelId: string): Promise<number> {
  const [row] =
    query === 'log'
      ? await fixture.database.sql<{ n: number }[]>`
          select count(*)::int as n from prediction_log where model_id = ${modelId}`
      : await fixture.database.sql<{ n: number }[]>`
          select count(*)::int as n from prediction_feedback where model_id = ${modelId}`;
  return row?.n ?? 0;
}

async function stepSummary(runId: string, nodeId: string) {
  const step = (await stepRows(fixture.database.db, runId)).find((row) => row.nodeId === nodeId);
  return { status: step?.status, error: step?.error, summary: step?.outputSummary };
}

/** Polls until the run `find` reads has ended (succeeded, failed or cancelled); returns its row. */
async function endedRun<R extends { status: string }>(find: () => Promise<R | undefined>): Promise<R> {
  let ended: R | undefined;
  await expect
    .poll(async () => {
      const row = await find();
      ended = row && ['succeeded', 'failed', 'cancelled'].includes(row.status) ? row : undefined;
      return ended?.status;
    }, POLL)
    .toMatch(/^(succeeded|failed|cancelled)$/);
  if (!ended) throw new Error('the run did not end');
  return ended;
}

/** The retraining port as the worker binds it for a step of a run. */
function stepPort(runId: string, nodeId: string) {
  return retrainingPort(
    {
      sql: fixture.database.sql,
      temporal: () => ({ client: fixture.worker.client, taskQueue: fixture.worker.taskQueue }),
      specOf: specOfWithTestNodes,
    },
    { runId, nodeId },
  );
}

/** Starts a run as the admin (deploy promotes for an operator or higher) and waits for its end. */
async function runAsAdmin(versionId: string) {
  const started = await startRun(runServices(fixture.database.db, fixture.worker), {
    pipelineVersionId: versionId,
    startedBy: admin.userId,
  });
  const result: RunResult = await fixture.worker.client.workflow.getHandle(started.workflowId).result();
  return { runId: started.runId, status: result.status };
}

const POLL = { timeout: 120_000, interval: 250 };

describe('the monitoring loop', () => {
  it('retrains, gates and promotes v2 when production traffic drifts and v1 gets worse, then serves v2', async () => {
    const { db, sql } = fixture.database;

    // 1. v1, trained on the original rows, deployed to production by an admin's run.
    const training = await savePipeline(db, trainingPipeline(), 'loop training');
    const first = await runAsAdmin(training.version.id);
    expect(first.status).toBe('succeeded');
    const [model] = await db.select().from(registeredModels).where(eq(registeredModels.name, MODEL));
    if (!model) throw new Error('v1 was not registered');
    // Its test accuracy on the relationship it learned; production answers with it.
    const [v1] = await sql<{ metrics: { accuracy: number } }[]>`
      select metrics from model_versions where model_id = ${model.id} and version = 1`;
    expect(v1?.metrics.accuracy).toBeGreaterThan(0.9);
    expect((await predict(rows(1, 1, 0))).version).toBe(1);

    // 2. Shifted traffic whose labels follow x3 + x4: v1 is right about half the time; feedback sent.
    const traffic = rows(TRAFFIC_ROWS, 2026, SHIFT).map(after);
    const answers: { id: string; label: string }[] = [];
    for (let start = 0; start < traffic.length; start += 500) {
      const answer = await predict(
        traffic.slice(start, start + 500).map(({ label: _, ...inputs }) => inputs),
      );
      expect(answer.version).toBe(1);
      answers.push(...answer.predictions);
    }
    const v1OnTraffic = accuracy(
      answers.map((answer) => answer.label),
      traffic,
    );
    expect(v1OnTraffic).toBeLessThan(0.6);
    // The log is written in batches off the request path; the probe row above is in it too.
    await expect.poll(() => count('log', model.id), POLL).toBe(1 + TRAFFIC_ROWS);
    const feedback = await fetch(`${serving.url}/api/v1/models/${MODEL}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${predictKey}` },
      body: JSON.stringify({
        feedback: answers.map((answer, index) => ({ predictionId: answer.id, label: traffic[index]?.label })),
      }),
    });
    expect(feedback.status).toBe(200);
    expect(await count('feedback', model.id)).toBe(TRAFFIC_ROWS);

    // 3. The monitor, fired by its Temporal schedule (owned by the admin), raises a drift alert.
    const retraining = await savePipeline(db, retrainingPipeline(), RETRAINING);
    const monitoring = await savePipeline(db, monitoringPipeline(), 'loop monitor');
    const deps = {
      db,
      temporal: fixture.worker.client,
      taskQueue: fixture.worker.taskQueue,
      specOf: specOfWithTestNodes,
    };
    const owner: ScheduleActor = {
      actorKind: 'user',
      actorId: admin.userId,
      actorEmail: admin.email,
      ipAddress: null,
    };
    const schedule = await createSchedule(deps, owner, {
      pipelineId: monitoring.pipeline.id,
      timing: { kind: 'every', amount: 1, unit: 'h' },
    });
    await triggerSchedule(deps, owner, schedule.id);
    const monitored = await endedRun(async () => {
      const [row] = await db
        .select()
        .from(runs)
        .where(and(eq(runs.pipelineId, monitoring.pipeline.id), eq(runs.trigger, 'schedule')));
      return row;
    });
    expect(await stepSummary(monitored.id, 'drift')).toMatchObject({ status: 'succeeded' });
    expect(monitored.status).toBe('succeeded');
    const [check] = await listMonitorChecks(sql, model.id);
    expect(check).toMatchObject({
      runId: monitored.id,
      version: 1,
      state: 'alert',
      currentRows: 1 + TRAFFIC_ROWS,
    });
    const features = z
      .array(z.object({ feature: z.string(), psi: z.number().nullable(), state: z.string() }))
      .parse(check?.features);
    expect(features.map((feature) => [feature.feature, feature.state])).toEqual([
      ['x1', 'alert'],
      ['x2', 'ok'],
      ['x3', 'ok'],
      ['x4', 'ok'],
    ]);
    expect(features[0]?.psi).toBeGreaterThan(0.2);
    const alerts = await listModelAlerts(sql, model.id);
    // v1 also scores worse on the feedback than on its test rows: accuracy and F1 alert too.
    const performance = performanceSchema.parse(check?.performance);
    expect(performance.labelled).toBe(TRAFFIC_ROWS);
    const scored = performance.checks.find((metric) => metric.metric === 'accuracy');
    expect(scored?.value).toBeLessThan((scored?.test ?? 0) - 0.05);
    // Per slice: the rows of the traffic with x3 > 0, and v1's accuracy on them.
    const sliceRows = traffic.filter((row) => row.x3 > 0);
    const sliceAnswers = answers.filter((_, index) => (traffic[index]?.x3 ?? 0) > 0);
    expect(sliceRows.length).toBeGreaterThan(TRAFFIC_ROWS / 4);
    expect(performance.slices).toEqual([
      {
        name: 'x3 above 0',
        labelled: sliceRows.length,
        metrics: expect.objectContaining({
          accuracy: expect.closeTo(
            accuracy(
              sliceAnswers.map((answer) => answer.label),
              sliceRows,
            ),
            9,
          ),
        }),
      },
    ]);
    expect(alerts.map((alert) => [alert.subject, alert.kind, alert.state]).sort()).toEqual([
      ['accuracy', 'performance', 'alert'],
      ['dataset', 'drift', 'alert'],
      ['f1', 'performance', 'alert'],
      ['x1', 'drift', 'alert'],
    ]);

    // 4. The retraining run: trigger monitor, acting for the monitor's owner, linked from the alerts.
    const retrainId = retrainRunId({ runId: monitored.id, nodeId: 'retrain' });
    expect(await stepSummary(monitored.id, 'retrain')).toMatchObject({
      status: 'succeeded',
      summary: {
        started: true,
        runId: retrainId,
        pipeline: RETRAINING,
        alerts: ['dataset', 'x1', 'accuracy', 'f1'],
      },
    });
    for (const alert of await listModelAlerts(sql, model.id)) expect(alert.retrainRunId).toBe(retrainId);
    // Asked again for the same alerts (a rerun of the check's report, another step): the run they have.
    expect(
      await stepPort(monitored.id, 'another').startRetraining({
        pipeline: RETRAINING,
        parameters: {},
        alertIds: alerts.map((alert) => alert.id),
      }),
    ).toEqual({ status: 'already', runId: retrainId });
    const retrainRun = await endedRun(() => runRow(db, retrainId));
    const failures = (await stepRows(db, retrainId))
      .filter((step) => step.error)
      .map((step) => `${step.nodeId}: ${step.error}`);
    expect(failures).toEqual([]);
    expect(retrainRun).toMatchObject({
      status: 'succeeded',
      trigger: 'monitor',
      pipelineId: retraining.pipeline.id,
      pipelineVersionId: retraining.version.id,
      startedBy: admin.userId,
      parameters: {
        from: new Date((check?.windowFrom ?? new Date(0)).getTime()).toISOString(),
        to: new Date((check?.windowTo ?? new Date(0)).getTime()).toISOString(),
      },
    });
    // A retried attempt of the step whose first attempt started the run but died before recording
    // it (the record undone here): it finds the run by its derived id and records it, starting none.
    await sql`update model_alerts set retrain_run_id = null where model_id = ${model.id}`;
    expect(
      await stepPort(monitored.id, 'retrain').startRetraining({
        pipeline: RETRAINING,
        parameters: {},
        alertIds: alerts.map((alert) => alert.id),
      }),
    ).toEqual({ status: 'started', runId: retrainId, pipelineName: RETRAINING, version: 1 });
    for (const alert of await listModelAlerts(sql, model.id)) expect(alert.retrainRunId).toBe(retrainId);
    expect(await db.select({ id: runs.id }).from(runs).where(eq(runs.trigger, 'monitor'))).toHaveLength(1);
    // The run's page says which alert started it (a viewer may read it).
    const { caller } = testCaller(fixture.database, fixture.worker, testActor('viewer'));
    expect((await caller.runs.get({ runId: retrainId })).startedFor).toEqual({
      alertId: alerts.find((alert) => alert.subject === 'dataset')?.id,
      subject: 'dataset',
      modelName: MODEL,
      state: 'alert',
    });
    expect((await caller.runs.get({ runId: monitored.id })).startedFor).toBeNull();
    // It learned from the logged predictions with their feedback, plus the original rows.
    expect((await stepSummary(retrainId, 'logged')).summary).toMatchObject({
      model: MODEL,
      versions: [1],
      labelled: TRAFFIC_ROWS,
      appended: ORIGINAL_ROWS,
      rows: TRAFFIC_ROWS + ORIGINAL_ROWS,
      target: 'label',
    });
    const evaluated = z
      .object({
        metrics: z.record(z.string(), z.number()),
        gates: z.array(z.object({ passed: z.boolean() })),
      })
      .parse((await stepSummary(retrainId, 'evaluate')).summary);
    expect(evaluated.gates).toEqual([expect.objectContaining({ passed: true })]);

    // 5. The challenger beat the champion by the margin: v2 promoted, the ledger says so.
    const [promotion] = await db
      .select()
      .from(promotionLedger)
      .where(and(eq(promotionLedger.modelId, model.id), eq(promotionLedger.toVersion, 2)));
    expect(promotion).toMatchObject({
      alias: 'production',
      kind: 'promote',
      fromVersion: 1,
      toVersion: 2,
      actorKind: 'run',
      actorId: admin.userId,
      runId: retrainId,
    });
    const figures = /on accuracy \(new ([0-9.]+), production ([0-9.]+); needs/.exec(promotion?.reason ?? '');
    expect(promotion?.reason).toMatch(
      /^Promoted loop version 2 to production: it beats production version 1 on accuracy/,
    );
    expect(Number(figures?.[1]) - Number(figures?.[2])).toBeGreaterThanOrEqual(MARGIN);

    // 6. The endpoint answers with v2, and v2 is right on the new relationship.
    await expect.poll(async () => (await predict(rows(1, 3, SHIFT))).version, POLL).toBe(2);
    const fresh = rows(1_000, 4242, SHIFT).map(after);
    const v2Answer = await predict(fresh.map(({ label: _, ...inputs }) => inputs));
    expect(v2Answer.version).toBe(2);
    const v2OnFresh = accuracy(
      v2Answer.predictions.map((p) => p.label),
      fresh,
    );
    expect(v2OnFresh).toBeGreaterThan(v1OnTraffic + 0.15);
  }, 240_000);

  it('fails the retraining step naming its field when the pipeline is missing or archived, or its parameters do not fit', async () => {
    const { db } = fixture.database;
    const archived = await savePipeline(db, retrainingPipeline(), 'archived retraining');
    await archivePipeline(db, archived.pipeline.id, true);
    const cases = [
      [
        RETRAINING,
        `The parameters do not fit pipeline "${RETRAINING}" (version 1): Parameter "from" needs a value; This pipeline has no parameter "form"`,
        { form: '{{window.from}}', to: '{{window.to}}' },
      ],
      ['nowhere', 'No pipeline is named "nowhere" (see Pipelines): choose the pipeline to run', undefined],
      [
        'archived retraining',
        'Pipeline "archived retraining" is archived: restore it, or choose another pipeline to run',
        undefined,
      ],
    ] as const;
    for (const [target, message, parameters] of cases) {
      const { version } = await savePipeline(
        db,
        monitoringPipeline(target, parameters),
        `monitor of ${target}`,
      );
      const run = await runToEnd(db, fixture.worker, version.id);
      expect(run.result.status).toBe('failed');
      expect(await stepSummary(run.started.runId, 'retrain')).toMatchObject({ status: 'failed' });
      expect((await stepSummary(run.started.runId, 'retrain')).error).toContain(message);
    }
    // The retraining pipeline on a window with no labelled predictions says so, naming model and window.
    const empty = await runToEnd(db, fixture.worker, archived.version.id, {
      parameters: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
    });
    expect(empty.result.status).toBe('failed');
    expect((await stepSummary(empty.started.runId, 'logged')).error).toContain(
      `There are no logged predictions with feedback in the window: no prediction of ${MODEL} made from 2026-01-01T00:00:00.000Z to 2026-01-02T00:00:00.000Z has had its true label or value sent.`,
    );
    // Nothing was started for them: the one retraining run is the first test's.
    expect(await db.select({ id: runs.id }).from(runs).where(eq(runs.trigger, 'monitor'))).toHaveLength(1);
  }, 120_000);

  it('starts one retraining per alert: a continuing drift starts none, and warn starts one only when asked', async () => {
    const { db, sql } = fixture.database;
    // A model whose reference is the unshifted rows, and an hour of shifted traffic in its log.
    const reference = rows(2_000, 11, 0);
    const deciles = (name: keyof Row) =>
      Array.from(quantileEdges(sortValues(Float64Array.from(reference, (row) => row[name])).values, 10));
    const names = ['x1', 'x2', 'x3', 'x4'] as const;
    const { modelId } = await registerTestModel(sql, {
      name: 'steady',
      model: {
        onnx: Buffer.from('not read by monitoring'),
        signature: {
          inputs: names.map((name) => ({
            name,
            type: 'number',
            unknownCategories: 'accept',
            nullable: false,
          })),
          output: { task: 'classification', labels: ['no', 'yes'] },
        },
      },
      alias: 'production',
      reference: {
        columns: Object.fromEntries(
          names.map((name) => [name, { kind: 'number', deciles: deciles(name), missingRate: 0 }]),
        ),
        sample: { columns: [...names], rows: reference.map((row) => names.map((name) => row[name])) },
      },
    });
    const at = new Date(Date.now() - 10 * 60_000);
    await insertPredictionLog(
      sql,
      rows(2_000, 12, SHIFT).map((row, index) => ({
        predictionId: randomUUID(),
        requestId: `request-${index}`,
        modelId,
        version: 1,
        at: new Date(at.getTime() + index),
        latencyMs: 1,
        inputs: names.map((name) => row[name]),
        outputs: { label: 'yes' },
      })),
    );
    // The target: a pipeline of test nodes that records the window it was given.
    const target = await savePipeline(
      db,
      pipelineDoc(
        [{ id: 'source', type: 'test.source', config: { value: { $param: 'from' } } }],
        [],
        [{ name: 'from', type: 'string', description: '' }],
      ),
      'steady retraining',
    );
    const monitor = (startOn: 'alert' | 'warn', driftShare: number) =>
      pipelineDoc(
        [
          { id: 'drift', type: 'monitor.drift', config: { model: 'steady', windowLength: 1, driftShare } },
          {
            id: 'retrain',
            type: 'monitor.retrain',
            config: { pipeline: target.pipeline.id, parameters: { from: '{{window.from}}' }, startOn },
          },
        ],
        ['drift.report->retrain.report'],
      );
    const targetRuns = () =>
      db
        .select()
        .from(runs)
        .where(and(eq(runs.pipelineId, target.pipeline.id), eq(runs.trigger, 'monitor')));
    const retrainSummary = async (runId: string) => (await stepSummary(runId, 'retrain')).summary;

    // x1 alone in alert is a quarter of the inputs: short of half, the check warns.
    const warned = await savePipeline(db, monitor('alert', 0.5), 'steady monitor (alert)');
    const quiet = await runToEnd(db, fixture.worker, warned.version.id);
    expect(quiet.result.status).toBe('succeeded');
    expect(await retrainSummary(quiet.started.runId)).toMatchObject({
      state: 'warn',
      started: false,
      message: 'no retraining: state warn, below alert',
    });
    expect(await targetRuns()).toEqual([]);

    // Told to start on warn (a monitor of its own, with alerts of its own): the first check starts one…
    const eager = await savePipeline(db, monitor('warn', 0.5), 'steady monitor (warn)');
    const first = await runToEnd(db, fixture.worker, eager.version.id);
    expect(first.result.status).toBe('succeeded');
    const started = retrainRunId({ runId: first.started.runId, nodeId: 'retrain' });
    expect(await retrainSummary(first.started.runId)).toMatchObject({
      state: 'warn',
      started: true,
      runId: started,
      alerts: ['dataset', 'x1'],
    });
    const [check] = await listMonitorChecks(sql, modelId);
    const ran = await endedRun(() => runRow(db, started));
    expect(ran).toMatchObject({
      status: 'succeeded',
      trigger: 'monitor',
      parameters: { from: check?.windowFrom?.toISOString() },
    });
    // …and the next check, the same drift continuing (its alerts kept, not opened), starts none.
    const second = await runToEnd(db, fixture.worker, eager.version.id);
    expect(second.result.status).toBe('succeeded');
    expect(await retrainSummary(second.started.runId)).toMatchObject({
      state: 'warn',
      started: false,
      message: `already started for this alert: run ${started}`,
    });
    expect((await targetRuns()).map((run) => run.id)).toEqual([started]);
    const eagerAlerts = (await listModelAlerts(sql, modelId)).filter((alert) => alert.closedAt === null);
    expect(
      eagerAlerts
        .filter((alert) => alert.retrainRunId !== null)
        .map((alert) => [alert.subject, alert.retrainRunId])
        .sort(),
    ).toEqual([
      ['dataset', started],
      ['x1', started],
    ]);
  }, 120_000);
});

function accuracy(predicted: readonly string[], truth: readonly Labelled[]): number {
  let right = 0;
  truth.forEach((row, index) => {
    if (predicted[index] === row.label) right++;
  });
  return right / truth.length;
}
