import type { FeatureMatrix } from '../linear/ridge';
import type { BoostedTree } from './model';

/**
 * Adds one tree's leaf value to out[r] for each row r of `x`, walking the real-valued thresholds:
 * x <= threshold goes left, NaN goes the learned way.
 */
export function addTreeScores(tree: BoostedTree, x: FeatureMatrix, out: Float64Array): void {
  const { feature, threshold, missingLeft, left, right, value } = tree;
  const { values, cols } = x;
  for (let i = 0; i < x.rows; i++) {
    const base = i * cols;
    let node = 0;
    let f = feature[0] ?? -1;
    while (f >= 0) {
      const v = values[base + f] ?? Number.NaN;
      const goLeft = v <= (threshold[node] ?? 0) || (Number.isNaN(v) && missingLeft[node] === 1);
      node = (goLeft ? left[node] : right[node]) ?? 0;
      f = feature[node] ?? -1;
    }
    out[i] = (out[i] ?? 0) + (value[node] ?? 0);
  }
}

/** The listed rows of a row-major matrix, copied into a compact one (cache-friendly to walk). */
export function selectRows(x: FeatureMatrix, rows: Int32Array): FeatureMatrix {
  const values = new Float64Array(rows.length * x.cols);
  for (let i = 0; i < rows.length; i++) {
    const start = (rows[i] ?? 0) * x.cols;
    values.set(x.values.subarray(start, start + x.cols), i * x.cols);
  }
  return { values, rows: rows.length, cols: x.cols };
}
