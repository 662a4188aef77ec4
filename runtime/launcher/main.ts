/**
 * `npm start` / `npm run dev`: brings up PostgreSQL, the schema, Temporal, a worker, the prediction
 * server and the web app in order, prints one line per component and a summary, keeps them running
 * (a crashed worker, serving process, app or Temporal server is restarted, see ../supervisor/) and
 * stops them all on Ctrl-C or SIGTERM.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ConfigError, type Env, publicUrl, readEnv, serveUrl } from '../../config/env';
import { ensureSecretKey } from '../../config/secret-key';
import {
  readServicesFile,
  removeServicesFile,
  type ServicesFile,
  writeServicesFile,
} from '../../config/services-file';
import { PIPELINE_TASK_QUEUE } from '../../workflows/task-queue';
import {
  findTemporalCli,
  localServicePaths,
  migrateDatabase,
  startLocalPostgres,
  startLocalTemporal,
} from '../local-services';
import { isPortFree, pickPort } from '../ports';
import { checkDatabaseReachable, describeDatabaseUrl } from '../postgres';
import { isGroupAlive, isProcessAlive, stopGroup } from '../process-group';
import { Supervisor } from '../supervisor/supervisor';
import { MISSING_CLI_MESSAGE } from '../temporal-cli';
import { startDownloadedTemporal } from '../temporal-download';
import { waitForNamespace } from '../temporal-server';
import { releaseHeldBuildLock, withBuildLock } from './build-lock';
import { appComponent, type Mode, probeHost, servingComponent, workerComponent } from './components';
import { waitForHealthy } from './health-wait';
import { bold, dim, done, fail, formatSeconds, notice, step, warn } from './report';
import { setupLinkIfNoUsers } from './setup-link';
import { buildWebApp, needsBuild } from './web-app';

const projectDir = path.resolve(import.meta.dirname, '..', '..');

interface Running {
  env: Env;
  logDir: string;
  supervisor: Supervisor;
  /** Services that live in this process (the downloaded Temporal), stopped after the children. */
  stops: Array<() => Promise<void>>;
  /** Closed before the components stop. */
  connections: Array<() => Promise<void>>;
  services: ServicesFile;
  /** Set once a stop has begun; every later caller waits for that same stop. */
  stopping?: Promise<void>;
}

/** Names for the console, where the supervisor's short names would read oddly. */
const LABELS: Record<string, string> = {
  postgres: 'PostgreSQL',
  temporal: 'Temporal',
  worker: 'Worker',
  serving: 'Serving',
  app: 'App',
};

async function main(mode: Mode): Promise<void> {
  const startedAt = Date.now();
  const env = readEnv();
  const logDir = localServicePaths(env.DATA_DIR).logDir;
  mkdirSync(logDir, { recursive: true });
  const state: Running = {
    env,
    logDir,
    supervisor: new Supervisor({
      onChange: () => recordComponents(state),
      onNotice: (name, message) => notice(label(name), message),
      onGiveUp: (name, reason) => giveUp(state, name, reason),
    }),
    stops: [],
    connections: [],
    services: { launcherPid: process.pid, processGroups: [] },
  };
  await takeOverDataDir(env.DATA_DIR);
  const secretKey = ensureSecretKey(env);
  if (secretKey.createdFile) {
    warn(
      'Secret key',
      `generated ${displayPath(secretKey.createdFile)}: back it up with the database. Without it, stored connection passwords cannot be read and everyone must sign in again.`,
    );
  }
  activeState = state;
  writeServicesFile(env.DATA_DIR, state.services);
  installSignalHandlers(state);

  if (!(await isPortFree(env.PORT, env.HOST))) {
    throw new ConfigError(
      `Port ${env.PORT} is already in use on ${env.HOST}: stop the program using it or choose another, e.g. PORT=${env.PORT + 1} npm start`,
    );
  }
  if (!(await isPortFree(env.SERVE_PORT, env.HOST))) {
    throw new ConfigError(
      `Port ${env.SERVE_PORT} (SERVE_PORT, the prediction server) is already in use on ${env.HOST}: stop the program using it or choose another, e.g. SERVE_PORT=${env.SERVE_PORT + 1} npm start`,
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
    HOST: env.HOST,
    // Clients, snippets and the app's forwarding use it; printed below.
    PIPEWRIGHT_SERVE_URL: serveUrl(env).origin,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const workerStartedAt = Date.now();
  step('Worker', 'starting');
  const temporalConnection = await Connection.connect({ address: temporal.address });
  state.connections.push(() => temporalConnection.close());
  await state.supervisor.add(
    workerComponent({
      env: childEnv,
      logDir,
      temporal: temporalConnection,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.PIPEWRIGHT_TASK_QUEUE ?? PIPELINE_TASK_QUEUE,
    }),
  );
  done('Worker', 'polling for work', workerStartedAt);

  const servingStartedAt = Date.now();
  step('Serving', 'starting');
  await state.supervisor.add(
    servingComponent({
      env: childEnv,
      logDir,
      probeUrl: `http://${probeHost(env.HOST)}:${env.SERVE_PORT}`,
    }),
  );
  done(
    'Serving',
    `predictions at ${serveUrl(env).origin} (listening on ${env.HOST}:${env.SERVE_PORT})`,
    servingStartedAt,
  );

  const appStartedAt = Date.now();
  const probeUrl = `http://${probeHost(env.HOST)}:${env.PORT}`;
  await startWebApp(state, mode, childEnv, probeUrl);
  const appUrl = publicUrl(env).origin;
  record(state, { appUrl });
  await waitForHealthy(`${probeUrl}/api/health`, mode === 'dev' ? 180_000 : 90_000);
  done(
    'App',
    `${mode === 'dev' ? 'development server' : 'production build'} at ${appUrl} (listening on ${env.HOST}:${env.PORT})`,
    appStartedAt,
  );

  console.log(
    `\n${bold('Pipewright is running')} ${dim(`(ready in ${formatSeconds(Date.now() - startedAt)})`)}`,
  );
  console.log(`  App          ${appUrl}`);
  console.log(`  Serving      ${serveUrl(env).origin}`);
  if (temporal.uiUrl) console.log(`  Temporal UI  ${temporal.uiUrl}`);
  console.log(`  Health       ${appUrl}/api/health`);
  console.log(`  Logs         ${displayPath(logDir)}/`);
  const setupLink = await setupLinkIfNoUsers(databaseUrl, publicUrl(env));
  if (setupLink) {
    console.log(`\n${bold('No account yet.')} Open this link within an hour to create the first admin:`);
    console.log(`  ${setupLink}`);
    console.log(dim('(Each start prints a new link while nobody has an account; older links stop working.)'));
  }
  console.log(
    dim('\nA crashed worker, serving process, app or Temporal server is restarted. Press Ctrl-C to stop.'),
  );
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
  const { postgresDir } = localServicePaths(state.env.DATA_DIR);
  step('PostgreSQL', `starting embedded server (data in ${displayPath(postgresDir)})`);
  let url = '';
  let created = false;
  await state.supervisor.add({
    name: 'postgres',
    logFile: path.join(state.logDir, 'postgres.log'),
    // Every other part needs the database: see giveUp for why a crash stops everything instead.
    restartOnCrash: false,
    // PostgreSQL's fast shutdown can take a few seconds when clients are still connected.
    stopGraceMs: 20_000,
    start: async (onSpawn) => {
      const server = await startLocalPostgres({
        dataDir: state.env.DATA_DIR,
        logDir: state.logDir,
        preferredPort: 54329,
        onSpawn,
      });
      url = server.url;
      created = server.created;
      return server.child;
    },
  });
  const port = new URL(url).port;
  done('PostgreSQL', `embedded at 127.0.0.1:${port}${created ? ', new cluster created' : ''}`, startedAt);
  return url;
}

async function migrate(databaseUrl: string): Promise<void> {
  const startedAt = Date.now();
  try {
    const level = await migrateDatabase(databaseUrl);
    done(
      'Migrations',
      `schema at ${level.latestTag} (${level.applied} of ${level.latest} applied)`,
      startedAt,
    );
  } catch (error) {
    throw new ConfigError(
      `Database migration failed: ${messageOf(error)}. Nothing was changed by the failed step.`,
    );
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
  const cli = await findTemporalCli({
    explicit: env.TEMPORAL_CLI,
    onBuildStart: () =>
      step('Temporal', 'building the Temporal CLI with Go (first start only; takes a few minutes)'),
  }).catch((error: unknown) => {
    throw new ConfigError(`${messageOf(error)}\n${MISSING_CLI_MESSAGE}`);
  });
  // Chosen once: a restarted server must be found where the worker and the app already look.
  const port = await pickPort(7233);
  const uiPort = await pickPort(8233);
  const { temporalDbFile } = localServicePaths(env.DATA_DIR);
  if (!cli) {
    step('Temporal', 'no Temporal CLI and no Go: downloading the dev server (needs internet)');
    const downloaded = await startDownloadedTemporal({
      port,
      uiPort,
      namespace: env.TEMPORAL_NAMESPACE,
      dbFile: temporalDbFile,
    }).catch((error: unknown) => {
      throw new ConfigError(`${MISSING_CLI_MESSAGE} (The download failed: ${firstLine(messageOf(error))})`);
    });
    state.stops.push(downloaded.stop);
    done(
      'Temporal',
      `downloaded dev server at ${downloaded.address}, namespace ${env.TEMPORAL_NAMESPACE} (not supervised: it runs inside the launcher)`,
      startedAt,
    );
    return { address: downloaded.address, uiUrl: downloaded.uiUrl };
  }
  step('Temporal', `starting dev server (${cli.source}: ${cli.path})`);
  let uiUrl: string | undefined;
  await state.supervisor.add({
    name: 'temporal',
    logFile: path.join(state.logDir, 'temporal.log'),
    restartOnCrash: true,
    start: async (onSpawn) => {
      const server = await startLocalTemporal({
        binary: cli.path,
        namespace: env.TEMPORAL_NAMESPACE,
        logDir: state.logDir,
        port,
        uiPort,
        dbFile: temporalDbFile,
        onSpawn,
      });
      uiUrl = server.uiUrl;
      return server.child;
    },
  });
  const address = `127.0.0.1:${port}`;
  done('Temporal', `dev server at ${address}, namespace ${env.TEMPORAL_NAMESPACE}`, startedAt);
  return { address, uiUrl };
}

async function startWebApp(
  state: Running,
  mode: Mode,
  env: NodeJS.ProcessEnv,
  probeUrl: string,
): Promise<void> {
  if (mode === 'start') {
    await withBuildLock(
      projectDir,
      async () => {
        if (!needsBuild(projectDir)) return;
        const startedAt = Date.now();
        step('App', 'building the web app (first start, or sources changed; about a minute)');
        await buildWebApp(projectDir);
        done('App', 'production build ready', startedAt);
      },
      { onWait: (line) => step('App', line) },
    );
  }
  step('App', mode === 'dev' ? 'starting the development server' : 'starting');
  await state.supervisor.add(
    appComponent({ mode, env, logDir: state.logDir, host: state.env.HOST, port: state.env.PORT, probeUrl }),
  );
}

/**
 * One line saying why, then everything stops. PostgreSQL is never restarted: it already restarts its
 * own crashed backends, so the server process itself dying points at something a restart would hide
 * (a full disk, a damaged data folder, another server on it); and every component needs it.
 */
function giveUp(state: Running, name: string, reason: string): void {
  if (state.stopping) return;
  const log = displayPath(path.join(state.logDir, `${name}.log`));
  const consequence =
    name === 'postgres'
      ? 'stopping Pipewright, since every part needs the database. `npm start` again recovers it, and runs in progress carry on'
      : 'stopping Pipewright';
  fail(label(name), `${reason}; ${consequence}. See ${log}`);
  void shutdown(state, 1);
}

function recordComponents(state: Running): void {
  const processGroups = state.supervisor.children().map((child) => ({ name: child.name, pgid: child.pgid }));
  record(state, { components: state.supervisor.states(), processGroups });
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

/**
 * Stops children in reverse order: the app and worker before Temporal and the database. A second
 * call (a start that fails because the stop ended its process) waits for the first instead of exiting
 * while the rest still runs.
 */
function shutdown(state: Running, code: number): Promise<void> {
  state.stopping ??= stopEverything(state, code);
  return state.stopping;
}

async function stopEverything(state: Running, code: number): Promise<void> {
  for (const close of state.connections) await close().catch(() => {});
  await state.supervisor.stopAll((name) =>
    console.log(`${dim('■')} ${label(name).padEnd(11)} ${dim('stopped')}`),
  );
  for (const stop of state.stops) await stop().catch(() => {});
  // Ctrl-C during `next build` exits before withBuildLock lets go; a lock left here would make the
  // next start wait for a build that no longer runs.
  releaseHeldBuildLock();
  removeServicesFile(state.env.DATA_DIR);
  process.exit(code);
}

function label(name: string): string {
  return LABELS[name] ?? name;
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
  // A start cut short by Ctrl-C fails too; that is the stop under way, not an error to report.
  if (activeState?.stopping) await activeState.stopping;
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
