/**
 * Drift statistics for monitoring (issue 16): what a monitor calls. Per feature, featureDrift (or
 * numericFeatureDrift with a reference prepared once by prepareNumericReference, and
 * categoricalFeatureDrift); for the dataset, datasetDrift; the zod schemas of thresholds and results.
 * The statistics themselves (PSI, KS, chi-square, Jensen–Shannon, Wasserstein) are in their own files.
 */
export { categoricalFeatureDrift } from './categorical-drift';
export { DEFAULT_DRIFTED_SHARE, datasetDrift } from './dataset-drift';
export * from './drift-schemas';
export { type DriftColumn, featureDrift } from './feature-drift';
export { numericFeatureDrift } from './numeric-drift';
export { type NumericReference, PSI_BINS, prepareNumericReference } from './numeric-reference';
