import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import {
  buildNodeHistogram,
  buildRootHistogram,
  countBins,
  FEATURE_STRIDE,
  histogramSize,
  subtractHistogram,
} from './histogram';
import { rowCodesLike, toRowMajor } from './row-codes';

/** Sums done the obvious way: per row, per feature. */
function naiveHistogram(codes: Uint8Array, n: number, cols: number, rows: number[], gradHess: Float64Array) {
  const hist = new Float64Array(histogramSize(cols));
  for (const row of rows)
    for (let c = 0; c < cols; c++) {
      const o = c * FEATURE_STRIDE + (codes[c * n + row] ?? 0) * 3;
      hist[o] = (hist[o] ?? 0) + (gradHess[2 * row] ?? 0);
      hist[o + 1] = (hist[o + 1] ?? 0) + (gradHess[2 * row + 1] ?? 0);
      hist[o + 2] = (hist[o + 2] ?? 0) + 1;
    }
  return hist;
}

describe('gradient histograms', () => {
  // 1..13 features covers every mix of the six-, three- and one-feature loops.
  it.each([1, 2, 3, 4, 6, 7, 10, 13])('sum gradients, hessians and counts per bin (%i features)', (cols) => {
    const random = seededRandom(cols);
    const n = 300;
    const codes = Uint8Array.from({ length: n * cols }, () =>
      random() < 0.1 ? 255 : Math.floor(random() * 255),
    );
    // Gradients on a 1/8 grid and hessians on a 1/16 grid: every partial sum is exact.
    const gradHess = Float64Array.from({ length: 2 * n }, (_, i) =>
      i % 2 ? Math.floor(random() * 4) / 16 : Math.floor((random() - 0.5) * 16) / 8,
    );
    const all = Array.from({ length: n }, (_, row) => row);

    const root = new Float64Array(histogramSize(cols));
    buildRootHistogram(root, codes, n, cols, gradHess, countBins(codes, n, cols));
    expect(Array.from(root)).toEqual(Array.from(naiveHistogram(codes, n, cols, all, gradHess)));

    // A node: every third row, taken from the middle of a row-index array.
    const picked = all.filter((row) => row % 3 === 1);
    const rows = Int32Array.from([7, 8, ...picked, 9]);
    const scratch = { codes: rowCodesLike(n, cols), gradHess: new Float64Array(2 * n) };
    const node = new Float64Array(histogramSize(cols)).fill(99); // stale values must not survive
    buildNodeHistogram(node, toRowMajor(codes, n, cols), cols, rows, 2, 2 + picked.length, gradHess, scratch);
    expect(Array.from(node)).toEqual(Array.from(naiveHistogram(codes, n, cols, picked, gradHess)));

    // The sibling by subtraction equals the sibling summed directly.
    subtractHistogram(root, node);
    const others = all.filter((row) => row % 3 !== 1);
    expect(Array.from(root)).toEqual(Array.from(naiveHistogram(codes, n, cols, others, gradHess)));
  });
});
