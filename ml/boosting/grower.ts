import { MISSING_BIN } from './binning';
import { BIN_SLOTS, countBins, HistogramPool, histogramSize } from './histogram';
import type { BoostedTree } from './model';
import { type Leaves, leftRowsOfSplit, partitionBuffers } from './partition';
import { type RowRecords, rowCodesLike, toRowRecords } from './row-codes';
import { allocate } from './sharing';
import { findBestSplit, nodeValue, SplitInfo, type SplitParams } from './split';
import { type BoostingThreads, type GrowerWorkspace, runShared } from './threads';

/**
 * Binned training rows: codes column-major (feature c of row r at c · rows + r), in shared memory
 * when threads help (threads.ts).
 */
export interface BinnedData {
  codes: Uint8Array;
  rows: number;
  cols: number;
  /** Gradient/hessian pairs per row: one per output (see loss.ts). */
  outputs: number;
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
 * gets the larger child's by subtraction from the parent's. Buffers live across trees. With
 * `threads`, histograms, splits and leaf values are shared between threads (threads.ts), to the
 * same bits; gradHess and raw scores must then be in shared memory too.
 */
export class TreeGrower {
  private readonly partition: Int32Array;
  private readonly pool: HistogramPool;
  private readonly workspace: GrowerWorkspace;
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
    private readonly threads?: BoostingThreads,
  ) {
    const { codes, rows, cols, outputs } = data;
    const shared = (threads?.parts ?? 1) > 1;
    const buffers = partitionBuffers(rows, (bytes) => allocate(bytes, shared));
    this.partition = buffers.partition;
    this.pool = new HistogramPool(histogramSize(cols), shared);
    // Only the smaller child of a split is ever gathered: at most half the rows.
    const half = Math.ceil(rows / 2);
    this.workspace = {
      codes,
      records: toRowRecords(codes, rows, cols, outputs, shared),
      rows,
      cols,
      rootCounts: countBins(codes, rows, cols, shared),
      ...buffers,
      gathered: {
        codes: rowCodesLike(half, cols, shared),
        gradHess: new Float64Array(allocate(16 * half, shared)),
      },
    };
  }

  /** The rows' codes and gradients, the latter to be stored before each iteration's trees grow. */
  get records(): RowRecords {
    return this.workspace.records;
  }

  /**
   * One tree fitted to output `output`'s gradients and hessians, interleaved (gradHess[2r],
   * gradHess[2r + 1] for row r), which the records must hold too.
   */
  grow(gradHess: Float64Array, output: number): BoostedTree {
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
      runShared({ kind: 'root', workspace: this.workspace, hist: root.hist, gradHess }, this.threads);
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
      // Also turns the parent's histogram into the larger child's (subtraction).
      small.hist = this.build(small, output, parentHist);
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
    runShared({ kind: 'leafValues', workspace: this.workspace, leaves: this.leaves(), raw }, this.threads);
  }

  private leaves(): Leaves {
    const ids = this.feature.flatMap((feature, id) => (feature < 0 ? [id] : []));
    return {
      start: Int32Array.from(ids, (id) => this.start[id] ?? 0),
      end: Int32Array.from(ids, (id) => this.end[id] ?? 0),
      value: Float64Array.from(ids, (id) => this.value[id] ?? 0),
    };
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

  private build(node: GrowNode, output: number, parent: Float64Array): Float64Array {
    const hist = this.pool.acquire();
    const { start, end } = node;
    runShared({ kind: 'node', workspace: this.workspace, hist, parent, output, start, end }, this.threads);
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
    const { binCounts, thresholds } = this.data;
    const { feature, bin, missingLeft, gradLeft, hessLeft, countLeft, gain } = node.split;
    const goesLeft = this.goesLeft;
    for (let code = 0; code < BIN_SLOTS; code++) goesLeft[code] = code <= bin ? 1 : 0;
    goesLeft[MISSING_BIN] = missingLeft ? 1 : 0;
    const { workspace } = this;
    const { start, end } = node;
    runShared({ kind: 'partition', workspace, feature, goesLeft, start, end }, this.threads);
    const l = start + leftRowsOfSplit(workspace, end - start);
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
