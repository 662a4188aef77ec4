import { z } from 'zod';
import { algorithmSchema } from '../_model/algorithms';

/**
 * The evaluation report an evaluate step writes (run.ts, typed by this schema), as the API
 * returns it and the run-details drawer draws it. Pure: the server parses with it, the client
 * imports its type.
 */

/** A class label as the target column holds it. */
const labelSchema = z.union([z.string(), z.number(), z.boolean()]);
export type ReportLabel = z.infer<typeof labelSchema>;

/** Metric name (lower snake case, as gates name them) → value. */
const metricsSchema = z.record(z.string(), z.number());
export type ReportMetrics = z.infer<typeof metricsSchema>;

const importanceSchema = z.object({ feature: z.string(), importance: z.number() });
export type FeatureImportance = z.infer<typeof importanceSchema>;

export const gateResultSchema = z.object({
  description: z.string(),
  metric: z.string(),
  slice: z.string().optional(),
  /** Null when the metric or slice does not exist. */
  measured: z.number().nullable(),
  /** Null when there was nothing to compare with (no slice, no metric, no model in production). */
  threshold: z.number().nullable(),
  passed: z.boolean(),
  note: z.string().optional(),
});
export type GateResult = z.infer<typeof gateResultSchema>;

export const sliceResultSchema = z.object({
  name: z.string(),
  rows: z.number(),
  /** Empty when no test row falls in the slice. */
  metrics: metricsSchema,
});
export type SliceResult = z.infer<typeof sliceResultSchema>;

export const classCurveSchema = z.object({
  /** The positive class (binary) or the class against the rest (more classes). */
  class: labelSchema,
  roc: z.array(z.object({ fpr: z.number(), tpr: z.number() })),
  precisionRecall: z.array(z.object({ precision: z.number(), recall: z.number() })),
});
export type ClassCurve = z.infer<typeof classCurveSchema>;

export const residualSchema = z.object({ actual: z.number(), predicted: z.number(), residual: z.number() });
export type Residual = z.infer<typeof residualSchema>;

export const evaluationReportSchema = z.object({
  task: z.enum(['classification', 'regression']),
  algorithm: algorithmSchema,
  target: z.string(),
  /** Test rows measured. */
  rows: z.number(),
  metrics: metricsSchema,
  slices: z.array(sliceResultSchema),
  gates: z.array(gateResultSchema),
  /** Classification: counts with rows = actual and columns = predicted, in `labels` order. */
  confusionMatrix: z
    .object({ labels: z.array(labelSchema), matrix: z.array(z.array(z.number())) })
    .optional(),
  /** Classification: the positive class's curves (binary) or one-vs-rest per class. */
  curves: z.array(classCurveSchema).optional(),
  /** Regression: up to 1000 test rows. */
  residuals: z.array(residualSchema).optional(),
  /** The model's own importances, normalised to sum to 1 (split gain; mean |coefficient| for linear). */
  importances: z.array(importanceSchema),
  /** Drop in accuracy (classes) or R² (values) when a feature is shuffled on the test rows, highest first. */
  permutationImportances: z.array(importanceSchema).default([]),
  training: z.object({
    rows: z.number(),
    seconds: z.number(),
    metrics: metricsSchema,
    validation: z.object({ rows: z.number(), metrics: metricsSchema }).optional(),
  }),
});
export type EvaluationReport = z.infer<typeof evaluationReportSchema>;
