import type { FeatureMatrix } from './linear/ridge';
import { seededRandom } from './random';

/**
 * Permutation importance (Breiman): how much a score drops when one feature's values are shuffled
 * across rows, breaking its link with the target while keeping its distribution. Works for any
 * model; `score` is higher-is-better. One seeded shuffle per feature keeps it affordable.
 */
export function permutationImportance(
  x: FeatureMatrix,
  score: (matrix: FeatureMatrix) => number,
  seed = 42,
): Float64Array {
  const baseline = score(x);
  const random = seededRandom(seed);
  const shuffled = Float64Array.from(x.values);
  const drops = new Float64Array(x.cols);
  const order = Int32Array.from({ length: x.rows }, (_, index) => index);
  for (let col = 0; col < x.cols; col++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = swap;
    }
    for (let row = 0; row < x.rows; row++)
      shuffled[row * x.cols + col] = x.values[(order[row] ?? 0) * x.cols + col] ?? 0;
    drops[col] = baseline - score({ values: shuffled, rows: x.rows, cols: x.cols });
    for (let row = 0; row < x.rows; row++) shuffled[row * x.cols + col] = x.values[row * x.cols + col] ?? 0;
  }
  return drops;
}
