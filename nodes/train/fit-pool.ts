import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { FittedModel } from '../../ml/model';
import { forestTreeSeeds } from '../../ml/trees/forest';
import { fittedModelSchema } from '../_model/model-schema';
import { type HelperLink, linkHelpers } from './boosting-helpers';
import { type FitProgress, type FitTask, fitProgressSchema } from './fit-task';

let pool: Piscina | undefined;
/**
 * Tasks this module gave the pool (fits, forest shares and boosting helpers): how many are queued
 * or running, and how many ran to the end. Piscina settles an aborted task by terminating its
 * thread, without completing it: after a cancel, `pending` falls back to 0 with `completed`
 * unchanged only if every share and helper of the cancelled fit was stopped.
 */
const taskCounts = { pending: 0, completed: 0 };

/** A snapshot of the training tasks' counts (what tests of cancellation observe). */
export function fitTaskCounts(): { pending: number; completed: number } {
  return { ...taskCounts };
}

/** Runs a task on the training pool, counted in fitTaskCounts. */
async function runOnPool(task: unknown, options: Parameters<Piscina['run']>[1]): Promise<unknown> {
  taskCounts.pending++;
  try {
    const result: unknown = await trainingPool().run(task, options);
    taskCounts.completed++;
    return result;
  } finally {
    taskCounts.pending--;
  }
}

/**
 * Training threads, one per core, started on first use. Threads load TypeScript through tsx, as
 * the worker process itself does. Aborting a task terminates its thread, which is how a cancelled
 * step stops training within a second.
 */
function trainingPool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./fit-worker.ts', import.meta.url).href,
    execArgv: ['--import', 'tsx'],
    maxThreads: availableParallelism(),
    idleTimeout: 30_000,
  });
  return pool;
}

/**
 * Fits a model off the event loop, so heartbeats keep flowing. A random forest's trees are spread
 * over all threads (each tree has its own seed, so the forest is the same however it is split); a
 * large gradient boosting fit shares its per-row work with the other threads.
 */
export async function fitOffThread(
  task: FitTask,
  options: { signal: AbortSignal; onProgress: (fraction: number) => void },
): Promise<FittedModel> {
  // One failed or cancelled share stops the others; progress stops with them, so nothing is
  // reported for a step that has already ended.
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  const report = (fraction: number) => {
    if (!signal.aborted) options.onProgress(fraction);
  };
  const progress = (update: FitProgress) => report(update.done / update.total);
  try {
    if (task.algorithm === 'random_forest') return await fitForest(task, signal, report);
    if (task.algorithm === 'gradient_boosting') return await fitBoosting(task, options.signal, progress);
    return fittedModelSchema.parse(await runTask(task, signal, progress));
  } finally {
    stop.abort();
  }
}

/** Below this many feature values a boosting fit takes about a second: helpers would gain little. */
const MIN_HELPED_CELLS = 1_000_000;
/**
 * Threads per boosting fit at most: each step waits for its slowest part, and a few dozen features
 * cut into more ranges leave each too little (only 2 threads have been measured).
 */
const MAX_BOOSTING_THREADS = 4;

/**
 * Gradient boosting on one thread, with helper tasks on the pool's other threads doing parts of
 * its per-row work when the data is large (boosting-helpers.ts; the model is the same either way).
 * Helpers return by themselves when the fit ends, one still queued then as soon as it starts, so
 * a finished fit leaves every thread free for the next task; cancellation or a failed fit
 * terminates them with the fit.
 */
async function fitBoosting(
  task: FitTask,
  cancel: AbortSignal,
  progress: (update: FitProgress) => void,
): Promise<FittedModel> {
  const threads = Math.min(availableParallelism(), MAX_BOOSTING_THREADS);
  const helpers = task.x.rows * task.x.cols >= MIN_HELPED_CELLS ? threads - 1 : 0;
  if (helpers === 0) return fittedModelSchema.parse(await runTask(task, cancel, progress));
  const { link, starts } = linkHelpers(helpers);
  const failed = new AbortController();
  const helperSignal = AbortSignal.any([cancel, failed.signal]);
  for (const start of starts)
    runOnPool(start, { name: 'helpBoosting', transferList: [start.port], signal: helperSignal })
      // A helper that fails tells the fit through the link, which fails with its message; an
      // aborted helper is one this function stopped.
      .catch(() => {});
  try {
    return fittedModelSchema.parse(await runTask(task, cancel, progress, link));
  } catch (error) {
    failed.abort();
    throw error;
  }
}

async function fitForest(
  task: FitTask,
  signal: AbortSignal,
  report: (fraction: number) => void,
): Promise<FittedModel> {
  const seeds = forestTreeSeeds(task.hyperparameters.trees, task.hyperparameters.seed);
  const threads = Math.min(availableParallelism(), seeds.length);
  const shares = Array.from({ length: threads }, (_, share) =>
    seeds.filter((_, index) => index % threads === share),
  );
  const done = shares.map(() => 0);
  const grown = await Promise.all(
    shares.map(async (treeSeeds, share) => {
      const fitted = fittedModelSchema.parse(
        await runTask({ ...task, treeSeeds }, signal, (update) => {
          done[share] = update.done;
          report(done.reduce((sum, count) => sum + count, 0) / seeds.length);
        }),
      );
      if (fitted.algorithm !== 'random_forest') throw new Error('A forest share came back as another model');
      return fitted.model.trees;
    }),
  );
  // Back in seed order: tree i of the forest is the one grown from seed i.
  const trees = seeds.flatMap((_, index) => {
    const tree = grown[index % threads]?.[Math.floor(index / threads)];
    return tree ? [tree] : [];
  });
  return {
    algorithm: 'random_forest',
    model: { trees, outputs: task.task === 'classification' ? task.classes : 1 },
  };
}

async function runTask(
  task: FitTask,
  signal: AbortSignal,
  onProgress: (update: FitProgress) => void,
  helpers?: HelperLink,
): Promise<unknown> {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (message: unknown) => onProgress(fitProgressSchema.parse(message)));
  try {
    const transferList = [port2, ...(helpers?.ports ?? [])];
    return await runOnPool({ task, port: port2, helpers }, { transferList, signal });
  } finally {
    port1.close();
  }
}

/** Stops the training threads (tests and shutdown). */
export async function closeTrainingPool(): Promise<void> {
  await pool?.destroy();
  pool = undefined;
}
