import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client';
import { modelAlerts, monitorChecks } from '../../db/monitoring-schema';
import { type RunStatus, runs } from '../../db/schema';
import type { FeatureCheck, ModelStats, Performance } from '../../nodes/monitor-drift/report-schema';
import { pipelineDoc } from './pipeline-doc';
import { savePipeline } from './pipelines';

/**
 * A model's monitoring history written straight into PostgreSQL, as a daily monitor and its
 * retraining would leave it: for the Monitoring tab's router tests and browser test. Twelve daily
 * checks of version `version`; `tenure` drifts from the eighth day (warn, then alert), the others
 * stay put; accuracy on feedback drops below the test figure minus 0.05 at the end; the drift alert
 * on tenure started a retraining run.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const THRESHOLDS = { psiWarn: 0.1, psiAlert: 0.2 };

/** PSI per day (12 days) of each feature: tenure shifts from day 8 (index 7). */
export const SEEDED_PSI: Record<string, readonly number[]> = {
  tenure: [0.021, 0.034, 0.018, 0.027, 0.041, 0.03, 0.025, 0.128, 0.214, 0.263, 0.305, 0.341],
  monthly_charges: [0.012, 0.019, 0.015, 0.022, 0.017, 0.02, 0.026, 0.031, 0.028, 0.035, 0.04, 0.038],
  support_calls: [0.041, 0.052, 0.047, 0.06, 0.058, 0.066, 0.071, 0.079, 0.088, 0.094, 0.112, 0.097],
  plan: [0.004, 0.006, 0.003, 0.008, 0.005, 0.007, 0.006, 0.009, 0.011, 0.01, 0.012, 0.009],
};
/** Accuracy on the labelled predictions per day; the version's test accuracy is 0.89, alerting below 0.84. */
export const SEEDED_ACCURACY = [
  0.884, 0.879, 0.891, 0.872, 0.886, 0.877, 0.881, 0.866, 0.851, 0.838, 0.822, 0.809,
];
const LABELLED = [212, 230, 198, 241, 226, 219, 208, 233, 247, 221, 205, 96];
const VOLUME = [4810, 5022, 4675, 5130, 4987, 3120, 2990, 5210, 5403, 5580, 5712, 5655];

function stateOf(psi: number): FeatureCheck['state'] {
  return psi >= THRESHOLDS.psiAlert ? 'alert' : psi >= THRESHOLDS.psiWarn ? 'warn' : 'ok';
}

function numericFeature(feature: string, psi: number, rows: number): FeatureCheck {
  return {
    feature,
    thresholds: THRESHOLDS,
    kind: 'numeric',
    state: stateOf(psi),
    psi,
    bins: null,
    ks: {
      statistic: Math.min(0.9, psi * 0.62),
      pValue: Math.max(1e-12, Math.exp(-psi * 60)),
      effectiveSize: 900,
    },
    jensenShannon: psi * 0.4,
    wasserstein: psi * 3.1,
    missing: { reference: 0.01, current: 0.012, change: 0.002 },
    referenceValues: 2000,
    currentValues: rows,
  };
}

function categoricalFeature(feature: string, psi: number, rows: number): FeatureCheck {
  return {
    feature,
    thresholds: THRESHOLDS,
    kind: 'categorical',
    state: stateOf(psi),
    psi,
    categories: ['basic', 'pro'],
    referenceCounts: [1200, 800],
    currentCounts: [Math.round(rows * 0.61), Math.round(rows * 0.39)],
    chiSquare: { statistic: psi * 40, pValue: Math.exp(-psi * 40), degreesOfFreedom: 1 },
    jensenShannon: psi * 0.5,
    missing: { reference: 0, current: 0, change: 0 },
    referenceValues: 2000,
    currentValues: rows,
  };
}

function modelStats(day: number): ModelStats {
  const predictions = VOLUME[day] ?? 5000;
  return {
    volume: { predictions, perHour: predictions / 24 },
    latencyMs: { p50: 3.1 + (day % 3) * 0.2, p95: 8.4 + (day % 4) * 0.6, p99: 14.2 + (day % 5) * 1.1 },
    prediction: {
      task: 'classification',
      distribution: { labels: { stays: 0.74, leaves: 0.26 } },
      drift: null,
      previousPredictions: VOLUME[day - 1] ?? 0,
    },
  };
}

function performance(day: number): Performance {
  const accuracy = SEEDED_ACCURACY[day] ?? 0.88;
  const threshold = 0.84;
  const labelled = LABELLED[day] ?? 200;
  return {
    task: 'classification',
    labelled,
    judged: true,
    window: null,
    metrics: { accuracy },
    checks: [
      {
        metric: 'accuracy',
        value: accuracy,
        test: 0.89,
        threshold,
        state: accuracy < threshold ? 'alert' : accuracy < threshold + 0.02 ? 'warn' : 'ok',
      },
    ],
    // Annual plans hold up; new customers are where the model slips first.
    slices: [
      { name: 'Annual plan', labelled: Math.round(labelled * 0.4), metrics: { accuracy: accuracy + 0.03 } },
      {
        name: 'Tenure under 6 months',
        labelled: Math.round(labelled * 0.2),
        metrics: { accuracy: accuracy - 0.09 },
      },
    ],
    state: accuracy < threshold ? 'alert' : 'ok',
  };
}

async function runOf(
  db: Database,
  pipeline: { id: string; versionId: string },
  at: Date,
  status: RunStatus,
  trigger: 'schedule' | 'monitor',
): Promise<string> {
  const [run] = await db
    .insert(runs)
    .values({
      pipelineId: pipeline.id,
      pipelineVersionId: pipeline.versionId,
      workflowId: `seeded-${randomUUID()}`,
      trigger,
      status,
      startedAt: at,
      finishedAt: status === 'running' ? null : new Date(at.getTime() + 40_000),
    })
    .returning({ id: runs.id });
  if (!run) throw new Error('no run row');
  return run.id;
}

export interface SeededMonitoring {
  monitorPipelineId: string;
  retrainPipelineId: string;
  retrainRunId: string;
  checkIds: string[];
  /** The alerts written: tenure drift (open, alert, with the retraining run), dataset (open, warn), accuracy (open, alert), support_calls (closed). */
  alertIds: { tenure: string; dataset: string; accuracy: string; supportCalls: string };
}

/** Twelve daily checks of `modelId` ending a few hours before `now`, and their alerts. */
export async function seedMonitoring(
  db: Database,
  input: { modelId: string; version: number; now: Date; monitorName?: string; retrainName?: string },
): Promise<SeededMonitoring> {
  const monitor = await savePipeline(
    db,
    pipelineDoc([{ id: 'monitor', type: 'test.source' }], []),
    input.monitorName ?? 'Monitor churn daily',
  );
  const retrain = await savePipeline(
    db,
    pipelineDoc([{ id: 'train', type: 'test.source' }], []),
    input.retrainName ?? 'Retrain churn',
  );
  const monitorPipeline = { id: monitor.pipeline.id, versionId: monitor.version.id };
  const checkIds: string[] = [];
  const firstDay = input.now.getTime() - 11 * DAY_MS - 3 * 60 * 60 * 1000;
  for (let day = 0; day < 12; day++) {
    const at = new Date(firstDay + day * DAY_MS);
    const runId = await runOf(db, monitorPipeline, at, 'succeeded', 'schedule');
    const rows = VOLUME[day] ?? 5000;
    const features = [
      numericFeature('tenure', SEEDED_PSI.tenure?.[day] ?? 0, rows),
      numericFeature('monthly_charges', SEEDED_PSI.monthly_charges?.[day] ?? 0, rows),
      numericFeature('support_calls', SEEDED_PSI.support_calls?.[day] ?? 0, rows),
      categoricalFeature('plan', SEEDED_PSI.plan?.[day] ?? 0, rows),
    ];
    const [check] = await db
      .insert(monitorChecks)
      .values({
        runId,
        nodeId: 'monitor',
        modelId: input.modelId,
        version: input.version,
        windowFrom: new Date(at.getTime() - DAY_MS),
        windowTo: at,
        referenceRows: 2000,
        currentRows: rows,
        state: features.some((feature) => feature.state !== 'ok') ? 'warn' : 'ok',
        features,
        modelStats: modelStats(day),
        performance: performance(day),
        createdAt: at,
      })
      .returning({ id: monitorChecks.id });
    if (!check) throw new Error('no check row');
    checkIds.push(check.id);
  }
  const checkOn = (day: number) => checkIds[day] ?? '';
  const dayAt = (day: number) => new Date(firstDay + day * DAY_MS);
  const retrainRunId = await runOf(
    db,
    { id: retrain.pipeline.id, versionId: retrain.version.id },
    new Date(dayAt(8).getTime() + 60_000),
    'succeeded',
    'monitor',
  );
  const alert = async (values: {
    subject: string;
    kind: 'drift' | 'performance';
    state: 'warn' | 'alert';
    opened: number;
    last: number;
    closed?: number;
    retrainRunId?: string;
  }) => {
    const [row] = await db
      .insert(modelAlerts)
      .values({
        modelId: input.modelId,
        pipelineId: monitor.pipeline.id,
        nodeId: 'monitor',
        subject: values.subject,
        kind: values.kind,
        state: values.state,
        openedAt: dayAt(values.opened),
        openedCheckId: checkOn(values.opened),
        lastCheckId: checkOn(values.last),
        closedAt: values.closed === undefined ? null : dayAt(values.closed),
        retrainRunId: values.retrainRunId ?? null,
      })
      .returning({ id: modelAlerts.id });
    if (!row) throw new Error('no alert row');
    return row.id;
  };
  const supportCalls = await alert({
    subject: 'support_calls',
    kind: 'drift',
    state: 'warn',
    opened: 10,
    last: 11,
    closed: 11,
  });
  const dataset = await alert({ subject: 'dataset', kind: 'drift', state: 'warn', opened: 7, last: 11 });
  const tenure = await alert({
    subject: 'tenure',
    kind: 'drift',
    state: 'alert',
    opened: 7,
    last: 11,
    retrainRunId,
  });
  const accuracy = await alert({
    subject: 'accuracy',
    kind: 'performance',
    state: 'alert',
    opened: 9,
    last: 11,
  });
  return {
    monitorPipelineId: monitor.pipeline.id,
    retrainPipelineId: retrain.pipeline.id,
    retrainRunId,
    checkIds,
    alertIds: { tenure, dataset, accuracy, supportCalls },
  };
}
