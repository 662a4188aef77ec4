import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type Env, envSchema, publicUrl, readEnv } from '../config/env';
import { secretKeyReader } from '../config/secret-key';
import { databaseOf, type Sql } from '../db/client';
import { type NodeRunLookup, nodeRun } from '../nodes/runs';
import type { SpecLookup } from '../pipeline/graph-checks';
import { createActivities } from './activities';
import { createModelImportActivities } from './model-import/model-import-activity';
import { createDeliveryActivities } from './notifications/delivery-activity';
import type { SendDeps } from './notifications/send-delivery';
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
  /**
   * What a notification delivery's activity needs beside the secret key (links, the webhook
   * allow-list, SMTP); by default read from the environment as the notifier's are.
   */
  notify?: Omit<SendDeps, 'secretKey'>;
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
      // An uploaded model's check before the app registers it (model-import/model-import.workflow.ts).
      ...createModelImportActivities({ dataDir: options.dataDir }),
      // Model alerts' webhooks and emails, one workflow per delivery (notifications/delivery.workflow.ts).
      ...createDeliveryActivities({
        db: databaseOf(options.sql),
        secretKey: secretKeyOf(options),
        ...(options.notify ?? notifyFromEnv()),
      }),
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
    secretKey: secretKeyOf(options),
  });
}

function secretKeyOf(options: PipelineWorkerOptions): () => Buffer {
  return (
    options.secretKey ??
    secretKeyReader({
      PIPEWRIGHT_SECRET_KEY: envSchema.shape.PIPEWRIGHT_SECRET_KEY.parse(process.env.PIPEWRIGHT_SECRET_KEY),
      DATA_DIR: options.dataDir,
    })
  );
}

function notifyFromEnv(): Omit<SendDeps, 'secretKey'> {
  return notifySettingsOf(readEnv());
}

/** Where notifications link to, which addresses webhooks may reach, and the mail server, from the environment. */
export function notifySettingsOf(env: Env): Omit<SendDeps, 'secretKey'> {
  return {
    publicUrl: publicUrl(env),
    webhookAllow: env.PIPEWRIGHT_WEBHOOK_ALLOW,
    email: env.PIPEWRIGHT_SMTP_URL
      ? { smtpUrl: env.PIPEWRIGHT_SMTP_URL, from: env.PIPEWRIGHT_SMTP_FROM }
      : undefined,
  };
}
