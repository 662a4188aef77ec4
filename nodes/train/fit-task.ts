import { z } from 'zod';
import type { Task } from '../../ml/model';
import type { Algorithm } from '../_model/algorithms';

/** Hyperparameters as the train node resolved them (undefined = the algorithm's default). */
export interface Hyperparameters {
  maxDepth?: number;
  minSamplesLeaf?: number;
  trees: number;
  learningRate: number;
  maxIterations: number;
  maxLeafNodes: number;
  l2?: number;
  earlyStopping: 'auto' | 'on' | 'off';
  seed: number;
}

/**
 * One piece of training work for a worker thread. The feature values sit in a SharedArrayBuffer, so
 * every thread of the pool reads the same memory instead of a copy.
 */
export interface FitTask {
  algorithm: Algorithm;
  task: Task;
  /** Class count for classification, 0 for regression. */
  classes: number;
  x: { values: Float64Array; rows: number; cols: number };
  /** Class indices or values. */
  y: Float64Array;
  hyperparameters: Hyperparameters;
  /** Random forests: the seeds of the trees this task grows (a forest is split across threads). */
  treeSeeds?: number[];
}

/** Progress a worker thread reports after each tree or iteration. */
export const fitProgressSchema = z.object({ done: z.number(), total: z.number() });
export type FitProgress = z.infer<typeof fitProgressSchema>;
