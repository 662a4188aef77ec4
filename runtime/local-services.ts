/**
 * The one way Pipewright starts its local services: the embedded PostgreSQL (with the schema
 * migrated) and the Temporal dev server. The launcher calls the parts one by one (it reports and
 * supervises each); the CLI, the test run and the benchmarks call startLocalServices.
 */
import path from 'node:path';
import { envSchema } from '../config/env';
import { ensureSecretKey } from '../config/secret-key';
import { connectDatabase } from '../db/client';
import { applyMigrations, type MigrationLevel, readMigrationLevel } from '../db/migrations';
import { pickPort } from './ports';
import { type PostgresProcess, startPostgresProcess } from './postgres-process';
import type { GroupChild } from './process-group';
import { MissingTemporalCliError, type ResolvedTemporalCli, resolveTemporalCli } from './temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-server';

export const projectDir = path.resolve(import.meta.dirname, '..');

/** Where a DATA_DIR keeps the state of its embedded services. */
export function localServicePaths(dataDir: string) {
  return {
    postgresDir: path.join(dataDir, 'postgres'),
    /** The embedded PostgreSQL's generated password, mode 0600. */
    postgresPasswordFile: path.join(dataDir, 'postgres.password'),
    /** Workflow history of the dev server, kept across restarts. */
    temporalDbFile: path.join(dataDir, 'temporal.db'),
    logDir: path.join(dataDir, 'logs'),
  };
}

/** The embedded PostgreSQL for a DATA_DIR, on the preferred port when it is free. */
export async function startLocalPostgres(options: {
  dataDir: string;
  logDir: string;
  preferredPort?: number;
  onSpawn?: (child: GroupChild) => void;
}): Promise<PostgresProcess> {
  const paths = localServicePaths(options.dataDir);
  return startPostgresProcess({
    dataDir: paths.postgresDir,
    passwordFile: paths.postgresPasswordFile,
    port: await pickPort(options.preferredPort),
    logFile: path.join(options.logDir, 'postgres.log'),
    onSpawn: options.onSpawn,
  });
}

/** Applies pending migrations and says where the schema stands. */
export async function migrateDatabase(databaseUrl: string): Promise<MigrationLevel> {
  const database = connectDatabase(databaseUrl, { max: 1 });
  try {
    await applyMigrations(database.db);
    return await readMigrationLevel(database.sql);
  } finally {
    await database.close();
  }
}

/** The Temporal CLI in the documented order (TEMPORAL_CLI, PATH, .tools/bin, a Go build). */
export function findTemporalCli(options: {
  explicit?: string;
  onBuildStart?: () => void;
}): Promise<ResolvedTemporalCli | undefined> {
  return resolveTemporalCli({ projectDir, allowBuild: true, ...options });
}

export interface LocalTemporalOptions {
  binary: string;
  namespace: string;
  logDir: string;
  port: number;
  /** Keep workflow history in this SQLite file; omit for an in-memory server (tests). */
  dbFile?: string;
  /** The web UI's port; omit for a headless server. */
  uiPort?: number;
  /** Told the process as soon as it exists, before it is ready. */
  onSpawn?: (child: GroupChild) => void;
}

/** The dev server on loopback; the launcher calls this again with the same ports to restart it. */
export function startLocalTemporal(options: LocalTemporalOptions): Promise<TemporalDevServer> {
  return startTemporalDevServer({
    binary: options.binary,
    port: options.port,
    uiPort: options.uiPort ?? 0,
    headless: options.uiPort === undefined,
    namespace: options.namespace,
    dbFile: options.dbFile,
    logFile: path.join(options.logDir, 'temporal.log'),
    onSpawn: options.onSpawn,
  });
}

export interface LocalServices {
  databaseUrl: string;
  temporalAddress: string;
  /** Stops Temporal, then PostgreSQL. */
  stop(): Promise<void>;
}

/**
 * PostgreSQL (migrated) and a headless Temporal dev server for the length of a command, a test run
 * or a benchmark. `keepHistory` stores workflow history in DATA_DIR (the CLI); tests keep it in memory.
 */
export async function startLocalServices(options: {
  dataDir: string;
  namespace: string;
  temporalCli?: string;
  keepHistory: boolean;
  log?: (line: string) => void;
}): Promise<LocalServices> {
  const paths = localServicePaths(options.dataDir);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    // The CLI's in-process worker opens stored connections with it, like `npm start`'s worker.
    const key = ensureSecretKey({
      PIPEWRIGHT_SECRET_KEY: envSchema.shape.PIPEWRIGHT_SECRET_KEY.parse(process.env.PIPEWRIGHT_SECRET_KEY),
      DATA_DIR: options.dataDir,
    });
    if (key.createdFile)
      options.log?.(
        `Generated ${key.createdFile}: back it up with the database (stored connection passwords need it).`,
      );
    const postgres = await startLocalPostgres({ dataDir: options.dataDir, logDir: paths.logDir });
    stops.push(postgres.stop);
    await migrateDatabase(postgres.url);
    const cli = await findTemporalCli({
      explicit: options.temporalCli,
      onBuildStart: () => options.log?.('Building the Temporal CLI with Go (once; a few minutes)…'),
    });
    if (!cli) throw new MissingTemporalCliError();
    const temporal = await startLocalTemporal({
      binary: cli.path,
      namespace: options.namespace,
      logDir: paths.logDir,
      port: await pickPort(),
      dbFile: options.keepHistory ? paths.temporalDbFile : undefined,
    });
    stops.push(temporal.stop);
    return { databaseUrl: postgres.url, temporalAddress: temporal.address, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
