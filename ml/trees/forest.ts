import type { FeatureMatrix } from '../linear/ridge';
import { seededRandom } from '../random';
import { type Criterion, fitTree, predictTree, type Tree } from './cart';

export interface ForestOptions {
  classes: number;
  trees?: number;
  criterion?: Criterion;
  maxDepth?: number;
  minSamplesLeaf?: number;
  /** Features tried per split: √cols for classification and all for regression by default, as scikit-learn. */
  maxFeatures?: number;
  seed?: number;
  /** Called after each tree, with the number done, for progress and cancellation. */
  onTree?: (done: number) => void;
}

export interface Forest {
  trees: Tree[];
  outputs: number;
}

/**
 * A random forest: each tree on a bootstrap sample, trying a random subset of features at each split;
 * predictions are the mean of the trees' (probability or value) outputs. Each tree gets its own seed
 * from the forest's, so trees can later be grown in parallel with the same result.
 */
export function fitForest(x: FeatureMatrix, y: ArrayLike<number>, options: ForestOptions): Forest {
  const treeSeeds = forestTreeSeeds(options.trees ?? 100, options.seed ?? 42);
  const trees = treeSeeds.map((seed, index) => {
    const tree = fitForestTree(x, y, options, seed);
    options.onTree?.(index + 1);
    return tree;
  });
  return { trees, outputs: options.classes > 0 ? options.classes : 1 };
}

/** The seed of each tree of a forest: growing tree i from seed i anywhere gives the same forest. */
export function forestTreeSeeds(count: number, seed: number): number[] {
  const seeds = seededRandom(seed);
  return Array.from({ length: count }, () => Math.floor(seeds() * 2 ** 32));
}

/** One tree of a forest, from its own seed: a bootstrap sample, then a tree with feature sampling. */
export function fitForestTree(
  x: FeatureMatrix,
  y: ArrayLike<number>,
  options: ForestOptions,
  seed: number,
): Tree {
  const random = seededRandom(seed);
  const sample = new Float64Array(x.rows * x.cols);
  const labels = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    const pick = Math.floor(random() * x.rows);
    sample.set(x.values.subarray(pick * x.cols, (pick + 1) * x.cols), r * x.cols);
    labels[r] = y[pick] ?? 0;
  }
  const classification = options.classes > 0;
  return fitTree({ values: sample, rows: x.rows, cols: x.cols }, labels, {
    classes: options.classes,
    criterion: options.criterion ?? (classification ? 'gini' : 'squared_error'),
    maxDepth: options.maxDepth,
    minSamplesLeaf: options.minSamplesLeaf,
    maxFeatures:
      options.maxFeatures ?? (classification ? Math.max(1, Math.round(Math.sqrt(x.cols))) : x.cols),
    random,
  });
}

export function predictForest(forest: Forest, x: FeatureMatrix): Float64Array {
  const out = new Float64Array(x.rows * forest.outputs);
  for (const tree of forest.trees) {
    const predicted = predictTree(tree, x);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (predicted[i] ?? 0);
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / forest.trees.length;
  return out;
}
