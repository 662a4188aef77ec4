import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { countBins, FEATURE_STRIDE, histogramSize, subtractHistogram } from './histogram';
import { partitionBuffers } from './partition';
import { rowCodesLike, storeGradients, toRowRecords } from './row-codes';
import { alone } from './sharing';
import { type GrowerWorkspace, runStep } from './threads';

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

    // A node: every third row, taken from the middle of the partition.
    const picked = all.filter((row) => row % 3 === 1);
    const workspace: GrowerWorkspace = {
      codes,
      records: toRowRecords(codes, n, cols, 1),
      rows: n,
      cols,
      rootCounts: countBins(codes, n, cols),
      ...partitionBuffers(n, (bytes) => new ArrayBuffer(bytes)),
      gathered: { codes: rowCodesLike(n, cols), gradHess: new Float64Array(2 * n) },
    };
    workspace.partition.set([7, 8, ...picked, 9]);
    storeGradients(workspace.records, gradHess, 0, n);

    const root = new Float64Array(histogramSize(cols));
    runStep({ kind: 'root', workspace, hist: root, gradHess }, alone());
    expect(Array.from(root)).toEqual(Array.from(naiveHistogram(codes, n, cols, all, gradHess)));

    const node = new Float64Array(histogramSize(cols)).fill(99); // stale values must not survive
    runStep({ kind: 'node', workspace, hist: node, output: 0, start: 2, end: 2 + picked.length }, alone());
    expect(Array.from(node)).toEqual(Array.from(naiveHistogram(codes, n, cols, picked, gradHess)));

    // The sibling by subtraction equals the sibling summed directly.
    subtractHistogram(root, node);
    const others = all.filter((row) => row % 3 !== 1);
    expect(Array.from(root)).toEqual(Array.from(naiveHistogram(codes, n, cols, others, gradHess)));
  });
});
