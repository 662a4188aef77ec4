import type { FeatureMatrix } from '../linear/ridge';
import { allocate } from './sharing';

/** The most bins a feature's non-missing values get, so that codes fit a byte beside the missing bin. */
export const MAX_BINS = 255;
/** The bin of a missing value (NaN), whatever the feature's bin count. */
export const MISSING_BIN = 255;

export interface BinOptions {
  /** Bins for non-missing values, at most 255 (default). */
  maxBins?: number;
  /** Rows the quantiles are taken from: a random subset of this many when there are more (default 200,000). */
  subsample?: number;
  /** Uniform [0, 1) source for the subsample; only used when rows exceed `subsample`. */
  random?: () => number;
}

/**
 * Per feature, the increasing cut values of its bins: a value v is in bin b when
 * thresholds[b − 1] < v <= thresholds[b], so `v <= thresholds[b]` is exactly "bin <= b". Each cut lies
 * between two distinct training values, so a tree can keep the real value as its threshold.
 */
export interface BinMapper {
  thresholds: Float64Array[];
  /** Non-missing bins per feature: thresholds.length + 1. */
  binCounts: Int32Array;
}

/**
 * Learns bins from the training rows (all of them, or `rows` when given), as scikit-learn's
 * _BinMapper: at most `maxBins` bins per feature, at the midpoints of the distinct values when there
 * are few enough, else at quantiles of a subsample of up to 200,000 rows. NaN is left out here; it
 * gets its own bin, MISSING_BIN.
 */
export function fitBins(x: FeatureMatrix, rows: Int32Array | null, options: BinOptions = {}): BinMapper {
  const work = binsWork(x, rows, options, false);
  cutColumns(work, 0, x.cols);
  return binMapper(work);
}

/**
 * fitBins's work, cut so that threads can share it (threads.ts): the sampled rows' values
 * column-major, each column sorted and cut in place by cutColumns, and the cuts written to
 * `cuts` (MAX_BINS per feature) and `cutCounts`. In shared memory when `shared`.
 */
export interface BinsWork {
  columns: Float64Array;
  /** Sampled rows (values per column). */
  sampled: number;
  maxBins: number;
  cuts: Float64Array;
  cutCounts: Int32Array;
}

export function binsWork(
  x: FeatureMatrix,
  rows: Int32Array | null,
  options: BinOptions,
  shared: boolean,
): BinsWork {
  const maxBins = options.maxBins ?? MAX_BINS;
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS)
    throw new Error(`maxBins must be an integer from 2 to ${MAX_BINS}, got ${maxBins}`);
  const sample = sampleRows(rows ?? identity(x.rows), options.subsample ?? 200_000, options.random);
  return {
    columns: gatherColumns(x, sample, shared),
    sampled: sample.length,
    maxBins,
    cuts: new Float64Array(allocate(8 * MAX_BINS * x.cols, shared)),
    cutCounts: new Int32Array(allocate(4 * x.cols, shared)),
  };
}

/** Sorts and cuts features from..to − 1 of the work. */
export function cutColumns(work: BinsWork, from: number, to: number): void {
  const { columns, sampled: m, maxBins, cuts, cutCounts } = work;
  for (let c = from; c < to; c++) {
    const column = columns.subarray(c * m, (c + 1) * m);
    column.sort(); // typed-array sort: numeric, NaN last
    const found = binThresholds(column, maxBins);
    cuts.set(found, c * MAX_BINS);
    cutCounts[c] = found.length;
  }
}

/** The mapper once every feature is cut. */
export function binMapper({ cuts, cutCounts }: BinsWork): BinMapper {
  const thresholds = Array.from(cutCounts, (count, c) => cuts.slice(c * MAX_BINS, c * MAX_BINS + count));
  return { thresholds, binCounts: Int32Array.from(thresholds, (found) => found.length + 1) };
}

/**
 * Cut values for one feature from its sorted values (NaN, if any, at the end): midpoints between
 * consecutive distinct values when there are at most `maxBins` of them; otherwise one cut per
 * quantile i / maxBins (numpy's "averaged_inverted_cdf", as scikit-learn), each moved to the midpoint
 * between the bin's upper value and the next distinct value, duplicates dropped.
 */
export function binThresholds(sorted: Float64Array, maxBins: number = MAX_BINS): Float64Array {
  let n = sorted.length;
  while (n > 0 && Number.isNaN(sorted[n - 1] ?? 0)) n--;
  const distinct = distinctValues(sorted, n);
  if (distinct.length <= maxBins) {
    const cuts = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 0; i < cuts.length; i++)
      cuts[i] = separatingMidpoint(distinct[i] ?? 0, distinct[i + 1] ?? 0);
    return cuts;
  }
  const cuts: number[] = [];
  let upper = -1; // index in `distinct` of the last cut's upper value
  for (let i = 1; i < maxBins; i++) {
    const value = averagedInvertedCdf(sorted, n, (i * (100 / maxBins)) / 100);
    // The bin's upper value: the largest distinct value <= the quantile.
    const at = lastAtMost(distinct, value);
    if (at <= upper || at >= distinct.length - 1) continue;
    upper = at;
    cuts.push(separatingMidpoint(distinct[at] ?? 0, distinct[at + 1] ?? 0));
  }
  return Float64Array.from(cuts);
}

/**
 * A cut between two distinct values low < high that really separates them: low <= cut < high. The
 * midpoint, unless rounding puts it on `high` (adjacent doubles) or it overflows, in which case `low`.
 */
export function separatingMidpoint(low: number, high: number): number {
  let mid = (low + high) / 2;
  if (!Number.isFinite(mid)) mid = low / 2 + high / 2;
  return mid >= low && mid < high ? mid : low;
}

/** The bin of one value: NaN → MISSING_BIN, else the number of cuts below it (binary search). */
export function binOf(cuts: Float64Array, value: number): number {
  if (Number.isNaN(value)) return MISSING_BIN;
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (value <= (cuts[middle] ?? 0)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Bin codes of the given rows (all rows when `rows` is null), column-major: the code of the i-th row
 * for feature c is at c · rowCount + i. One pass over the row-major input. `shared`: in shared
 * memory, for threads that help with the fit (see sharing.ts).
 */
export function binRows(
  x: FeatureMatrix,
  rows: Int32Array | null,
  mapper: BinMapper,
  shared = false,
): Uint8Array {
  const count = rows ? rows.length : x.rows;
  const { cols, values } = x;
  const padded = mapper.thresholds.map(padCuts);
  const codes = new Uint8Array(allocate(count * cols, shared));
  for (let i = 0; i < count; i++) {
    const base = (rows ? (rows[i] ?? 0) : i) * cols;
    for (let c = 0; c < cols; c++)
      codes[c * count + i] = searchPadded(padded[c] ?? NO_CUTS, values[base + c] ?? Number.NaN);
  }
  return codes;
}

/** Cuts padded with +∞ to 256 entries, for searchPadded. */
function padCuts(cuts: Float64Array): Float64Array {
  const padded = new Float64Array(256).fill(Number.POSITIVE_INFINITY);
  padded.set(cuts);
  return padded;
}

/**
 * binOf over padded cuts in eight fixed steps, each adding its step when the cut below is < value:
 * no data-dependent branches (Number(boolean) compiles to a flag), about four times faster than the
 * binary search on random data. Cuts are finite, so the +∞ padding never counts.
 */
function searchPadded(p: Float64Array, v: number): number {
  if (Number.isNaN(v)) return MISSING_BIN;
  let at = Number((p[127] ?? 0) < v) * 128;
  at += Number((p[at + 63] ?? 0) < v) * 64;
  at += Number((p[at + 31] ?? 0) < v) * 32;
  at += Number((p[at + 15] ?? 0) < v) * 16;
  at += Number((p[at + 7] ?? 0) < v) * 8;
  at += Number((p[at + 3] ?? 0) < v) * 4;
  at += Number((p[at + 1] ?? 0) < v) * 2;
  return at + Number((p[at] ?? 0) < v);
}

const NO_CUTS = padCuts(new Float64Array(0));

function identity(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** Up to `size` distinct rows drawn without replacement (partial Fisher–Yates), in increasing order. */
function sampleRows(rows: Int32Array, size: number, random: (() => number) | undefined): Int32Array {
  if (rows.length <= size) return rows;
  if (!random) throw new Error('Binning a subsample needs a random source');
  const pool = Int32Array.from(rows);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const picked = pool[j] ?? 0;
    pool[j] = pool[i] ?? 0;
    pool[i] = picked;
  }
  return pool.subarray(0, size).sort();
}

/** The sampled rows' values, column-major, read in one pass over the row-major matrix. */
function gatherColumns(x: FeatureMatrix, rows: Int32Array, shared: boolean): Float64Array {
  const m = rows.length;
  const out = new Float64Array(allocate(8 * m * x.cols, shared));
  for (let i = 0; i < m; i++) {
    const base = (rows[i] ?? 0) * x.cols;
    for (let c = 0; c < x.cols; c++) out[c * m + i] = x.values[base + c] ?? Number.NaN;
  }
  return out;
}

function distinctValues(sorted: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const value = sorted[i] ?? 0;
    // −0 and +0 are one value.
    if (count === 0 || value !== out[count - 1]) out[count++] = value;
  }
  return out.subarray(0, count);
}

/** numpy.percentile(…, method="averaged_inverted_cdf") of the first n sorted values, q in [0, 1]. */
function averagedInvertedCdf(sorted: Float64Array, n: number, q: number): number {
  const position = n * q;
  const below = Math.floor(position);
  const at = (index: number) => sorted[Math.min(n - 1, Math.max(0, index))] ?? 0;
  // On an exact order statistic, the mean of it and the next; otherwise the next one.
  if (position !== below) return at(below);
  const mean = (at(below - 1) + at(below)) / 2;
  return Number.isFinite(mean) ? mean : at(below - 1) / 2 + at(below) / 2;
}

/** Index of the largest value <= target in an increasing array (−1 when none). */
function lastAtMost(values: Float64Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) <= target) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
