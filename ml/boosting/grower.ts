import { MISSING_BIN } from './binning';
import {
  BIN_SLOTS,
  buildNodeHistogram,
  buildRootHistogram,
  countBins,
  type GatherScratch,
  HistogramPool,
  histogramSize,
  subtractHistogram,
} from './histogram';
import type { BoostedTree } from './model';
import { type RowCodes, rowCodesLike, toRowMajor } from './row-codes';
import { findBestSplit, nodeValue, SplitInfo, type SplitParams } from './split';

/** Binned training rows: codes column-major (feature c of row r at c · rows + r). */
export interface BinnedData {
  codes: Uint8Array;
  rows: number;
  cols: number;
  binCounts: Int32Array;
  thresholds: Float64Array[];
}

export interface GrowerParams extends SplitParams {
  /** Leaves per tree at most; null for no limit. */
  maxLeafNodes: number | null;
  /** Depth at most (root 0); null for no limit. */
  maxDepth: number | null;
  /** Multiplies every node value. */
  learningRate: number;
}

/** A node while the tree grows: its rows are partition[start..end). */
interface GrowNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  sumGrad: number;
  sumHess: number;
  count: number;
  hist: Float64Array | null;
  split: SplitInfo;
}

/**
 * Grows one tree at a time on fixed binned data, leaf-wise as scikit-learn's TreeGrower: the
 * splittable leaf with the largest gain is split next, until max_leaf_nodes leaves, max_depth or
 * min_samples_leaf stop it. Each split builds the histogram of the smaller child from its rows and
 * gets the larger child's by subtraction from the parent's. Buffers live across trees.
 */
export class TreeGrower {
  private readonly partition: Int32Array;
  private readonly scratch: Int32Array;
  private readonly pool: HistogramPool;
  private readonly rootCounts: Float64Array;
  private readonly rowCodes: RowCodes;
  private readonly scratchRows: GatherScratch;
  /** For the split being applied: 1 where a bin code goes left. */
  private readonly goesLeft = new Uint8Array(BIN_SLOTS);
  private feature: number[] = [];
  private threshold: number[] = [];
  private missingLeft: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private value: number[] = [];
  private start: number[] = [];
  private end: number[] = [];

  constructor(
    private readonly data: BinnedData,
    private readonly params: GrowerParams,
    /** Total split gain per feature, added to by every split. */
    private readonly gain: Float64Array,
  ) {
    this.partition = new Int32Array(data.rows);
    this.scratch = new Int32Array(data.rows);
    this.pool = new HistogramPool(histogramSize(data.cols));
    this.rootCounts = countBins(data.codes, data.rows, data.cols);
    this.rowCodes = toRowMajor(data.codes, data.rows, data.cols);
    // Only the smaller child of a split is ever gathered: at most half the rows.
    const half = Math.ceil(data.rows / 2);
    this.scratchRows = { codes: rowCodesLike(half, data.cols), gradHess: new Float64Array(2 * half) };
  }

  /** One tree fitted to gradients and hessians, interleaved (gradHess[2r], gradHess[2r + 1] for row r). */
  grow(gradHess: Float64Array): BoostedTree {
    const { rows } = this.data;
    const { minSamplesLeaf, minHessianToSplit, maxLeafNodes, maxDepth } = this.params;
    this.reset();
    let sumGrad = 0;
    let sumHess = 0;
    for (let i = 0; i < rows; i++) {
      this.partition[i] = i;
      sumGrad += gradHess[2 * i] ?? 0;
      sumHess += gradHess[2 * i + 1] ?? 0;
    }
    const root = this.addNode(0, rows, 0, sumGrad, sumHess, rows);
    const splittable: GrowNode[] = [];
    if (rows >= 2 * minSamplesLeaf && sumHess >= minHessianToSplit) {
      root.hist = this.pool.acquire();
      buildRootHistogram(root.hist, this.data.codes, rows, this.data.cols, gradHess, this.rootCounts);
      this.evaluate(root, splittable);
    }
    let leaves = 1;
    for (let node = takeBest(splittable); node; node = takeBest(splittable)) {
      const [left, right] = this.split(node);
      leaves++;
      if (maxLeafNodes !== null && leaves >= maxLeafNodes) {
        this.pool.release(node.hist);
        for (const waiting of splittable) this.pool.release(waiting.hist);
        break;
      }
      const canLeft = left.count >= 2 * minSamplesLeaf;
      const canRight = right.count >= 2 * minSamplesLeaf;
      if ((maxDepth !== null && node.depth + 1 >= maxDepth) || !(canLeft || canRight)) {
        this.pool.release(node.hist);
        continue;
      }
      const [small, large] = left.count < right.count ? [left, right] : [right, left];
      const parentHist = node.hist;
      if (!parentHist) throw new Error('A splittable node lost its histogram');
      small.hist = this.build(small, gradHess);
      subtractHistogram(parentHist, small.hist);
      large.hist = parentHist;
      node.hist = null;
      if (canLeft) this.evaluate(left, splittable);
      else this.pool.release(left.hist);
      if (canRight) this.evaluate(right, splittable);
      else this.pool.release(right.hist);
    }
    return this.tree();
  }

  /** Adds the last grown tree's leaf values to the raw scores of the training rows in each leaf. */
  addLeafValues(raw: Float64Array): void {
    for (let id = 0; id < this.feature.length; id++) {
      if ((this.feature[id] ?? 0) >= 0) continue;
      const value = this.value[id] ?? 0;
      const end = this.end[id] ?? 0;
      for (let i = this.start[id] ?? 0; i < end; i++) {
        const row = this.partition[i] ?? 0;
        raw[row] = (raw[row] ?? 0) + value;
      }
    }
  }

  private reset(): void {
    this.feature = [];
    this.threshold = [];
    this.missingLeft = [];
    this.left = [];
    this.right = [];
    this.value = [];
    this.start = [];
    this.end = [];
  }

  private addNode(
    start: number,
    end: number,
    depth: number,
    sumGrad: number,
    sumHess: number,
    count: number,
  ): GrowNode {
    const id = this.feature.length;
    this.feature.push(-1);
    this.threshold.push(0);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(this.params.learningRate * nodeValue(sumGrad, sumHess, this.params.l2Regularization));
    this.start.push(start);
    this.end.push(end);
    return { id, start, end, depth, sumGrad, sumHess, count, hist: null, split: new SplitInfo() };
  }

  private build(node: GrowNode, gradHess: Float64Array): Float64Array {
    const hist = this.pool.acquire();
    const { start, end } = node;
    buildNodeHistogram(
      hist,
      this.rowCodes,
      this.data.cols,
      this.partition,
      start,
      end,
      gradHess,
      this.scratchRows,
    );
    return hist;
  }

  /** Finds the node's best split: keeps it splittable when there is one, else frees its histogram. */
  private evaluate(node: GrowNode, splittable: GrowNode[]): void {
    const hist = node.hist;
    if (!hist) return;
    findBestSplit(hist, this.data.binCounts, node.sumGrad, node.sumHess, node.count, this.params, node.split);
    if (node.split.feature >= 0) splittable.push(node);
    else {
      this.pool.release(hist);
      node.hist = null;
    }
  }

  /** Applies the node's split: partitions its rows (stably) and adds the two children. */
  private split(node: GrowNode): [GrowNode, GrowNode] {
    const { codes, rows, binCounts, thresholds } = this.data;
    const { feature, bin, missingLeft, gradLeft, hessLeft, countLeft, gain } = node.split;
    const partition = this.partition;
    const scratch = this.scratch;
    const column = feature * rows;
    const goesLeft = this.goesLeft;
    for (let code = 0; code < BIN_SLOTS; code++) goesLeft[code] = code <= bin ? 1 : 0;
    goesLeft[MISSING_BIN] = missingLeft ? 1 : 0;
    // Branch-free: each row is written to both sides and only the side it belongs to advances.
    let l = node.start;
    let r = 0;
    let i = node.start;
    for (; i + 1 < node.end; i += 2) {
      const row = partition[i] ?? 0;
      const next = partition[i + 1] ?? 0;
      const left = goesLeft[codes[column + row] ?? 0] ?? 0;
      const nextLeft = goesLeft[codes[column + next] ?? 0] ?? 0;
      partition[l] = row;
      scratch[r] = row;
      l += left;
      r += 1 - left;
      partition[l] = next;
      scratch[r] = next;
      l += nextLeft;
      r += 1 - nextLeft;
    }
    for (; i < node.end; i++) {
      const row = partition[i] ?? 0;
      const left = goesLeft[codes[column + row] ?? 0] ?? 0;
      partition[l] = row;
      scratch[r] = row;
      l += left;
      r += 1 - left;
    }
    partition.set(scratch.subarray(0, r), l);
    const left = this.addNode(node.start, l, node.depth + 1, gradLeft, hessLeft, l - node.start);
    const right = this.addNode(
      l,
      node.end,
      node.depth + 1,
      node.sumGrad - gradLeft,
      node.sumHess - hessLeft,
      node.end - l,
    );
    if (l - node.start !== countLeft) throw new Error('Histogram and partition disagree on a split');
    // bin = last non-missing bin is the split on missingness: every value goes left.
    const isLast = bin === (binCounts[feature] ?? 1) - 1;
    this.feature[node.id] = feature;
    this.threshold[node.id] = isLast ? Number.POSITIVE_INFINITY : (thresholds[feature]?.[bin] ?? 0);
    this.missingLeft[node.id] = missingLeft ? 1 : 0;
    this.left[node.id] = left.id;
    this.right[node.id] = right.id;
    this.gain[feature] = (this.gain[feature] ?? 0) + gain;
    return [left, right];
  }

  private tree(): BoostedTree {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      missingLeft: Uint8Array.from(this.missingLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      nodeCount: this.feature.length,
    };
  }
}

/** Removes and returns the node with the largest split gain (the earliest on ties). */
function takeBest(nodes: GrowNode[]): GrowNode | undefined {
  if (nodes.length === 0) return undefined;
  let best = 0;
  for (let i = 1; i < nodes.length; i++)
    if ((nodes[i]?.split.gain ?? 0) > (nodes[best]?.split.gain ?? 0)) best = i;
  return nodes.splice(best, 1)[0];
}
