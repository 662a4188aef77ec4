import { countInBins } from './bin-counts';
import { DEFAULT_DRIFT_THRESHOLDS, type DriftThresholds, type NumericFeatureDrift } from './drift-schemas';
import { driftStateOf } from './drift-state';
import { jensenShannonDistance } from './jensen-shannon';
import { ksTest } from './ks-test';
import { missingRateChange } from './missing-rate';
import type { NumericReference } from './numeric-reference';
import { PSI_FLOOR, populationStabilityIndex } from './psi';
import { sortValues } from './sorted-values';
import { wassersteinDistance } from './wasserstein';

/**
 * Every drift statistic of one numeric feature: PSI over the reference's decile bins (with the
 * edges and both sides' counts for charts), the two-sample KS test, the Jensen–Shannon distance of
 * the same bins, the Wasserstein distance, and the change in missing rate. The current column is
 * sorted once; everything else is binary searches and merges over the two sorted arrays.
 */
export function numericFeatureDrift(
  reference: NumericReference,
  current: Float64Array,
  thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS,
): NumericFeatureDrift {
  if (current.length === 0) throw new Error('The current column has no rows');
  if (reference.sorted.total === 0) throw new Error('The reference column has no rows');
  const currentSorted = sortValues(current);
  const a = reference.sorted.values;
  const b = currentSorted.values;
  const missing = missingRateChange(
    reference.sorted.missing,
    reference.sorted.total,
    currentSorted.missing,
    currentSorted.total,
  );
  const both = a.length > 0 && b.length > 0;
  const bins =
    both && reference.innerEdges && reference.counts
      ? {
          innerEdges: Array.from(reference.innerEdges),
          referenceCounts: reference.counts,
          currentCounts: countInBins(b, reference.innerEdges),
        }
      : null;
  const psi = bins ? populationStabilityIndex(bins.referenceCounts, bins.currentCounts, PSI_FLOOR) : null;
  const ks = both ? ksTest(a, b) : null;
  return {
    kind: 'numeric',
    state: driftStateOf(psi, thresholds, a.length, b.length),
    psi,
    bins,
    ks: ks && { ...ks, pValue: Number.isFinite(ks.pValue) ? ks.pValue : null },
    jensenShannon: bins ? jensenShannonDistance(bins.referenceCounts, bins.currentCounts) : null,
    wasserstein: both ? wassersteinDistance(a, b) : null,
    missing,
    referenceValues: a.length,
    currentValues: b.length,
  };
}
