import type { FeatureMatrix } from '../linear/ridge';

/**
 * Each feature's values replaced by their rank among the feature's distinct values. Trees split on
 * ranks: sorting small integers is fast, a node with few distinct values can be swept by counting
 * instead of sorting, and the ranks are computed once for all trees of a forest.
 */
export interface FeatureRanks {
  rows: number;
  cols: number;
  /**
   * Row-major: the rank of row r in feature f sits at r · cols + f; equal values share a rank. A node
   * reads several features of each of its rows, so a row's ranks share a cache line.
   */
  ranks: Uint32Array;
  /** Per feature, its distinct values ascending: rank k stands for distinct[f][k]. */
  distinct: Float64Array[];
}

export function featureRanks(x: FeatureMatrix): FeatureRanks {
  const ranks = new Uint32Array(x.rows * x.cols);
  const column = new Float64Array(x.rows);
  const distinct: Float64Array[] = [];
  for (let f = 0; f < x.cols; f++) {
    for (let r = 0; r < x.rows; r++) {
      const value = x.values[r * x.cols + f] ?? 0;
      if (!Number.isFinite(value))
        throw new RangeError(`Trees need finite feature values: feature ${f}, row ${r} is ${value}.`);
      column[r] = value;
    }
    const values = distinctSorted(column);
    for (let r = 0; r < x.rows; r++) ranks[r * x.cols + f] = rankOf(values, column[r] ?? 0);
    distinct.push(values);
  }
  return { rows: x.rows, cols: x.cols, ranks, distinct };
}

function distinctSorted(column: Float64Array): Float64Array {
  // A typed array sorts numerically in native code, several times faster than a comparator sort.
  const sorted = column.slice().sort();
  let count = 0;
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i] ?? 0;
    // -0 and 0 are one value: `!==` treats them as equal, as the tree's `<=` does.
    if (count === 0 || value !== sorted[count - 1]) sorted[count++] = value;
  }
  return sorted.slice(0, count);
}

/** Binary search for a value known to be present. */
function rankOf(values: Float64Array, value: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
