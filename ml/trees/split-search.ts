import type { FeatureRanks } from './feature-ranks';
import type { NodeImpurity } from './impurity';

export interface Split {
  feature: number;
  /** The last rank that goes left. */
  rank: number;
  /** Midway between the last value going left and the first going right, as scikit-learn. */
  threshold: number;
  /** Weighted impurity decrease. */
  gain: number;
}

export interface SearchOptions {
  minSamplesLeaf: number;
  /** Non-constant features to try per node; all when absent. */
  maxFeatures?: number;
  random?: () => number;
}

/**
 * Sort keys rank · scale + position must be integers a double holds exactly (below 2^53). Ranks stay
 * below the row count and scale below twice it, so rows up to 2^26 keep every key exact.
 */
export const MAX_TREE_ROWS = 2 ** 26;
/** Features gathered in one pass over a node's rows, at most (each needs a row's worth of keys). */
const MAX_BATCH = 8;
/** Below this many rows an insertion sort beats calling the native sort. */
const SMALL_SORT = 16;

function insertionSort(keys: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const key = keys[i] ?? 0;
    let j = i - 1;
    while (j >= 0 && (keys[j] ?? 0) > key) {
      keys[j + 1] = keys[j] ?? 0;
      j--;
    }
    keys[j + 1] = key;
  }
}

/**
 * Finds the best split of a node, one feature at a time. A feature whose ranks in the node span
 * less than twice the node's rows is swept by counting rows per rank; any other is swept after
 * sorting keys that pack rank and position into one double, which a typed array sorts natively.
 * Both are exact: every cut between two distinct values present in the node is tried.
 */
export class SplitSearch {
  /** Sort keys of the features gathered together: feature j of a batch at j · rows. */
  private readonly keys: Float64Array;
  private readonly bins: Float64Array;
  private readonly binRows: Int32Array;
  private readonly order: Int32Array;
  private readonly batch: Int32Array;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private best: Split | undefined;
  private parentTotal = 0;

  constructor(
    private readonly ranks: FeatureRanks,
    private readonly impurity: NodeImpurity,
    private readonly options: SearchOptions,
  ) {
    if (ranks.rows > MAX_TREE_ROWS)
      throw new RangeError(`Trees learn from at most ${MAX_TREE_ROWS} rows; this data has ${ranks.rows}.`);
    const batch = Math.min(ranks.cols, options.maxFeatures ?? ranks.cols, MAX_BATCH);
    this.keys = new Float64Array(ranks.rows * batch);
    const widest = Math.max(0, ...ranks.distinct.map((values) => values.length));
    this.bins = new Float64Array(widest * impurity.width);
    this.binRows = new Int32Array(widest);
    this.order = new Int32Array(ranks.cols);
    this.batch = new Int32Array(batch);
    this.low = new Float64Array(batch);
    this.high = new Float64Array(batch);
  }

  /**
   * The best split of rows[start, end), whose statistics `impurity` already holds, or undefined when
   * no cut leaves `minSamplesLeaf` rows on both sides. Like scikit-learn, a sampled feature that is
   * constant in the node does not count toward `maxFeatures`: another is drawn.
   */
  find(rows: Int32Array, start: number, end: number): Split | undefined {
    this.best = undefined;
    this.parentTotal = this.impurity.impurity() * this.impurity.weight();
    const cols = this.ranks.cols;
    const wanted = Math.min(cols, this.options.maxFeatures ?? cols);
    const random = wanted < cols ? this.options.random : undefined;
    for (let f = 0; f < cols; f++) this.order[f] = f;
    let tried = 0;
    let drawn = 0;
    while (drawn < cols && tried < wanted) {
      const size = Math.min(wanted - tried, cols - drawn, this.batch.length);
      for (let j = 0; j < size; j++, drawn++) {
        if (random) {
          // Partial Fisher–Yates shuffle: features drawn without replacement.
          const pick = drawn + Math.floor(random() * (cols - drawn));
          const feature = this.order[pick] ?? 0;
          this.order[pick] = this.order[drawn] ?? 0;
          this.order[drawn] = feature;
        }
        this.batch[j] = this.order[drawn] ?? 0;
      }
      const scale = 2 ** Math.ceil(Math.log2(Math.max(2, end - start)));
      this.gather(rows, start, end, size, scale);
      for (let j = 0; j < size; j++) if (this.sweep(j, end - start, scale)) tried++;
    }
    return this.best;
  }

  /**
   * One pass over the node's rows reads the batch's features of each row (neighbours in memory),
   * writing each feature's sort keys, rank · scale + position, and its range of ranks.
   */
  private gather(rows: Int32Array, start: number, end: number, size: number, scale: number): void {
    const { ranks, cols, rows: total } = this.ranks;
    const keys = this.keys;
    const low = this.low;
    const high = this.high;
    const batch = this.batch;
    low.fill(Number.POSITIVE_INFINITY, 0, size);
    high.fill(-1, 0, size);
    for (let i = 0; i < end - start; i++) {
      const base = (rows[start + i] ?? 0) * cols;
      for (let j = 0; j < size; j++) {
        const rank = ranks[base + (batch[j] ?? 0)] ?? 0;
        if (rank < (low[j] ?? 0)) low[j] = rank;
        if (rank > (high[j] ?? 0)) high[j] = rank;
        keys[j * total + i] = rank * scale + i;
      }
    }
  }

  /** Sweeps feature j of the batch; false when it is constant in the node. */
  private sweep(j: number, n: number, scale: number): boolean {
    const low = this.low[j] ?? 0;
    const high = this.high[j] ?? 0;
    if (high <= low) return false;
    // Deep in a tree a node's values span few ranks, even of a feature with many distinct values.
    if (high - low < 2 * n) this.countSweep(j, n, scale, low, high);
    else this.sortSweep(j, n, scale);
    return true;
  }

  private countSweep(j: number, n: number, scale: number, low: number, high: number): void {
    const feature = this.batch[j] ?? 0;
    const values = this.ranks.distinct[feature] ?? new Float64Array();
    const width = this.impurity.width;
    const at = j * this.ranks.rows;
    for (let i = 0; i < n; i++) {
      const rank = Math.floor((this.keys[at + i] ?? 0) / scale);
      this.binRows[rank] = (this.binRows[rank] ?? 0) + 1;
      this.impurity.addToBin(this.bins, rank * width, i);
    }
    this.impurity.resetSweep();
    const minLeaf = this.options.minSamplesLeaf;
    let previous = -1;
    let leftRows = 0;
    for (let rank = low; rank <= high; rank++) {
      const count = this.binRows[rank] ?? 0;
      if (count === 0) continue;
      if (previous >= 0 && leftRows >= minLeaf && n - leftRows >= minLeaf)
        this.consider(feature, previous, values[previous] ?? 0, values[rank] ?? 0);
      this.impurity.addBin(this.bins, rank * width);
      // Leave the scratch bins zeroed for the next feature.
      this.bins.fill(0, rank * width, (rank + 1) * width);
      this.binRows[rank] = 0;
      leftRows += count;
      previous = rank;
    }
  }

  /** Sorted, feature j's keys give the node's positions in order of the feature. */
  private sortSweep(j: number, n: number, scale: number): void {
    const feature = this.batch[j] ?? 0;
    const values = this.ranks.distinct[feature] ?? new Float64Array();
    const keys = this.sortedKeys(j, n);
    const minLeaf = this.options.minSamplesLeaf;
    this.impurity.resetSweep();
    // Dividing by a power of two is exact, so the floor recovers the rank.
    let rank = Math.floor((keys[0] ?? 0) / scale);
    for (let k = 0; k < n - 1; k++) {
      this.impurity.addAt((keys[k] ?? 0) - rank * scale);
      const next = Math.floor((keys[k + 1] ?? 0) / scale);
      if (next !== rank && k + 1 >= minLeaf && n - k - 1 >= minLeaf)
        this.consider(feature, rank, values[rank] ?? 0, values[next] ?? 0);
      rank = next;
    }
  }

  /** Feature j's n keys, sorted. */
  private sortedKeys(j: number, n: number): Float64Array {
    const at = j * this.ranks.rows;
    const view = this.keys.subarray(at, at + n);
    if (n <= SMALL_SORT) insertionSort(view, n);
    else view.sort();
    return view;
  }

  private consider(feature: number, rank: number, below: number, above: number): void {
    const gain = this.parentTotal - this.impurity.childrenImpurity();
    // A zero gain still splits (XOR: the next level can), as scikit-learn's trees do.
    if (gain <= -1e-9 || (this.best && gain <= this.best.gain)) return;
    const middle = below / 2 + above / 2;
    this.best = { feature, rank, threshold: middle < above ? middle : below, gain: Math.max(0, gain) };
  }
}
