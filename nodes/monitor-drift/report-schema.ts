import { z } from 'zod';
import { datasetDriftSchema, driftStateSchema, featureDriftSchema } from '../../ml/drift/drift-schemas';

/**
 * What a drift check reports, as zod schemas: the step writes it as its `report` artifact and the
 * monitor_checks row keeps its features and model stats, which the app reads back and charts.
 * Browser-safe (zod and ml/drift's schemas only).
 */

export const featureCheckSchema = z.intersection(
  z.object({
    feature: z.string(),
    thresholds: z.object({ psiWarn: z.number(), psiAlert: z.number() }),
  }),
  featureDriftSchema,
);
export type FeatureCheck = z.infer<typeof featureCheckSchema>;

export const predictionStatsSchema = z.object({
  task: z.enum(['classification', 'regression']),
  /** Share of each label, or the values' quartiles: the window's answers on their own. */
  distribution: z
    .union([
      z.object({ labels: z.record(z.string(), z.number()) }),
      z.object({ quartiles: z.tuple([z.number(), z.number(), z.number()]) }),
    ])
    .nullable(),
  /**
   * The answers against those of the window before (as long, ending where this one starts): a
   * sudden change in what the model says. Null when the window before holds no predictions.
   */
  drift: featureDriftSchema.nullable(),
  previousPredictions: z.number().int().min(0),
});
export type PredictionStats = z.infer<typeof predictionStatsSchema>;

export const modelStatsSchema = z.object({
  volume: z.object({ predictions: z.number().int().min(0), perHour: z.number().nullable() }),
  /** Milliseconds per request, numpy's linear percentiles; null without predictions. */
  latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).nullable(),
  prediction: predictionStatsSchema.nullable(),
});
export type ModelStats = z.infer<typeof modelStatsSchema>;

/** One metric on the labelled predictions against the version's test figure and the allowed drop. */
export const metricCheckSchema = z.object({
  metric: z.string(),
  value: z.number().nullable(),
  /** The version's test metric (from its evaluate step); null when the version has none of that name. */
  test: z.number().nullable(),
  /** The worst value still ok (test − allowed drop for higher-is-better metrics, test + rise for errors). */
  threshold: z.number().nullable(),
  state: driftStateSchema,
});
export type MetricCheck = z.infer<typeof metricCheckSchema>;

/**
 * The model's quality on the window's predictions that have feedback (true labels or values,
 * possibly sent days later), overall and per slice, with the count behind each figure.
 */
export const performanceSchema = z.object({
  task: z.enum(['classification', 'regression']),
  /** Predictions in the window with feedback. */
  labelled: z.number().int().min(0),
  /** False with fewer labelled predictions than the step's minimum: shown, but raising nothing. */
  judged: z.boolean().default(true),
  /** ISO times of the predictions scored (longer than the drift window: labels come late). */
  window: z.object({ from: z.string(), to: z.string() }).nullable().default(null),
  metrics: z.record(z.string(), z.number()),
  checks: z.array(metricCheckSchema),
  /** The evaluate step's slices, each measured on its own labelled predictions. */
  slices: z.array(
    z.object({
      name: z.string(),
      labelled: z.number().int().min(0),
      metrics: z.record(z.string(), z.number()),
      /** Why the slice was not measured (a column the log cannot give); absent when it was. */
      note: z.string().optional(),
    }),
  ),
  /** ok, warn or alert: the worst of the checks; ok with too few labelled predictions to judge. */
  state: driftStateSchema,
});
export type Performance = z.infer<typeof performanceSchema>;

const alertChangeSchema = z.object({
  alertId: z.string(),
  subject: z.string(),
  kind: z.enum(['drift', 'performance']),
  state: z.enum(['warn', 'alert']),
});

export const topFeatureSchema = z.object({
  feature: z.string(),
  psi: z.number().nullable(),
  state: driftStateSchema,
});

export const driftReportSchema = z.object({
  kind: z.literal('drift'),
  checkId: z.string(),
  model: z.string(),
  /** The version watched (whose inputs are compared). */
  version: z.number().int(),
  /** ok, warn or alert: the inputs as a whole (see assessment.ts). */
  state: driftStateSchema,
  dataset: datasetDriftSchema,
  reference: z.object({ source: z.enum(['registry', 'input']), rows: z.number().int().min(0) }),
  current: z.object({
    source: z.enum(['log', 'input']),
    /** ISO times; null for a dataset input. */
    window: z.object({ from: z.string(), to: z.string() }).nullable(),
    rows: z.number().int().min(0),
    /** The versions whose logged rows were read (those with the watched version's inputs); none for a dataset. */
    versions: z.array(z.number().int()),
  }),
  /** In the model's input order. */
  features: z.array(featureCheckSchema),
  topFeatures: z.array(topFeatureSchema),
  /** Null when the current side is a dataset: no log, no answers, no latency. */
  modelStats: modelStatsSchema.nullable(),
  /** Null when the step does not measure performance, or the current side is a dataset. */
  performance: performanceSchema.nullable().default(null),
  alerts: z.object({
    opened: z.array(alertChangeSchema),
    kept: z.array(alertChangeSchema),
    closed: z.array(alertChangeSchema),
  }),
});
export type DriftReport = z.infer<typeof driftReportSchema>;
