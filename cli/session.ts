import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Env } from '../config/env';
import { readServicesFile } from '../config/services-file';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import type { NodeRunLookup } from '../nodes/runs';
import { startInProcessWorker } from '../runtime/in-process-worker';
import { startLocalServices } from '../runtime/local-services';
import { MissingTemporalCliError } from '../runtime/temporal-cli';
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

/**
 * Only the database, for commands that manage accounts: DATABASE_URL, or the PostgreSQL of a running
 * `npm start` for the same DATA_DIR. Temporal is not needed, so it is not contacted.
 */
export function openDatabase(env: Env): DatabaseHandle {
  const databaseUrl = env.DATABASE_URL ?? readServicesFile(env.DATA_DIR)?.databaseUrl;
  if (!databaseUrl) {
    throw new CliError('Pipewright is not running: start it with `npm start`, or set DATABASE_URL.');
  }
  return connectDatabase(databaseUrl, { max: 2 });
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
  log('Starting the embedded PostgreSQL and Temporal for this run…');
  // The in-process worker would otherwise log every state change into the command's output.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const services = await startLocalServices({
    dataDir: env.DATA_DIR,
    namespace: env.TEMPORAL_NAMESPACE,
    temporalCli: env.TEMPORAL_CLI,
    keepHistory: true,
    log,
  }).catch((error: unknown) => {
    throw error instanceof MissingTemporalCliError ? new CliError(error.message) : error;
  });
  let session: Session | undefined;
  try {
    session = await connect(
      env.DATA_DIR,
      services.databaseUrl,
      services.temporalAddress,
      env.TEMPORAL_NAMESPACE,
      taskQueue,
      [services.stop],
    );
    const opened = session;
    const worker = await startInProcessWorker({
      temporalAddress: services.temporalAddress,
      namespace: env.TEMPORAL_NAMESPACE,
      sql: opened.database.sql,
      dataDir: env.DATA_DIR,
      taskQueue,
      runOf,
    });
    return {
      ...opened,
      // The worker stops before the database and Temporal it uses.
      async close() {
        await worker.stop();
        await opened.close();
      },
    };
  } catch (error) {
    await (session ? session.close() : services.stop());
    throw error;
  }
}

/** A problem the user can fix; printed as one line, exit code 2. */
export class CliError extends Error {
  override name = 'CliError';
}
