import { countInBins } from './bin-counts';
import { quantileEdges } from './quantile';
import { type SortedValues, sortValues } from './sorted-values';

/** PSI's bins for numbers: the reference's deciles. */
export const PSI_BINS = 10;

/**
 * A numeric reference column made ready once and compared with many current windows: its values
 * sorted, the inner edges of its decile bins and its count per bin. A monitor keeps this between
 * checks instead of sorting the reference again each time.
 */
export interface NumericReference {
  sorted: SortedValues;
  /** null when the reference has no non-missing value, so that no bins exist. */
  innerEdges: Float64Array | null;
  counts: number[] | null;
}

/**
 * Sorts the reference column (NaN and ±Infinity are missing) and bins it at its deciles, numpy's
 * 'linear' quantiles, or at `innerEdges` when given (e.g. the deciles the registry measured over all
 * training rows, where the column is only a sample of them).
 */
export function prepareNumericReference(column: Float64Array, innerEdges?: Float64Array): NumericReference {
  const sorted = sortValues(column);
  if (innerEdges) {
    innerEdges.forEach((edge, i) => {
      if (!Number.isFinite(edge) || (i > 0 && edge < (innerEdges[i - 1] ?? 0)))
        throw new Error('Bin edges must be finite numbers in increasing order');
    });
    return { sorted, innerEdges, counts: countInBins(sorted.values, innerEdges) };
  }
  if (sorted.values.length === 0) return { sorted, innerEdges: null, counts: null };
  const edges = quantileEdges(sorted.values, PSI_BINS);
  return { sorted, innerEdges: edges, counts: countInBins(sorted.values, edges) };
}
