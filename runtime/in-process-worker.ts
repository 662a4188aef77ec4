import { NativeConnection } from '@temporalio/worker';
import type { Sql } from '../db/client';
import type { NodeRunLookup } from '../nodes/runs';
import { createPipelineWorker } from '../workflows/create-worker';

export interface InProcessWorker {
  /** Lets in-flight activities finish, then closes the worker's connection. */
  stop(): Promise<void>;
}

/**
 * A pipeline worker inside the calling process, for commands that bring their own services
 * (`pipewright run --wait` without `npm start`, the benchmarks).
 */
export async function startInProcessWorker(options: {
  temporalAddress: string;
  namespace: string;
  sql: Sql;
  dataDir: string;
  taskQueue: string;
  /** What the worker runs: production's node types unless a test or benchmark adds its own. */
  runOf?: NodeRunLookup;
}): Promise<InProcessWorker> {
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  try {
    const worker = await createPipelineWorker({
      connection,
      namespace: options.namespace,
      sql: options.sql,
      dataDir: options.dataDir,
      taskQueue: options.taskQueue,
      runOf: options.runOf,
    });
    const running = worker.run();
    return {
      async stop() {
        worker.shutdown();
        await running;
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
