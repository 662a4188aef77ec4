import { NativeConnection } from '@temporalio/worker';
import type { Sql } from '../db/client';
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
}): Promise<InProcessWorker> {
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  try {
    const worker = await createPipelineWorker({
      connection,
      namespace: options.namespace,
      sql: options.sql,
      dataDir: options.dataDir,
      taskQueue: options.taskQueue,
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
