import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Env } from '../config/env';
import { readServicesFile } from '../config/services-file';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { applyMigrations } from '../db/migrations';
import type { NodeRunLookup } from '../nodes/runs';
import { pickPort } from '../runtime/ports';
import { startPostgresProcess } from '../runtime/postgres-process';
import { MISSING_CLI_MESSAGE, resolveTemporalCli } from '../runtime/temporal-cli';
import { startTemporalDevServer } from '../runtime/temporal-server';
import { createPipelineWorker } from '../workflows/create-worker';
import { PIPELINE_TASK_QUEUE } from '../workflows/task-queue';

/** What a command works with: the database, a Temporal client, and whatever it started itself. */
export interface Session {
  /** DATA_DIR of the services: uploads go to DATA_DIR/uploads, where the worker reads them. */
  dataDir: string;
  database: DatabaseHandle;
  temporal: Client;
  taskQueue: string;
  close(): Promise<void>;
}

const projectDir = path.resolve(import.meta.dirname, '..');

/**
 * The services named by the environment, or those of a running `npm start` for the same DATA_DIR.
 * When neither exists and `startIfMissing` is set, the embedded PostgreSQL and Temporal and an
 * in-process worker run for the length of the command, so a CI job needs nothing else.
 */
export async function openSession(
  env: Env,
  options: {
    startIfMissing: boolean;
    log: (line: string) => void;
    /** What the in-process worker runs: production's node types unless a test adds its own. */
    runOf?: NodeRunLookup;
  },
): Promise<Session> {
  const running = readServicesFile(env.DATA_DIR);
  const databaseUrl = env.DATABASE_URL ?? running?.databaseUrl;
  const temporalAddress = env.TEMPORAL_ADDRESS ?? running?.temporalAddress;
  const taskQueue = env.PIPEWRIGHT_TASK_QUEUE ?? PIPELINE_TASK_QUEUE;
  if (databaseUrl && temporalAddress)
    return connect(env.DATA_DIR, databaseUrl, temporalAddress, env.TEMPORAL_NAMESPACE, taskQueue, []);
  if (!options.startIfMissing) {
    throw new CliError(
      'Pipewright is not running: start it with `npm start`, set DATABASE_URL and TEMPORAL_ADDRESS, or add --wait to run with temporary services.',
    );
  }
  return startEmbedded(env, taskQueue, options.log, options.runOf);
}

async function connect(
  dataDir: string,
  databaseUrl: string,
  temporalAddress: string,
  namespace: string,
  taskQueue: string,
  cleanups: Array<() => Promise<void>>,
): Promise<Session> {
  const database = connectDatabase(databaseUrl, { max: 4 });
  const connection = await Connection.connect({ address: temporalAddress, connectTimeout: 5_000 }).catch(
    (error: unknown) => {
      throw new CliError(
        `Temporal at ${temporalAddress} does not answer: ${error instanceof Error ? error.message : String(error)}`,
      );
    },
  );
  return {
    dataDir,
    database,
    temporal: new Client({ connection, namespace }),
    taskQueue,
    async close() {
      await connection.close();
      await database.close();
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

async function startEmbedded(
  env: Env,
  taskQueue: string,
  log: (line: string) => void,
  runOf: NodeRunLookup | undefined,
): Promise<Session> {
  const cleanups: Array<() => Promise<void>> = [];
  const logDir = path.join(env.DATA_DIR, 'logs');
  try {
    log('Starting the embedded PostgreSQL and Temporal for this run…');
    // The in-process worker would otherwise log every state change into the command's output.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const postgres = await startPostgresProcess({
      dataDir: path.join(env.DATA_DIR, 'postgres'),
      port: await pickPort(),
      logFile: path.join(logDir, 'postgres.log'),
    });
    cleanups.push(postgres.stop);
    const migrator = connectDatabase(postgres.url, { max: 1 });
    await applyMigrations(migrator.db).finally(() => migrator.close());
    const cli = await resolveTemporalCli({
      projectDir,
      explicit: env.TEMPORAL_CLI,
      allowBuild: true,
      onBuildStart: () => log('Building the Temporal CLI with Go (once; a few minutes)…'),
    });
    if (!cli) throw new CliError(MISSING_CLI_MESSAGE);
    const temporal = await startTemporalDevServer({
      binary: cli.path,
      port: await pickPort(),
      uiPort: 0,
      headless: true,
      namespace: env.TEMPORAL_NAMESPACE,
      dbFile: path.join(env.DATA_DIR, 'temporal.db'),
      logFile: path.join(logDir, 'temporal.log'),
    });
    cleanups.push(temporal.stop);
    const session = await connect(
      env.DATA_DIR,
      postgres.url,
      temporal.address,
      env.TEMPORAL_NAMESPACE,
      taskQueue,
      cleanups,
    );
    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    const worker = await createPipelineWorker({
      connection: nativeConnection,
      namespace: env.TEMPORAL_NAMESPACE,
      sql: session.database.sql,
      dataDir: env.DATA_DIR,
      taskQueue,
      runOf,
    });
    const running = worker.run();
    return {
      ...session,
      // The worker stops before the database and Temporal it uses.
      async close() {
        worker.shutdown();
        await running;
        await nativeConnection.close();
        await session.close();
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup();
    throw error;
  }
}

/** A problem the user can fix; printed as one line, exit code 2. */
export class CliError extends Error {
  override name = 'CliError';
}
