import type { FeatureMatrix } from '../linear/ridge';
import { seededRandom } from '../random';
import { addTreePredictions, type Criterion, growTree, type Tree } from './cart';
import { type FeatureRanks, featureRanks } from './feature-ranks';

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
  const ranked = featureRanks(x);
  const trees = treeSeeds.map((seed, index) => {
    const tree = fitForestTree(ranked, y, options, seed);
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

/**
 * One tree of a forest, from its own seed: a bootstrap sample (as a count per row, like scikit-learn's
 * sample weights), then a tree with feature sampling.
 */
export function fitForestTree(
  ranked: FeatureRanks,
  y: ArrayLike<number>,
  options: ForestOptions,
  seed: number,
): Tree {
  const random = seededRandom(seed);
  const counts = new Float64Array(ranked.rows);
  for (let r = 0; r < ranked.rows; r++) {
    const pick = Math.floor(random() * ranked.rows);
    counts[pick] = (counts[pick] ?? 0) + 1;
  }
  const classification = options.classes > 0;
  return growTree(ranked, y, counts, {
    classes: options.classes,
    criterion: options.criterion ?? (classification ? 'gini' : 'squared_error'),
    maxDepth: options.maxDepth,
    minSamplesLeaf: options.minSamplesLeaf,
    maxFeatures:
      options.maxFeatures ?? (classification ? Math.max(1, Math.round(Math.sqrt(ranked.cols))) : ranked.cols),
    random,
  });
}

export function predictForest(forest: Forest, x: FeatureMatrix): Float64Array {
  const out = new Float64Array(x.rows * forest.outputs);
  for (const tree of forest.trees) addTreePredictions(tree, x, out);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / forest.trees.length;
  return out;
}
