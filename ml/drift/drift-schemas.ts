import { z } from 'zod';

/**
 * The shapes of what drift monitoring produces and is configured with, as zod schemas: the monitor
 * stores results as JSON, the UI charts them, and per-feature thresholds are edited by people, so
 * each is validated where it crosses a boundary. Every number is finite; a statistic that cannot be
 * taken (one side has no values) is null.
 */

export const DRIFT_STATES = ['ok', 'warn', 'alert'] as const;
export const driftStateSchema = z.enum(DRIFT_STATES);
export type DriftState = z.infer<typeof driftStateSchema>;

/** PSI at or above `psiWarn` warns, at or above `psiAlert` alerts (the usual 0.1 and 0.2). */
export const driftThresholdsSchema = z
  .object({
    psiWarn: z.number().min(0).default(0.1),
    psiAlert: z.number().min(0).default(0.2),
  })
  .refine((thresholds) => thresholds.psiWarn <= thresholds.psiAlert, {
    message: 'psiWarn must not be above psiAlert',
    path: ['psiWarn'],
  });
export type DriftThresholds = z.infer<typeof driftThresholdsSchema>;
export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = { psiWarn: 0.1, psiAlert: 0.2 };

export const missingRateChangeSchema = z.object({
  reference: z.number(),
  current: z.number(),
  change: z.number(),
});

const count = z.number().int().min(0);

export const numericFeatureDriftSchema = z.object({
  kind: z.literal('numeric'),
  state: driftStateSchema,
  psi: z.number().nullable(),
  /** The reference's decile bins: 9 inner edges (outer bins open) and the values per bin, per side. */
  bins: z
    .object({
      innerEdges: z.array(z.number()),
      referenceCounts: z.array(count),
      currentCounts: z.array(count),
    })
    .nullable(),
  ks: z.object({ statistic: z.number(), pValue: z.number().nullable(), effectiveSize: count }).nullable(),
  /** Jensen–Shannon distance (bits) between the two sides' decile-bin histograms. */
  jensenShannon: z.number().nullable(),
  wasserstein: z.number().nullable(),
  missing: missingRateChangeSchema,
  /** Non-missing values per side. */
  referenceValues: count,
  currentValues: count,
});
export type NumericFeatureDrift = z.infer<typeof numericFeatureDriftSchema>;

export const categoricalFeatureDriftSchema = z.object({
  kind: z.literal('categorical'),
  state: driftStateSchema,
  psi: z.number().nullable(),
  categories: z.array(z.string()),
  referenceCounts: z.array(count),
  currentCounts: z.array(count),
  chiSquare: z.object({ statistic: z.number(), pValue: z.number(), degreesOfFreedom: count }).nullable(),
  jensenShannon: z.number().nullable(),
  missing: missingRateChangeSchema,
  referenceValues: count,
  currentValues: count,
});
export type CategoricalFeatureDrift = z.infer<typeof categoricalFeatureDriftSchema>;

export const featureDriftSchema = z.discriminatedUnion('kind', [
  numericFeatureDriftSchema,
  categoricalFeatureDriftSchema,
]);
export type FeatureDrift = z.infer<typeof featureDriftSchema>;

export const datasetDriftSchema = z.object({
  /** True when at least `driftedShare` of the features are in alert. */
  drifted: z.boolean(),
  driftedFeatures: count,
  features: count,
  driftedShare: z.number().min(0).max(1),
});
export type DatasetDrift = z.infer<typeof datasetDriftSchema>;
