import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { envSchema } from '../config/env';
import { secretKeyReader } from '../config/secret-key';
import { databaseOf, type Sql } from '../db/client';
import { type NodeRunLookup, nodeRun } from '../nodes/runs';
import type { SpecLookup } from '../pipeline/graph-checks';
import { createActivities } from './activities';
import { createRetentionActivities } from './retention/retention-activity';
import { createScheduleActivities } from './schedules/scheduled-run-activity';
import { PIPELINE_TASK_QUEUE } from './task-queue';

export const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));

export interface PipelineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  sql: Sql;
  /** DATA_DIR: artifacts and uploads live under it. */
  dataDir: string;
  taskQueue?: string;
  /** The node types it runs: production's unless a test adds its own. */
  runOf?: NodeRunLookup;
  /** The node types a schedule's run compiles against: production's unless a test adds its own. */
  specOf?: SpecLookup;
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
    activities: {
      ...pipelineActivities(options),
      // A schedule's firing compiles and records its run on the worker (scheduled-run.workflow.ts).
      ...createScheduleActivities({ db: databaseOf(options.sql), specOf: options.specOf }),
      // The daily system-retention schedule's pass (workflows/retention/).
      ...createRetentionActivities({ db: databaseOf(options.sql), dataDir: options.dataDir }),
    },
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
  });
}

function pipelineActivities(options: PipelineWorkerOptions) {
  return createActivities({
    sql: options.sql,
    dataDir: options.dataDir,
    runOf: options.runOf ?? nodeRun,
    specOf: options.specOf,
    secretKey:
      options.secretKey ??
      secretKeyReader({
        PIPEWRIGHT_SECRET_KEY: envSchema.shape.PIPEWRIGHT_SECRET_KEY.parse(process.env.PIPEWRIGHT_SECRET_KEY),
        DATA_DIR: options.dataDir,
      }),
  });
}
