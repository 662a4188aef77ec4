import { sortDoubles } from './radix-sort';

/**
 * One numeric column, sorted once: every drift statistic on numbers (quantile edges, bin counts, KS,
 * Wasserstein) reads the sorted values by binary search or by merging two of them, so a column is
 * sorted exactly once however many statistics are taken.
 */
export interface SortedValues {
  /** The finite values in increasing order. */
  values: Float64Array;
  /** Entries left out as missing: NaN, and ±Infinity, which no bin, ECDF or distance can place. */
  missing: number;
  /** Entries in the column, missing ones included. */
  total: number;
}

/** Copies the column, sorts it and splits off its missing entries. The input is left as it was. */
export function sortValues(column: Float64Array): SortedValues {
  const copy = column.slice();
  sortDoubles(copy); // numeric order, -Infinity first, +Infinity then NaN last
  let end = copy.length;
  while (end > 0 && !Number.isFinite(copy[end - 1] ?? 0)) end--;
  let start = 0;
  while (start < end && (copy[start] ?? 0) === Number.NEGATIVE_INFINITY) start++;
  return { values: copy.subarray(start, end), missing: copy.length - (end - start), total: copy.length };
}

/** How many sorted values are below `x` (the index of the first value >= x). */
export function countBelow(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? 0) < x) low = mid + 1;
    else high = mid;
  }
  return low;
}
