import type { RowCodes } from './row-codes';
import { allocate } from './sharing';

/**
 * Gradient histograms: per feature and bin, (sum of gradients, sum of hessians, row count), one flat
 * Float64Array of cols × BIN_SLOTS × 3 values. Gradients and hessians come interleaved
 * (gradHess[2r], gradHess[2r + 1]). Summing them is the hot path of boosting; the loops read six
 * features per pass over the rows (then three, then one for the rest), so each row's gradient and
 * hessian are loaded once per six features while those features' histograms (36 KB) stay in the
 * CPU's nearest cache, and they walk codes and gradients in memory order.
 */

/** Bins per feature in a histogram: 255 for values and the missing bin (255). */
export const BIN_SLOTS = 256;
/** Values per feature in a histogram. */
export const FEATURE_STRIDE = BIN_SLOTS * 3;

export function histogramSize(cols: number): number {
  return cols * FEATURE_STRIDE;
}

/**
 * Rows per bin of every feature over all rows: the root's counts, the same for every tree (in
 * shared memory when `shared`, see sharing.ts).
 */
export function countBins(codes: Uint8Array, n: number, cols: number, shared = false): Float64Array {
  const counts = new Float64Array(allocate(8 * cols * BIN_SLOTS, shared));
  for (let c = 0; c < cols; c++) {
    const column = c * n;
    const base = c * BIN_SLOTS;
    for (let i = 0; i < n; i++) {
      const o = base + (codes[column + i] ?? 0);
      counts[o] = (counts[o] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * Features from..to − 1 of the root's histogram, from the column-major codes (feature c of row r at
 * c · n + r), all n rows in order; the counts come from `rootCounts` (countBins) instead of being
 * summed again. The rest of `hist` is left alone, so threads can each fill their own features.
 */
export function sumRootFeatures(
  hist: Float64Array,
  codes: Uint8Array,
  n: number,
  gradHess: Float64Array,
  rootCounts: Float64Array,
  from: number,
  to: number,
): void {
  hist.fill(0, from * FEATURE_STRIDE, to * FEATURE_STRIDE);
  let c = from;
  for (; c + 5 < to; c += 6) sumSix(hist, codes, n, 1, c, n, gradHess);
  for (; c + 2 < to; c += 3) sumThree(hist, codes, n, 1, c, n, gradHess);
  for (; c < to; c++) sumOne(hist, codes, n, 1, c, n, gradHess);
  for (let slot = from * BIN_SLOTS; slot < to * BIN_SLOTS; slot++) hist[slot * 3 + 2] = rootCounts[slot] ?? 0;
}

/**
 * Buffers a node's rows are gathered into before summing (sized for the largest node): its codes
 * and gradients, copied in order from the rows scattered over memory (see row-codes.ts).
 */
export interface GatherScratch {
  codes: RowCodes;
  gradHess: Float64Array;
}

/**
 * Features from..to − 1 of the histogram of the m rows gathered at the front of `scratch`, summed
 * in order like the root's, counting rows as well. The rest of `hist` is left alone, so threads
 * can each fill their own features.
 */
export function sumGatheredFeatures(
  hist: Float64Array,
  scratch: GatherScratch,
  m: number,
  from: number,
  to: number,
): void {
  const { bytes, stride } = scratch.codes;
  const gathered = scratch.gradHess;
  hist.fill(0, from * FEATURE_STRIDE, to * FEATURE_STRIDE);
  let c = from;
  for (; c + 5 < to; c += 6) sumSixCounted(hist, bytes, 1, stride, c, m, gathered);
  for (; c + 2 < to; c += 3) sumThreeCounted(hist, bytes, 1, stride, c, m, gathered);
  for (; c < to; c++) sumOneCounted(hist, bytes, 1, stride, c, m, gathered);
}

/**
 * parent −= child, in place, for features from..to − 1 (all by default): the sibling's histogram
 * (the subtraction trick).
 */
export function subtractHistogram(
  parent: Float64Array,
  child: Float64Array,
  from = 0,
  to: number = parent.length / FEATURE_STRIDE,
): void {
  // Unrolled: FEATURE_STRIDE is a multiple of 4.
  for (let i = from * FEATURE_STRIDE; i < to * FEATURE_STRIDE; i += 4) {
    parent[i] = (parent[i] ?? 0) - (child[i] ?? 0);
    parent[i + 1] = (parent[i + 1] ?? 0) - (child[i + 1] ?? 0);
    parent[i + 2] = (parent[i + 2] ?? 0) - (child[i + 2] ?? 0);
    parent[i + 3] = (parent[i + 3] ?? 0) - (child[i + 3] ?? 0);
  }
}

/** Reuses histogram buffers across nodes and trees, so growing allocates nothing after warm-up. */
export class HistogramPool {
  private readonly free: Float64Array[] = [];

  /** `shared`: in shared memory, for histograms other threads help build (see sharing.ts). */
  constructor(
    private readonly size: number,
    private readonly shared = false,
  ) {}

  acquire(): Float64Array {
    return this.free.pop() ?? new Float64Array(allocate(this.size * 8, this.shared));
  }

  release(hist: Float64Array | null): void {
    if (hist) this.free.push(hist);
  }
}

// The kernels: features c.. of rows 0..m−1, the code of row j and feature f at
// codes[f · featureStride + j · rowStride], its gradient and hessian at gradHess[2j], gradHess[2j + 1].
// Six, three and one features per pass; the root's versions leave the counts alone.

function sumSixCounted(
  hist: Float64Array,
  codes: Uint8Array,
  featureStride: number,
  rowStride: number,
  c: number,
  m: number,
  gradHess: Float64Array,
): void {
  const h0 = c * FEATURE_STRIDE;
  const h1 = h0 + FEATURE_STRIDE;
  const h2 = h1 + FEATURE_STRIDE;
  const h3 = h2 + FEATURE_STRIDE;
  const h4 = h3 + FEATURE_STRIDE;
  const h5 = h4 + FEATURE_STRIDE;
  const f1 = featureStride;
  const f2 = f1 + featureStride;
  const f3 = f2 + featureStride;
  const f4 = f3 + featureStride;
  const f5 = f4 + featureStride;
  for (let j = 0, at = c * featureStride; j < m; j++, at += rowStride) {
    const g = gradHess[2 * j] ?? 0;
    const h = gradHess[2 * j + 1] ?? 0;
    let o = h0 + (codes[at] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    hist[o + 2] = (hist[o + 2] ?? 0) + 1;
    o = h1 + (codes[at + f1] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    hist[o + 2] = (hist[o + 2] ?? 0) + 1;
    o = h2 + (codes[at + f2] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    hist[o + 2] = (hist[o + 2] ?? 0) + 1;
    o = h3 + (codes[at + f3] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    hist[o + 2] = (hist[o + 2] ?? 0) + 1;
    o = h4 + (codes[at + f4] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    hist[o + 2] = (hist[o + 2] ?? 0) + 1;
    o = h5 + (codes[at + f5] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    hist[o + 2] = (hist[o + 2] ?? 0) + 1;
  }
}

function sumThreeCounted(
  hist: Float64Array,
  codes: Uint8Array,
  featureStride: number,
  rowStride: number,
  c: number,
  m: number,
  gradHess: Float64Array,
): void {
  const h0 = c * FEATURE_STRIDE;
  const h1 = h0 + FEATURE_STRIDE;
  const h2 = h1 + FEATURE_STRIDE;
  const f1 = featureStride;
  const f2 = f1 + featureStride;
  for (let j = 0, at = c * featureStride; j < m; j++, at += rowStride) {
    const g = gradHess[2 * j] ?? 0;
    const h = gradHess[2 * j + 1] ?? 0;
    let o = h0 + (codes[at] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    hist[o + 2] = (hist[o + 2] ?? 0) + 1;
    o = h1 + (codes[at + f1] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    hist[o + 2] = (hist[o + 2] ?? 0) + 1;
    o = h2 + (codes[at + f2] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    hist[o + 2] = (hist[o + 2] ?? 0) + 1;
  }
}

function sumOneCounted(
  hist: Float64Array,
  codes: Uint8Array,
  featureStride: number,
  rowStride: number,
  c: number,
  m: number,
  gradHess: Float64Array,
): void {
  const h0 = c * FEATURE_STRIDE;
  for (let j = 0, at = c * featureStride; j < m; j++, at += rowStride) {
    const g = gradHess[2 * j] ?? 0;
    const h = gradHess[2 * j + 1] ?? 0;
    const o = h0 + (codes[at] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    hist[o + 2] = (hist[o + 2] ?? 0) + 1;
  }
}

function sumSix(
  hist: Float64Array,
  codes: Uint8Array,
  featureStride: number,
  rowStride: number,
  c: number,
  m: number,
  gradHess: Float64Array,
): void {
  const h0 = c * FEATURE_STRIDE;
  const h1 = h0 + FEATURE_STRIDE;
  const h2 = h1 + FEATURE_STRIDE;
  const h3 = h2 + FEATURE_STRIDE;
  const h4 = h3 + FEATURE_STRIDE;
  const h5 = h4 + FEATURE_STRIDE;
  const f1 = featureStride;
  const f2 = f1 + featureStride;
  const f3 = f2 + featureStride;
  const f4 = f3 + featureStride;
  const f5 = f4 + featureStride;
  for (let j = 0, at = c * featureStride; j < m; j++, at += rowStride) {
    const g = gradHess[2 * j] ?? 0;
    const h = gradHess[2 * j + 1] ?? 0;
    let o = h0 + (codes[at] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    o = h1 + (codes[at + f1] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    o = h2 + (codes[at + f2] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    o = h3 + (codes[at + f3] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    o = h4 + (codes[at + f4] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    o = h5 + (codes[at + f5] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
  }
}

function sumThree(
  hist: Float64Array,
  codes: Uint8Array,
  featureStride: number,
  rowStride: number,
  c: number,
  m: number,
  gradHess: Float64Array,
): void {
  const h0 = c * FEATURE_STRIDE;
  const h1 = h0 + FEATURE_STRIDE;
  const h2 = h1 + FEATURE_STRIDE;
  const f1 = featureStride;
  const f2 = f1 + featureStride;
  for (let j = 0, at = c * featureStride; j < m; j++, at += rowStride) {
    const g = gradHess[2 * j] ?? 0;
    const h = gradHess[2 * j + 1] ?? 0;
    let o = h0 + (codes[at] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    o = h1 + (codes[at + f1] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
    o = h2 + (codes[at + f2] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
  }
}

function sumOne(
  hist: Float64Array,
  codes: Uint8Array,
  featureStride: number,
  rowStride: number,
  c: number,
  m: number,
  gradHess: Float64Array,
): void {
  const h0 = c * FEATURE_STRIDE;
  for (let j = 0, at = c * featureStride; j < m; j++, at += rowStride) {
    const g = gradHess[2 * j] ?? 0;
    const h = gradHess[2 * j + 1] ?? 0;
    const o = h0 + (codes[at] ?? 0) * 3;
    hist[o] = (hist[o] ?? 0) + g;
    hist[o + 1] = (hist[o + 1] ?? 0) + h;
  }
}
