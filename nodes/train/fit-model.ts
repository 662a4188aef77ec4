import { fitBoosted } from '../../ml/boosting/hist-gbm';
import type { BoostingThreads } from '../../ml/boosting/threads';
import { fitLogistic } from '../../ml/linear/logistic';
import { fitRidge } from '../../ml/linear/ridge';
import type { FittedModel } from '../../ml/model';
import { fitTree, type Tree } from '../../ml/trees/cart';
import { featureRanks } from '../../ml/trees/feature-ranks';
import { fitForestTree } from '../../ml/trees/forest';
import type { FitProgress, FitTask } from './fit-task';

/**
 * Fits what a task asks for, calling `progress` after each tree or iteration. Pure computation: it
 * runs inside a worker thread (fit-worker.ts), or inline in tests. Gradient boosting shares its
 * per-row work with `threads` when given (the model is the same).
 */
export function fitModel(
  task: FitTask,
  progress: (update: FitProgress) => void,
  threads?: BoostingThreads,
): FittedModel {
  const { x, y, classes, hyperparameters: h } = task;
  const classification = task.task === 'classification';
  switch (task.algorithm) {
    case 'linear':
      return classification
        ? { algorithm: 'logistic', model: fitLogistic(x, y, classes, { c: 1 / Math.max(h.l2 ?? 1, 1e-12) }) }
        : { algorithm: 'linear', model: fitRidge(x, y, h.l2 ?? 1) };
    case 'decision_tree':
      return {
        algorithm: 'decision_tree',
        model: fitTree(x, y, {
          classes: classification ? classes : 0,
          criterion: classification ? 'gini' : 'squared_error',
          maxDepth: h.maxDepth,
          minSamplesLeaf: h.minSamplesLeaf,
        }),
      };
    case 'random_forest':
      return {
        algorithm: 'random_forest',
        model: { trees: fitForestTrees(task, progress), outputs: classification ? classes : 1 },
      };
    case 'gradient_boosting':
      return {
        algorithm: 'gradient_boosting',
        model: fitBoosted(x, y, {
          classes: classification ? classes : 0,
          learningRate: h.learningRate,
          maxIter: h.maxIterations,
          maxLeafNodes: h.maxLeafNodes,
          maxDepth: h.maxDepth,
          minSamplesLeaf: h.minSamplesLeaf ?? 20,
          l2Regularization: h.l2 ?? 0,
          earlyStopping: h.earlyStopping === 'auto' ? 'auto' : h.earlyStopping === 'on',
          seed: h.seed,
          onIteration: (done, total) => progress({ done, total }),
          threads: threads,
        }),
      };
  }
}

/** The trees of a forest this task grows, one per seed. */
export function fitForestTrees(task: FitTask, progress: (update: FitProgress) => void): Tree[] {
  const seeds = task.treeSeeds ?? [];
  const classification = task.task === 'classification';
  // Ranked once per thread, shared by all its trees.
  const ranked = featureRanks(task.x);
  return seeds.map((seed, index) => {
    const tree = fitForestTree(
      ranked,
      task.y,
      {
        classes: classification ? task.classes : 0,
        maxDepth: task.hyperparameters.maxDepth,
        minSamplesLeaf: task.hyperparameters.minSamplesLeaf,
      },
      seed,
    );
    progress({ done: index + 1, total: seeds.length });
    return tree;
  });
}
