import { categoricalFeatureDrift } from './categorical-drift';
import { DEFAULT_DRIFT_THRESHOLDS, type DriftThresholds, type FeatureDrift } from './drift-schemas';
import { numericFeatureDrift } from './numeric-drift';
import { type NumericReference, prepareNumericReference } from './numeric-reference';

/** A column as drift takes it: numbers with NaN for missing, or text with null for missing. */
export type DriftColumn = Float64Array | readonly (string | null)[];

/**
 * Drift of one feature between a reference column and a current one, with its state under the
 * thresholds: numbers get PSI, KS, Jensen–Shannon, Wasserstein and missing rate; text gets PSI,
 * chi-square, Jensen–Shannon and missing rate. A numeric reference already prepared (sorted and
 * binned) may be passed in its place. Both sides must be of the same kind.
 */
export function featureDrift(
  reference: DriftColumn | NumericReference,
  current: DriftColumn,
  thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS,
): FeatureDrift {
  if (current instanceof Float64Array) {
    if (reference instanceof Float64Array)
      return numericFeatureDrift(prepareNumericReference(reference), current, thresholds);
    if (isNumericReference(reference)) return numericFeatureDrift(reference, current, thresholds);
    throw new Error('The reference column holds text where the current one holds numbers');
  }
  if (reference instanceof Float64Array || isNumericReference(reference))
    throw new Error('The reference column holds numbers where the current one holds text');
  return categoricalFeatureDrift(reference, current, thresholds);
}

function isNumericReference(value: DriftColumn | NumericReference): value is NumericReference {
  return !(value instanceof Float64Array) && !Array.isArray(value);
}
