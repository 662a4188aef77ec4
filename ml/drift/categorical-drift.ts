import { countCategories } from './category-counts';
import { chiSquareTest } from './chi-square';
import {
  type CategoricalFeatureDrift,
  DEFAULT_DRIFT_THRESHOLDS,
  type DriftThresholds,
} from './drift-schemas';
import { driftStateOf } from './drift-state';
import { jensenShannonDistance } from './jensen-shannon';
import { missingRateChange } from './missing-rate';
import { PSI_FLOOR, populationStabilityIndex } from './psi';

/**
 * Every drift statistic of one categorical feature: PSI with one bin per category (the union of
 * both sides, so a category new in the current window counts against the floor), the chi-square
 * test of the two sides' counts, their Jensen–Shannon distance, and the change in missing rate
 * (null entries are missing).
 */
export function categoricalFeatureDrift(
  reference: readonly (string | null)[],
  current: readonly (string | null)[],
  thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS,
): CategoricalFeatureDrift {
  if (current.length === 0) throw new Error('The current column has no rows');
  if (reference.length === 0) throw new Error('The reference column has no rows');
  const counts = countCategories(reference, current);
  const referenceValues = reference.length - counts.referenceMissing;
  const currentValues = current.length - counts.currentMissing;
  const both = referenceValues > 0 && currentValues > 0;
  const psi = both ? populationStabilityIndex(counts.referenceCounts, counts.currentCounts, PSI_FLOOR) : null;
  return {
    kind: 'categorical',
    state: driftStateOf(psi, thresholds, referenceValues, currentValues),
    psi,
    categories: counts.categories,
    referenceCounts: counts.referenceCounts,
    currentCounts: counts.currentCounts,
    chiSquare: both ? chiSquareTest(counts.referenceCounts, counts.currentCounts) : null,
    jensenShannon: both ? jensenShannonDistance(counts.referenceCounts, counts.currentCounts) : null,
    missing: missingRateChange(
      counts.referenceMissing,
      reference.length,
      counts.currentMissing,
      current.length,
    ),
    referenceValues,
    currentValues,
  };
}
