/**
 * `npm start` / `npm run dev`: brings up PostgreSQL, the schema, Temporal, a worker and the web app
 * in order, prints one line per component and a summary, and stops them all on Ctrl-C or SIGTERM.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Env, readEnv } from '../../config/env';
import {
  readServicesFile,
  removeServicesFile,
  type ServicesFile,
  writeServicesFile,
} from '../../config/services-file';
import { connectDatabase } from '../../db/client';
import { applyMigrations, readMigrationLevel } from '../../db/migrations';
import { isPortFree, pickPort } from '../ports';
import { checkDatabaseReachable, describeDatabaseUrl } from '../postgres';
import { startPostgresProcess } from '../postgres-process';
import { type GroupChild, isGroupAlive, isProcessAlive, spawnGroup, stopGroup } from '../process-group';
import { MISSING_CLI_MESSAGE, resolveTemporalCli } from '../temporal-cli';
import { startDownloadedTemporal } from '../temporal-download';
import { startTemporalDevServer, waitForNamespace } from '../temporal-server';
import { waitForHealthy } from './health-wait';
import { bold, dim, done, fail, formatSeconds, step } from './report';
import { buildWebApp, needsBuild, nextBin } from './web-app';

type Mode = 'start' | 'dev';

const projectDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

interface Running {
  env: Env;
  logDir: string;
  /** Stopped in reverse order of start. */
  children: GroupChild[];
  /** Services that live in this process (the downloaded Temporal), stopped after the children. */
  stops: Array<() => Promise<void>>;
  services: ServicesFile;
  stopping: boolean;
}

async function main(mode: Mode): Promise<void> {
  const startedAt = Date.now();
  const env = readEnv();
  const logDir = path.join(env.DATA_DIR, 'logs');
  mkdirSync(logDir, { recursive: true });
  const state: Running = {
    env,
    logDir,
    children: [],
    stops: [],
    services: { launcherPid: process.pid, processGroups: [] },
    stopping: false,
  };
  await takeOverDataDir(env.DATA_DIR);
  activeState = state;
  writeServicesFile(env.DATA_DIR, state.services);
  installSignalHandlers(state);

  if (!(await isPortFree(env.PORT))) {
    throw new ConfigError(
      `Port ${env.PORT} is already in use: stop the program using it or choose another, e.g. PORT=${env.PORT + 1} npm start`,
    );
  }
  const databaseUrl = await startDatabase(state);
  await migrate(databaseUrl);
  const temporal = await startTemporal(state);
  record(state, {
    databaseUrl,
    temporalAddress: temporal.address,
    temporalNamespace: env.TEMPORAL_NAMESPACE,
    temporalUiUrl: temporal.uiUrl,
  });

  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    DATA_DIR: env.DATA_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const workerStartedAt = Date.now();
  step('Worker', 'starting');
  adopt(
    state,
    spawnGroup({
      name: 'worker',
      command: process.execPath,
      args: ['--import', 'tsx', path.join(projectDir, 'workflows', 'worker.ts')],
      env: childEnv,
      cwd: projectDir,
      logFile: path.join(logDir, 'worker.log'),
    }),
  );
  const appStartedAt = Date.now();
  await startWebApp(state, mode, childEnv);

  const appUrl = `http://localhost:${env.PORT}`;
  record(state, { appUrl });
  const health = await waitForHealthy(
    `http://127.0.0.1:${env.PORT}/api/health`,
    mode === 'dev' ? 180_000 : 90_000,
  );
  done('Worker', health.worker.detail, workerStartedAt);
  done('App', `${mode === 'dev' ? 'development server' : 'production build'} at ${appUrl}`, appStartedAt);

  console.log(
    `\n${bold('Pipewright is running')} ${dim(`(ready in ${formatSeconds(Date.now() - startedAt)})`)}`,
  );
  console.log(`  App          ${appUrl}`);
  if (temporal.uiUrl) console.log(`  Temporal UI  ${temporal.uiUrl}`);
  console.log(`  Health       ${appUrl}/api/health`);
  console.log(`  Logs         ${displayPath(logDir)}/`);
  console.log(dim('\nPress Ctrl-C to stop.'));
}

/** Refuses to share a data directory with a live launcher; cleans up after one that was killed. */
async function takeOverDataDir(dataDir: string): Promise<void> {
  const previous = readServicesFile(dataDir);
  if (!previous) return;
  if (previous.launcherPid !== process.pid && isProcessAlive(previous.launcherPid)) {
    throw new ConfigError(
      `Pipewright is already running for ${dataDir} (launcher pid ${previous.launcherPid}). Stop it first, or start a second one with another DATA_DIR.`,
    );
  }
  const leftovers = previous.processGroups.filter((group) => isGroupAlive(group.pgid));
  if (leftovers.length > 0) {
    step(
      'Recovery',
      `stopping ${leftovers.map((group) => group.name).join(', ')} left by a run that did not stop cleanly`,
    );
    await Promise.all(leftovers.map((group) => stopGroup(group.pgid, 10_000)));
  }
  removeServicesFile(dataDir);
}

async function startDatabase(state: Running): Promise<string> {
  const startedAt = Date.now();
  if (state.env.DATABASE_URL) {
    step('PostgreSQL', `connecting to ${describeDatabaseUrl(state.env.DATABASE_URL)} (DATABASE_URL)`);
    const version = await checkDatabaseReachable(state.env.DATABASE_URL).catch((error: unknown) => {
      throw new ConfigError(
        `${messageOf(error)}. Check DATABASE_URL, or unset it to use the embedded PostgreSQL.`,
      );
    });
    done('PostgreSQL', `PostgreSQL ${version} at ${describeDatabaseUrl(state.env.DATABASE_URL)}`, startedAt);
    return state.env.DATABASE_URL;
  }
  const dataDir = path.join(state.env.DATA_DIR, 'postgres');
  step('PostgreSQL', `starting embedded server (data in ${displayPath(dataDir)})`);
  const port = await pickPort(54329);
  const server = await startPostgresProcess({
    dataDir,
    port,
    logFile: path.join(state.logDir, 'postgres.log'),
  });
  adopt(state, server.child);
  done(
    'PostgreSQL',
    `embedded at 127.0.0.1:${port}${server.created ? ', new cluster created' : ''}`,
    startedAt,
  );
  return server.url;
}

async function migrate(databaseUrl: string): Promise<void> {
  const startedAt = Date.now();
  const database = connectDatabase(databaseUrl, { max: 1 });
  try {
    await applyMigrations(database.db);
    const level = await readMigrationLevel(database.sql);
    done(
      'Migrations',
      `schema at ${level.latestTag} (${level.applied} of ${level.latest} applied)`,
      startedAt,
    );
  } catch (error) {
    throw new ConfigError(
      `Database migration failed: ${messageOf(error)}. Nothing was changed by the failed step.`,
    );
  } finally {
    await database.close();
  }
}

async function startTemporal(state: Running): Promise<{ address: string; uiUrl?: string }> {
  const startedAt = Date.now();
  const { env } = state;
  if (env.TEMPORAL_ADDRESS) {
    step('Temporal', `connecting to ${env.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS)`);
    await waitForNamespace(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE, 10_000).catch((error: unknown) => {
      throw new ConfigError(
        `${messageOf(error)}. Check TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE, or unset TEMPORAL_ADDRESS to use the embedded dev server.`,
      );
    });
    done('Temporal', `namespace ${env.TEMPORAL_NAMESPACE} at ${env.TEMPORAL_ADDRESS}`, startedAt);
    return { address: env.TEMPORAL_ADDRESS };
  }
  const cli = await resolveTemporalCli({
    projectDir,
    explicit: env.TEMPORAL_CLI,
    allowBuild: true,
    onBuildStart: () =>
      step('Temporal', 'building the Temporal CLI with Go (first start only; takes a few minutes)'),
  }).catch((error: unknown) => {
    throw new ConfigError(`${messageOf(error)}\n${MISSING_CLI_MESSAGE}`);
  });
  const port = await pickPort(7233);
  const uiPort = await pickPort(8233);
  const dbFile = path.join(env.DATA_DIR, 'temporal.db');
  if (!cli) {
    step('Temporal', 'no Temporal CLI and no Go: downloading the dev server (needs internet)');
    const downloaded = await startDownloadedTemporal({
      port,
      uiPort,
      namespace: env.TEMPORAL_NAMESPACE,
      dbFile,
    }).catch((error: unknown) => {
      throw new ConfigError(`${MISSING_CLI_MESSAGE} (The download failed: ${firstLine(messageOf(error))})`);
    });
    state.stops.push(downloaded.stop);
    done(
      'Temporal',
      `downloaded dev server at ${downloaded.address}, namespace ${env.TEMPORAL_NAMESPACE}`,
      startedAt,
    );
    return { address: downloaded.address, uiUrl: downloaded.uiUrl };
  }
  step('Temporal', `starting dev server (${cli.source}: ${cli.path})`);
  const server = await startTemporalDevServer({
    binary: cli.path,
    port,
    uiPort,
    namespace: env.TEMPORAL_NAMESPACE,
    dbFile,
    logFile: path.join(state.logDir, 'temporal.log'),
  });
  adopt(state, server.child);
  done('Temporal', `dev server at ${server.address}, namespace ${env.TEMPORAL_NAMESPACE}`, startedAt);
  return { address: server.address, uiUrl: server.uiUrl };
}

async function startWebApp(state: Running, mode: Mode, env: NodeJS.ProcessEnv): Promise<void> {
  const port = String(state.env.PORT);
  if (mode === 'start' && needsBuild(projectDir)) {
    const startedAt = Date.now();
    step('App', 'building the web app (first start, or sources changed; about a minute)');
    await buildWebApp(projectDir);
    done('App', 'production build ready', startedAt);
  }
  step('App', mode === 'dev' ? 'starting the development server' : 'starting');
  const args = mode === 'dev' ? [nextBin, 'dev', '-p', port] : [nextBin, 'start', '-p', port];
  adopt(
    state,
    spawnGroup({
      name: 'app',
      command: process.execPath,
      args,
      env,
      cwd: projectDir,
      logFile: path.join(state.logDir, 'app.log'),
    }),
  );
}

/** Tracks a child: recorded for crash recovery, and its unexpected exit stops everything. */
function adopt(state: Running, child: GroupChild): void {
  state.children.push(child);
  record(state, { processGroups: [...state.services.processGroups, { name: child.name, pgid: child.pgid }] });
  child.exited.then((code) => {
    if (state.stopping) return;
    fail(child.name, `stopped unexpectedly (exit code ${code}); see ${child.logFile}`);
    void shutdown(state, 1);
  });
}

function record(state: Running, change: Partial<ServicesFile>): void {
  state.services = { ...state.services, ...change };
  writeServicesFile(state.env.DATA_DIR, state.services);
}

function installSignalHandlers(state: Running): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (state.stopping) return;
      console.log(`\n${dim(`Stopping (${signal})…`)}`);
      void shutdown(state, 0);
    });
  }
}

let activeState: Running | undefined;

/** Stops children in reverse order: the app and worker before Temporal and the database. */
async function shutdown(state: Running, code: number): Promise<void> {
  state.stopping = true;
  for (const child of [...state.children].reverse()) {
    await stopGroup(child.pgid, child.name === 'postgres' ? 20_000 : 10_000);
    console.log(`${dim('■')} ${child.name.padEnd(11)} ${dim('stopped')}`);
  }
  for (const stop of state.stops) await stop().catch(() => {});
  removeServicesFile(state.env.DATA_DIR);
  process.exit(code);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** Relative to the working directory when inside it, absolute otherwise. */
function displayPath(target: string): string {
  const relative = path.relative(process.cwd(), target);
  return relative && !relative.startsWith('..') ? relative : target;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const mode: Mode = process.argv[2] === 'dev' ? 'dev' : 'start';
main(mode).catch(async (error: unknown) => {
  // One actionable line for the user; the stack goes to the log for whoever debugs the launcher.
  fail('Error', messageOf(error));
  if (!(error instanceof ConfigError) && activeState) {
    appendFileSync(
      path.join(activeState.logDir, 'launcher.log'),
      `${new Date().toISOString()} ${String(error instanceof Error ? error.stack : error)}\n`,
    );
  }
  if (activeState) await shutdown(activeState, 1);
  process.exit(1);
});
