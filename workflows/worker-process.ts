/**
 * One worker process: polls the pipeline task queue, runs the given node types, and reconciles runs
 * whose workflow ended without recording it. `npm run worker` starts it with production's nodes;
 * tests start it with their test nodes added.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { resolveConnections } from '../config/connections';
import { ConfigError, readEnv } from '../config/env';
import { readSecretKey } from '../config/secret-key';
import { connectDatabase } from '../db/client';
import { artifactOwners, databaseId } from '../db/queries/artifacts';
import { loggableError, loggableMessage } from '../db/queries/loggable-error';
import type { NodeRunLookup } from '../nodes/runs';
import type { SpecLookup } from '../pipeline/graph-checks';
import { createPipelineWorker, notifySettingsOf } from './create-worker';
import { startNotifier } from './notifications/notifier';
import { sweepOrphanArtifacts } from './orphan-sweep';
import { startRunReconciler } from './reconcile-runs';
import { ensureRetentionSchedule } from './retention/retention-schedule';
import { startScheduleReconciler } from './schedules/schedule-reconciler';
import { PIPELINE_TASK_QUEUE } from './task-queue';

async function serve(runOf: NodeRunLookup, specOf: SpecLookup | undefined): Promise<void> {
  const env = readEnv();
  const target = resolveConnections(env);
  // Stored connections need it; a worker without it would fail their steps one by one instead.
  const secretKey = readSecretKey(env);
  const taskQueue = env.PIPEWRIGHT_TASK_QUEUE ?? PIPELINE_TASK_QUEUE;
  const database = connectDatabase(target.databaseUrl);
  const connection = await NativeConnection.connect({ address: target.temporalAddress }).catch(
    (error: unknown) => {
      throw new ConfigError(`Temporal at ${target.temporalAddress} does not answer: ${messageOf(error)}`);
    },
  );
  // Files a crash left behind that no artifacts row points to; before polling, so none of this
  // worker's own steps is under way. A failed sweep is reported and the worker starts anyway.
  await sweepOrphanArtifacts(path.join(env.DATA_DIR, 'artifacts'), {
    id: () => databaseId(database.db),
    owners: (runIds) => artifactOwners(database.db, runIds),
  }).then(
    ({ removed, skipped }) => {
      if (skipped) console.log(skipped);
      if (removed.length) console.log(`removed ${removed.length} orphaned artifact files and folders`);
    },
    (error: unknown) => console.error(`could not sweep orphaned artifacts: ${messageOf(error)}`),
  );
  const notify = notifySettingsOf(env);
  const worker = await createPipelineWorker({
    connection,
    namespace: target.temporalNamespace,
    sql: database.sql,
    dataDir: env.DATA_DIR,
    taskQueue,
    runOf,
    specOf,
    secretKey: () => secretKey,
    notify,
  });
  // Runs whose workflow closed without recording its end, or that Temporal does not know, are ended.
  const clientConnection = await Connection.connect({ address: target.temporalAddress });
  const temporal = new Client({ connection: clientConnection, namespace: target.temporalNamespace });
  const reconciler = startRunReconciler({ db: database.db, temporal });
  // Webhooks and emails of failed runs, gate blocks and skipped or missed schedule starts.
  // Model alerts' deliveries are Temporal workflows on this task queue, started by the notifier.
  const notifier = startNotifier(
    { db: database.db, sql: database.sql, secretKey: () => secretKey, ...notify, temporal },
    { taskQueue },
  );
  // PostgreSQL is the schedules' record: Temporal is made to match it before the worker polls
  // (schedules a dev server lost are recreated) and every minute after; failures are logged.
  const scheduleReconciler = startScheduleReconciler({ db: database.db, temporal, taskQueue, specOf });
  await scheduleReconciler.first;
  // The daily pass that deletes run files older than the retention setting (off until an admin sets it).
  await ensureRetentionSchedule(temporal, taskQueue).catch((error: unknown) =>
    console.error(`could not set up the retention schedule: ${messageOf(error)}`),
  );
  console.log(
    `worker polling task queue ${taskQueue} on ${target.temporalAddress} (${target.temporalNamespace})`,
  );
  try {
    // Resolves after SIGINT/SIGTERM: the SDK drains in-flight activities first.
    await worker.run();
  } finally {
    await reconciler.stop();
    await scheduleReconciler.stop();
    await notifier.stop();
    await clientConnection.close();
    await connection.close();
    await database.close();
  }
}

/** An error's message: a failed query's parameters never reach the worker's log. */
function messageOf(error: unknown): string {
  return loggableMessage(error);
}

/** Runs the worker until SIGINT/SIGTERM; a configuration problem prints one line and exits 1. */
export function runWorkerProcess(runOf: NodeRunLookup, specOf?: SpecLookup): void {
  serve(runOf, specOf).catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : loggableError(error));
    process.exit(1);
  });
}
