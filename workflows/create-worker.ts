import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { envSchema } from '../config/env';
import { secretKeyReader } from '../config/secret-key';
import type { Sql } from '../db/client';
import { type NodeRunLookup, nodeRun } from '../nodes/runs';
import { createActivities } from './activities';
import { PIPELINE_TASK_QUEUE } from './task-queue';

export const workflowsPath = fileURLToPath(new URL('./pipeline.workflow.ts', import.meta.url));

export interface PipelineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  sql: Sql;
  /** DATA_DIR: artifacts and uploads live under it. */
  dataDir: string;
  taskQueue?: string;
  /** The node types it runs: production's unless a test adds its own. */
  runOf?: NodeRunLookup;
  /**
   * The installation's secret key, read when a step opens a stored connection; by default
   * PIPEWRIGHT_SECRET_KEY, else dataDir's secret.key (the worker process checks it at start).
   */
  secretKey?: () => Buffer;
  /** A prebuilt bundle (tests build it once for all their workers); otherwise bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export function createPipelineWorker(options: PipelineWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? PIPELINE_TASK_QUEUE,
    activities: createActivities({
      sql: options.sql,
      dataDir: options.dataDir,
      runOf: options.runOf ?? nodeRun,
      secretKey:
        options.secretKey ??
        secretKeyReader({
          PIPEWRIGHT_SECRET_KEY: envSchema.shape.PIPEWRIGHT_SECRET_KEY.parse(
            process.env.PIPEWRIGHT_SECRET_KEY,
          ),
          DATA_DIR: options.dataDir,
        }),
    }),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
  });
}
