import type { FeatureMatrix } from '../linear/ridge';
import type { BoostedTree } from './model';

/**
 * Adds one tree's leaf value to out[r] for each row r of `x` (rows from..to − 1 only, when given),
 * walking the real-valued thresholds: x <= threshold goes left, NaN goes the learned way.
 */
export function addTreeScores(
  tree: BoostedTree,
  x: FeatureMatrix,
  out: Float64Array,
  from = 0,
  to = x.rows,
): void {
  const { feature, threshold, missingLeft, left, right, value } = tree;
  const { values, cols } = x;
  for (let i = from; i < to; i++) {
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
