import type { FeatureMatrix } from '../linear/ridge';
import { type FeatureRanks, featureRanks } from './feature-ranks';
import { ClassImpurity, type NodeImpurity, ValueImpurity } from './impurity';
import { type Split, SplitSearch } from './split-search';

export type Criterion = 'gini' | 'entropy' | 'squared_error';

export interface TreeOptions {
  /** Classes for classification; 0 for regression. */
  classes: number;
  criterion: Criterion;
  maxDepth?: number;
  minSamplesLeaf?: number;
  minSamplesSplit?: number;
  /** Features tried at each split (random forests try a subset); all by default. */
  maxFeatures?: number;
  /** Uniform [0, 1) source for feature subsampling; deterministic for a seed. */
  random?: () => number;
}

/**
 * A fitted tree in flat arrays (node 0 is the root; a leaf has feature −1): compact, fast to walk,
 * and the same shape ONNX's TreeEnsemble operators take.
 */
export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Per node: class probabilities (classification) or the mean (regression); `outputs` values each. */
  value: Float64Array;
  outputs: number;
  /** Total weighted impurity decrease per feature, for importances. */
  gain: Float64Array;
  nodeCount: number;
}

interface Work {
  node: number;
  start: number;
  end: number;
  depth: number;
}

/** CART: greedy binary splits `x[feature] <= threshold` that most reduce impurity. */
export function fitTree(x: FeatureMatrix, y: ArrayLike<number>, options: TreeOptions): Tree {
  return growTree(featureRanks(x), y, undefined, options);
}

/**
 * Grows a tree on ranked features. `weights` gives each row's weight (a forest's bootstrap counts);
 * rows of weight 0 are left out. Without weights every row counts once.
 */
export function growTree(
  ranked: FeatureRanks,
  y: ArrayLike<number>,
  weights: Float64Array | undefined,
  options: TreeOptions,
): Tree {
  const outputs = options.classes > 0 ? options.classes : 1;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const minLeaf = Math.max(1, options.minSamplesLeaf ?? 1);
  const minSplit = Math.max(2, options.minSamplesSplit ?? 2);
  const impurity: NodeImpurity =
    options.classes > 0
      ? new ClassImpurity(options.classes, options.criterion === 'entropy', y, weights, ranked.rows)
      : new ValueImpurity(y, weights, ranked.rows);
  const search = new SplitSearch(ranked, impurity, {
    minSamplesLeaf: minLeaf,
    maxFeatures: options.maxFeatures,
    random: options.random,
  });
  const rows = sampledRows(ranked.rows, weights);
  const scratch = new Int32Array(rows.length);
  const builder = new TreeBuilder(outputs, ranked.cols);
  impurity.setNode(rows, 0, rows.length);
  const stack: Work[] = [{ node: builder.add(impurity.value()), start: 0, end: rows.length, depth: 0 }];
  while (stack.length) {
    const work = stack.pop();
    if (!work || work.depth >= maxDepth || work.end - work.start < minSplit) continue;
    impurity.setNode(rows, work.start, work.end);
    // A pure node is a leaf.
    if (impurity.impurity() <= 1e-12) continue;
    const split = search.find(rows, work.start, work.end);
    if (!split) continue;
    const middle = partition(rows, work.start, work.end, ranked, split, scratch);
    impurity.setNode(rows, work.start, middle);
    const left = builder.add(impurity.value());
    impurity.setNode(rows, middle, work.end);
    const right = builder.add(impurity.value());
    builder.split(work.node, split.feature, split.threshold, left, right, split.gain);
    stack.push(
      { node: left, start: work.start, end: middle, depth: work.depth + 1 },
      { node: right, start: middle, end: work.end, depth: work.depth + 1 },
    );
  }
  return builder.build();
}

/** Values (class probabilities or the regression value) for each row, row-major (rows × outputs). */
export function predictTree(tree: Tree, x: FeatureMatrix): Float64Array {
  const out = new Float64Array(x.rows * tree.outputs);
  for (let r = 0; r < x.rows; r++) {
    const leaf = leafOf(tree, x, r);
    for (let k = 0; k < tree.outputs; k++)
      out[r * tree.outputs + k] = tree.value[leaf * tree.outputs + k] ?? 0;
  }
  return out;
}

/**
 * Adds the tree's prediction for each row of `x` to `sums` (rows × outputs): a forest sums its trees
 * this way, without an array per tree.
 */
export function addTreePredictions(tree: Tree, x: FeatureMatrix, sums: Float64Array): void {
  for (let r = 0; r < x.rows; r++) {
    const leaf = leafOf(tree, x, r);
    for (let k = 0; k < tree.outputs; k++)
      sums[r * tree.outputs + k] =
        (sums[r * tree.outputs + k] ?? 0) + (tree.value[leaf * tree.outputs + k] ?? 0);
  }
}

/** The leaf row r of `x` falls in. */
function leafOf(tree: Tree, x: FeatureMatrix, r: number): number {
  let node = 0;
  while ((tree.feature[node] ?? -1) >= 0) {
    const value = x.values[r * x.cols + (tree.feature[node] ?? 0)] ?? 0;
    node = value <= (tree.threshold[node] ?? 0) ? (tree.left[node] ?? 0) : (tree.right[node] ?? 0);
  }
  return node;
}

/** The rows a tree learns from: all, or those a bootstrap drew at least once. */
function sampledRows(count: number, weights: Float64Array | undefined): Int32Array {
  if (!weights) return Int32Array.from({ length: count }, (_, index) => index);
  const rows = new Int32Array(count);
  let kept = 0;
  for (let row = 0; row < count; row++) if ((weights[row] ?? 0) > 0) rows[kept++] = row;
  return rows.slice(0, kept);
}

/**
 * Reorders rows[start, end) so the rows going left come first, each side keeping its order; returns
 * where the right ones begin. Rows stay ascending, so reading a feature's ranks for a node walks
 * memory forwards instead of jumping about (most of a forest's time is that reading).
 */
function partition(
  rows: Int32Array,
  start: number,
  end: number,
  ranked: FeatureRanks,
  split: Split,
  scratch: Int32Array,
): number {
  const { cols, ranks } = ranked;
  let left = start;
  let right = 0;
  for (let i = start; i < end; i++) {
    const row = rows[i] ?? 0;
    if ((ranks[row * cols + split.feature] ?? 0) <= split.rank) rows[left++] = row;
    else scratch[right++] = row;
  }
  rows.set(scratch.subarray(0, right), left);
  return left;
}

class TreeBuilder {
  private feature: number[] = [];
  private threshold: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private values: number[] = [];
  private readonly gain: Float64Array;

  constructor(
    private readonly outputs: number,
    cols: number,
  ) {
    this.gain = new Float64Array(cols);
  }

  add(value: Float64Array): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.values.push(...value);
    return this.feature.length - 1;
  }

  split(node: number, feature: number, threshold: number, left: number, right: number, gain: number): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.left[node] = left;
    this.right[node] = right;
    this.gain[feature] = (this.gain[feature] ?? 0) + gain;
  }

  build(): Tree {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.values),
      outputs: this.outputs,
      gain: this.gain,
      nodeCount: this.feature.length,
    };
  }
}
