import { z } from 'zod';
import { labelSchema, modelAliasSchema } from '../../../registry/version-schema';

/**
 * What models.compare answers: two versions of a model side by side. The server builds it (app/
 * _server/version-comparison.ts) with the pure helpers beside this file; the Compare tab draws it.
 * Pure zod: the browser imports the types. A part a version does not hold is null, which the page
 * reads out as "Not recorded for this version".
 */

/** Which version of the two is better on a figure, or `tie`; null when one side has no figure. */
export const betterSchema = z.enum(['a', 'b', 'tie']).nullable();
export type Better = z.infer<typeof betterSchema>;

export const metricRowSchema = z.object({
  name: z.string(),
  a: z.number().nullable(),
  b: z.number().nullable(),
  /** b − a; null unless both are there. */
  delta: z.number().nullable(),
  lowerIsBetter: z.boolean(),
  better: betterSchema,
});
export type MetricRow = z.infer<typeof metricRowSchema>;

export const rocCurveSchema = z.object({
  /** The positive class (binary) or the class against the rest. */
  class: labelSchema,
  points: z.array(z.object({ x: z.number(), y: z.number() })),
  /** Binary: the exact AUC of all test rows (roc_auc); otherwise the area under the stored curve. */
  auc: z.number(),
});
export type RocCurve = z.infer<typeof rocCurveSchema>;

export const confusionSchema = z.object({
  labels: z.array(labelSchema),
  /** Counts, rows = actual, columns = predicted, in `labels` order. */
  matrix: z.array(z.array(z.number())),
});
export type Confusion = z.infer<typeof confusionSchema>;

/** Regression: the stored test residuals (actual − predicted) summed up. */
export const residualStatsSchema = z.object({
  rows: z.number(),
  mean: z.number(),
  std: z.number(),
  meanAbsolute: z.number(),
  maxAbsolute: z.number(),
});
export type ResidualStats = z.infer<typeof residualStatsSchema>;

export const versionSideSchema = z.object({
  version: z.number(),
  aliases: z.array(modelAliasSchema),
  task: z.enum(['classification', 'regression']),
  algorithm: z.string(),
  createdAt: z.date(),
  runId: z.string().nullable(),
  /**
   * Where the confusion matrix, curves and importances were read from: the report kept with the
   * version, the run's evaluate step (versions registered before reports were kept), or nowhere.
   */
  evaluationSource: z.enum(['version', 'run']).nullable(),
  /** Test rows the evaluate step measured. */
  testRows: z.number().nullable(),
  confusion: confusionSchema.nullable(),
  roc: z.array(rocCurveSchema).nullable(),
  residuals: residualStatsSchema.nullable(),
});
export type VersionSide = z.infer<typeof versionSideSchema>;

export const importancePairSchema = z.object({
  feature: z.string(),
  /** Null when the version has no importance for this feature (it did not use it). */
  a: z.number().nullable(),
  b: z.number().nullable(),
});
export type ImportancePair = z.infer<typeof importancePairSchema>;

export const importanceComparisonSchema = z.object({
  /** Whether each version's importances were recorded at all. */
  recorded: z.object({ a: z.boolean(), b: z.boolean() }),
  /** The models' own importances (split gain, coefficient size), by the larger of the two. */
  model: z.array(importancePairSchema),
  /** Permutation importances, when both versions have them. */
  permutation: z.array(importancePairSchema),
  /** Features either version has, before the list was cut to the top ones. */
  features: z.number(),
});
export type ImportanceComparison = z.infer<typeof importanceComparisonSchema>;

const plainSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One column of a training dataset, as its profile gave it. */
export const columnFactsSchema = z.object({
  type: z.string(),
  missingFraction: z.number(),
  distinct: z.number(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  /** The most frequent values with their share of the rows (categorical columns). */
  top: z.array(z.object({ value: plainSchema, share: z.number() })),
});
export type ColumnFacts = z.infer<typeof columnFactsSchema>;

export const columnDiffSchema = z.object({
  name: z.string(),
  /** `added`: only version B's data has it; `removed`: only A's. */
  status: z.enum(['kept', 'added', 'removed']),
  a: columnFactsSchema.nullable(),
  b: columnFactsSchema.nullable(),
  /** The large shifts from A to B, in words ("mean moved 0.8 standard deviations"). */
  shifts: z.array(z.string()),
});
export type ColumnDiff = z.infer<typeof columnDiffSchema>;

export const datasetFactsSchema = z.object({
  /** Whether the version recorded a profile of its training data. */
  profiled: z.boolean(),
  sha256: z.string().nullable(),
  rows: z.number().nullable(),
  /** Set when the profile's top values are estimates from a sample of this many rows. */
  sampledRows: z.number().nullable(),
});
export type DatasetFacts = z.infer<typeof datasetFactsSchema>;

export const profileComparisonSchema = z.object({
  a: datasetFactsSchema,
  b: datasetFactsSchema,
  /** Both checksums known and equal: the two versions were trained on the same data. */
  sameData: z.boolean(),
  /** Every column of either dataset, A's order first; empty unless both profiles were recorded. */
  columns: z.array(columnDiffSchema),
});
export type ProfileComparison = z.infer<typeof profileComparisonSchema>;

export const versionComparisonSchema = z.object({
  model: z.string(),
  a: versionSideSchema,
  b: versionSideSchema,
  metrics: z.array(metricRowSchema),
  importances: importanceComparisonSchema,
  profile: profileComparisonSchema,
});
export type VersionComparison = z.infer<typeof versionComparisonSchema>;
