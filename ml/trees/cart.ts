import type { FeatureMatrix } from '../linear/ridge';

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
  rows: Int32Array;
  depth: number;
}

/** CART: greedy binary splits `x[feature] <= threshold` that most reduce impurity. */
export function fitTree(x: FeatureMatrix, y: ArrayLike<number>, options: TreeOptions): Tree {
  const outputs = options.classes > 0 ? options.classes : 1;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const minLeaf = Math.max(1, options.minSamplesLeaf ?? 1);
  const minSplit = Math.max(2, options.minSamplesSplit ?? 2);
  const builder = new TreeBuilder(outputs, x.cols);
  const all = Int32Array.from({ length: x.rows }, (_, index) => index);
  const stack: Work[] = [{ node: builder.add(leafValue(all, y, options.classes)), rows: all, depth: 0 }];
  while (stack.length) {
    const work = stack.pop();
    if (!work || work.depth >= maxDepth || work.rows.length < minSplit) continue;
    const split = bestSplit(x, y, work.rows, options, minLeaf);
    if (!split) continue;
    const leftRows = work.rows.filter(
      (row) => (x.values[row * x.cols + split.feature] ?? 0) <= split.threshold,
    );
    const rightRows = work.rows.filter(
      (row) => (x.values[row * x.cols + split.feature] ?? 0) > split.threshold,
    );
    const left = builder.add(leafValue(leftRows, y, options.classes));
    const right = builder.add(leafValue(rightRows, y, options.classes));
    builder.split(work.node, split.feature, split.threshold, left, right, split.gain);
    stack.push(
      { node: left, rows: leftRows, depth: work.depth + 1 },
      { node: right, rows: rightRows, depth: work.depth + 1 },
    );
  }
  return builder.build();
}

/** Values (class probabilities or the regression value) for each row, row-major (rows × outputs). */
export function predictTree(tree: Tree, x: FeatureMatrix): Float64Array {
  const out = new Float64Array(x.rows * tree.outputs);
  for (let r = 0; r < x.rows; r++) {
    let node = 0;
    while ((tree.feature[node] ?? -1) >= 0) {
      const value = x.values[r * x.cols + (tree.feature[node] ?? 0)] ?? 0;
      node = value <= (tree.threshold[node] ?? 0) ? (tree.left[node] ?? 0) : (tree.right[node] ?? 0);
    }
    for (let k = 0; k < tree.outputs; k++)
      out[r * tree.outputs + k] = tree.value[node * tree.outputs + k] ?? 0;
  }
  return out;
}

function leafValue(rows: Int32Array, y: ArrayLike<number>, classes: number): Float64Array {
  if (classes === 0) {
    let sum = 0;
    for (const row of rows) sum += y[row] ?? 0;
    return Float64Array.of(rows.length ? sum / rows.length : 0);
  }
  const counts = new Float64Array(classes);
  for (const row of rows) counts[y[row] ?? 0] = (counts[y[row] ?? 0] ?? 0) + 1;
  return counts.map((count) => count / Math.max(1, rows.length));
}

interface Split {
  feature: number;
  threshold: number;
  gain: number;
}

/** The split with the largest weighted impurity decrease, by one sorted sweep per feature. */
function bestSplit(
  x: FeatureMatrix,
  y: ArrayLike<number>,
  rows: Int32Array,
  options: TreeOptions,
  minLeaf: number,
): Split | undefined {
  const n = rows.length;
  const parent = impurityOf(rows, y, options);
  // A pure node is a leaf. An impure one is split even when no cut lowers impurity yet (XOR): the
  // next level can, as scikit-learn's trees do.
  if (parent <= 1e-12) return undefined;
  let best: Split | undefined;
  for (const feature of candidateFeatures(x.cols, options)) {
    const sorted = Array.from(rows).sort(
      (a, b) => (x.values[a * x.cols + feature] ?? 0) - (x.values[b * x.cols + feature] ?? 0),
    );
    const sweep = new Sweep(options, y, sorted);
    for (let k = 0; k < n - 1; k++) {
      sweep.moveLeft(sorted[k] ?? 0);
      const here = x.values[(sorted[k] ?? 0) * x.cols + feature] ?? 0;
      const next = x.values[(sorted[k + 1] ?? 0) * x.cols + feature] ?? 0;
      if (next <= here || k + 1 < minLeaf || n - k - 1 < minLeaf) continue;
      const gain = parent * n - sweep.weightedImpurity();
      if (gain > -1e-9 && (!best || gain > best.gain))
        best = { feature, threshold: (here + next) / 2, gain: Math.max(0, gain) };
    }
  }
  return best;
}

function candidateFeatures(cols: number, options: TreeOptions): number[] {
  const all = Array.from({ length: cols }, (_, index) => index);
  const wanted = options.maxFeatures ?? cols;
  if (wanted >= cols || !options.random) return all;
  // Partial Fisher–Yates shuffle: `wanted` distinct features.
  for (let i = 0; i < wanted; i++) {
    const j = i + Math.floor(options.random() * (cols - i));
    [all[i], all[j]] = [all[j] ?? 0, all[i] ?? 0];
  }
  return all.slice(0, wanted);
}

function impurityOf(rows: Int32Array, y: ArrayLike<number>, options: TreeOptions): number {
  const sweep = new Sweep(options, y, Array.from(rows));
  return sweep.rightImpurity();
}

/** Left/right statistics as rows move from right to left, for O(1) impurity at each cut. */
class Sweep {
  private leftCount = 0;
  private rightCount: number;
  private readonly leftClasses: Float64Array;
  private readonly rightClasses: Float64Array;
  private leftSum = 0;
  private leftSquares = 0;
  private rightSum = 0;
  private rightSquares = 0;

  constructor(
    private readonly options: TreeOptions,
    private readonly y: ArrayLike<number>,
    rows: number[],
  ) {
    this.rightCount = rows.length;
    this.leftClasses = new Float64Array(options.classes);
    this.rightClasses = new Float64Array(options.classes);
    for (const row of rows) {
      const label = y[row] ?? 0;
      if (options.classes > 0) this.rightClasses[label] = (this.rightClasses[label] ?? 0) + 1;
      else {
        this.rightSum += label;
        this.rightSquares += label * label;
      }
    }
  }

  moveLeft(row: number): void {
    const label = this.y[row] ?? 0;
    this.leftCount++;
    this.rightCount--;
    if (this.options.classes > 0) {
      this.leftClasses[label] = (this.leftClasses[label] ?? 0) + 1;
      this.rightClasses[label] = (this.rightClasses[label] ?? 0) - 1;
    } else {
      this.leftSum += label;
      this.leftSquares += label * label;
      this.rightSum -= label;
      this.rightSquares -= label * label;
    }
  }

  /** Σ over both sides of count × impurity. */
  weightedImpurity(): number {
    return (
      this.leftCount * this.side(this.leftCount, this.leftClasses, this.leftSum, this.leftSquares) +
      this.rightCount * this.rightImpurity()
    );
  }

  rightImpurity(): number {
    return this.side(this.rightCount, this.rightClasses, this.rightSum, this.rightSquares);
  }

  private side(count: number, classes: Float64Array, sum: number, squares: number): number {
    if (count === 0) return 0;
    if (this.options.criterion === 'squared_error') return Math.max(0, squares / count - (sum / count) ** 2);
    let impurity = this.options.criterion === 'gini' ? 1 : 0;
    for (const classCount of classes) {
      const p = classCount / count;
      if (this.options.criterion === 'gini') impurity -= p * p;
      else if (p > 0) impurity -= p * Math.log2(p);
    }
    return impurity;
  }
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
