import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../ml/random';
import { fitModel } from './fit-model';
import { closeTrainingPool, fitOffThread, fitTaskCounts } from './fit-pool';
import type { FitTask, Hyperparameters } from './fit-task';

afterAll(() => closeTrainingPool());

/**
 * A boosting task large enough (a million feature values) to get helper threads, with 3% missing
 * values unless `complete`.
 */
function boostingTask(hyperparameters: Partial<Hyperparameters>, complete = false): FitTask {
  const missing = complete ? 0 : 0.03;
  const random = seededRandom(3);
  const rows = 40_000;
  const cols = 25;
  const values = new Float64Array(new SharedArrayBuffer(8 * rows * cols));
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) values[r * cols + c] = random() < missing ? Number.NaN : random();
    y[r] = (values[r * cols] || 0) + 0.5 * (values[r * cols + 1] || 0) + 0.3 * random() > 0.9 ? 1 : 0;
  }
  return {
    algorithm: 'gradient_boosting',
    task: 'classification',
    classes: 2,
    x: { values, rows, cols },
    y,
    hyperparameters: {
      trees: 100,
      learningRate: 0.1,
      maxIterations: 20,
      maxLeafNodes: 31,
      earlyStopping: 'auto',
      seed: 42,
      ...hyperparameters,
    },
  };
}

/** Polls until the pool holds no training task; gives the counts then. */
async function fitTasksSettled(): Promise<{ pending: number; completed: number }> {
  while (fitTaskCounts().pending > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  return fitTaskCounts();
}

const quietly = { signal: new AbortController().signal, onProgress: () => {} };

describe('training pool, gradient boosting with helper threads', () => {
  it('fits the same model as one thread', async () => {
    const task = boostingTask({});
    // Once to start the pool's threads, so that the helper listens during the second fit.
    await fitOffThread(task, quietly);
    expect(await fitOffThread(task, quietly)).toEqual(fitModel(task, () => {}));
  });

  it('stops when cancelled, and frees the threads for the next fits', async () => {
    // The helpers of the fits before return by themselves once their fit has ended.
    await fitTasksSettled();
    const controller = new AbortController();
    let reports = 0;
    let atCancel = { pending: 0, completed: 0 };
    const training = fitOffThread(boostingTask({ maxIterations: 5000, earlyStopping: 'off' }), {
      signal: controller.signal,
      onProgress: () => {
        reports++;
        if (reports !== 5) return;
        atCancel = fitTaskCounts();
        controller.abort();
      },
    });
    await expect(training).rejects.toThrow(/abort/i);
    // The fit and its helpers, one per thread up to 4, were on the pool when it was cancelled; all
    // of them are stopped, not left running their 5,000 iterations.
    expect(atCancel.pending).toBe(Math.min(availableParallelism(), 4));
    // None of them ran to its end: each was stopped when its thread was terminated.
    expect(await fitTasksSettled()).toEqual({ pending: 0, completed: atCancel.completed });
    // Every thread takes new work: a forest with a tree per thread is split over all of them, and a
    // boosting fit gets its helpers. Had the cancelled fit's threads been left running its 5,000
    // iterations, the forest would wait behind them past the test's timeout.
    const threads = availableParallelism();
    const forest: FitTask = {
      ...boostingTask({ trees: threads, maxDepth: 3 }, true),
      algorithm: 'random_forest',
    };
    const fitted = await fitOffThread(forest, quietly);
    expect(fitted.algorithm === 'random_forest' && fitted.model.trees.length).toBe(threads);
  });
});
