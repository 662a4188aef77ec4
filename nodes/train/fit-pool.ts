import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { FittedModel } from '../../ml/model';
import { forestTreeSeeds } from '../../ml/trees/forest';
import { fittedModelSchema } from '../_model/model-schema';
import { type FitProgress, type FitTask, fitProgressSchema } from './fit-task';

let pool: Piscina | undefined;

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
 * over all threads (each tree has its own seed, so the forest is the same however it is split).
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
  try {
    return await fitShares(task, signal, report);
  } finally {
    stop.abort();
  }
}

async function fitShares(
  task: FitTask,
  signal: AbortSignal,
  report: (fraction: number) => void,
): Promise<FittedModel> {
  if (task.algorithm !== 'random_forest') {
    return fittedModelSchema.parse(
      await runTask(task, signal, (update) => report(update.done / update.total)),
    );
  }
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
): Promise<unknown> {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (message: unknown) => onProgress(fitProgressSchema.parse(message)));
  try {
    return await trainingPool().run({ task, port: port2 }, { transferList: [port2], signal });
  } finally {
    port1.close();
  }
}

/** Stops the training threads (tests and shutdown). */
export async function closeTrainingPool(): Promise<void> {
  await pool?.destroy();
  pool = undefined;
}
