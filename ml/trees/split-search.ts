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

/** Largest exact key: rank · 2^k + position must stay an integer a double holds exactly. */
const EXACT_KEYS = 2 ** 53;
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
  private readonly keys: Float64Array;
  private readonly bins: Float64Array;
  private readonly binRows: Int32Array;
  private readonly order: Int32Array;
  private readonly prefixes = new Map<number, Float64Array>();
  private best: Split | undefined;
  private parentTotal = 0;

  constructor(
    private readonly ranks: FeatureRanks,
    private readonly impurity: NodeImpurity,
    private readonly options: SearchOptions,
  ) {
    this.keys = new Float64Array(ranks.rows);
    const widest = Math.max(0, ...ranks.distinct.map((values) => values.length));
    this.bins = new Float64Array(widest * impurity.width);
    this.binRows = new Int32Array(widest);
    this.order = new Int32Array(ranks.cols);
  }

  /**
   * The best split of rows[start, end), whose statistics `impurity` already holds, or undefined when
   * no cut leaves `minSamplesLeaf` rows on both sides. Like scikit-learn, a sampled feature that is
   * constant in the node does not count toward `maxFeatures`.
   */
  find(rows: Int32Array, start: number, end: number): Split | undefined {
    this.best = undefined;
    this.parentTotal = this.impurity.impurity() * this.impurity.weight();
    const cols = this.ranks.cols;
    const wanted = Math.min(cols, this.options.maxFeatures ?? cols);
    const random = wanted < cols ? this.options.random : undefined;
    for (let f = 0; f < cols; f++) this.order[f] = f;
    let tried = 0;
    for (let drawn = 0; drawn < cols && tried < wanted; drawn++) {
      if (random) {
        // Partial Fisher–Yates shuffle: features drawn without replacement.
        const j = drawn + Math.floor(random() * (cols - drawn));
        const picked = this.order[j] ?? 0;
        this.order[j] = this.order[drawn] ?? 0;
        this.order[drawn] = picked;
      }
      const feature = this.order[drawn] ?? 0;
      if (this.searchFeature(feature, rows, start, end)) tried++;
    }
    return this.best;
  }

  /** Sweeps one feature; false when it is constant in the node. */
  private searchFeature(feature: number, rows: Int32Array, start: number, end: number): boolean {
    const { ranks, rows: total } = this.ranks;
    const base = feature * total;
    const n = end - start;
    const scale = 2 ** Math.ceil(Math.log2(Math.max(2, n)));
    const keys = this.keys;
    // One pass finds the node's range of ranks and writes the sort keys in case they are needed.
    let low = Number.POSITIVE_INFINITY;
    let high = -1;
    for (let i = 0; i < n; i++) {
      const rank = ranks[base + (rows[start + i] ?? 0)] ?? 0;
      if (rank < low) low = rank;
      if (rank > high) high = rank;
      keys[i] = rank * scale + i;
    }
    if (high <= low) return false;
    // Deep in a tree a node's values span few ranks, even of a feature with many distinct values.
    if (high - low < 2 * n || high * scale > EXACT_KEYS)
      this.countSweep(feature, rows, start, end, low, high);
    else this.sortSweep(feature, rows, start, n, scale);
    return true;
  }

  private countSweep(
    feature: number,
    rows: Int32Array,
    start: number,
    end: number,
    low: number,
    high: number,
  ): void {
    const { ranks, rows: total, distinct } = this.ranks;
    const values = distinct[feature] ?? new Float64Array();
    const width = this.impurity.width;
    const base = feature * total;
    for (let i = start; i < end; i++) {
      const row = rows[i] ?? 0;
      const rank = ranks[base + row] ?? 0;
      this.binRows[rank] = (this.binRows[rank] ?? 0) + 1;
      this.impurity.addToBin(this.bins, rank * width, row);
    }
    this.impurity.resetSweep();
    const n = end - start;
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

  /** keys[0, n) hold rank · scale + position; sorted, they give the rows in order of the feature. */
  private sortSweep(feature: number, rows: Int32Array, start: number, n: number, scale: number): void {
    const values = this.ranks.distinct[feature] ?? new Float64Array();
    const keys = this.keys;
    if (n <= SMALL_SORT) insertionSort(keys, n);
    else this.sortedPrefix(n).sort();
    const minLeaf = this.options.minSamplesLeaf;
    this.impurity.resetSweep();
    // Dividing by a power of two is exact, so the floor recovers the rank.
    let rank = Math.floor((keys[0] ?? 0) / scale);
    for (let k = 0; k < n - 1; k++) {
      this.impurity.addRow(rows[start + (keys[k] ?? 0) - rank * scale] ?? 0);
      const next = Math.floor((keys[k + 1] ?? 0) / scale);
      if (next !== rank && k + 1 >= minLeaf && n - k - 1 >= minLeaf)
        this.consider(feature, rank, values[rank] ?? 0, values[next] ?? 0);
      rank = next;
    }
  }

  /** A view of the first n keys, kept: a node sorts several features and views cost an allocation. */
  private sortedPrefix(n: number): Float64Array {
    let view = this.prefixes.get(n);
    if (!view) {
      view = this.keys.subarray(0, n);
      this.prefixes.set(n, view);
    }
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
