import type { DatasetDrift, FeatureDrift } from './drift-schemas';

/** The share of features in alert at which the dataset as a whole has drifted, by default. */
export const DEFAULT_DRIFTED_SHARE = 0.5;

/**
 * The dataset-level verdict: drifted when at least `driftedShare` of the features are in alert
 * (Evidently's rule, half by default). No features, no drift.
 */
export function datasetDrift(
  features: readonly Pick<FeatureDrift, 'state'>[],
  driftedShare: number = DEFAULT_DRIFTED_SHARE,
): DatasetDrift {
  if (!(driftedShare >= 0 && driftedShare <= 1))
    throw new Error(`driftedShare must be between 0 and 1, got ${driftedShare}`);
  const driftedFeatures = features.filter((feature) => feature.state === 'alert').length;
  const drifted = features.length > 0 && driftedFeatures >= driftedShare * features.length;
  return { drifted, driftedFeatures, features: features.length, driftedShare };
}
