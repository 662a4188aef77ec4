/**
 * `npm run serve`: the prediction server, a process of its own (stateless: any number of them can
 * run against one database). It finds PostgreSQL as the worker does (DATABASE_URL, or the services
 * of a running `npm start`), reads the installation's secret key (for the app's internal
 * credentials), and listens on HOST:SERVE_PORT. SIGTERM/SIGINT: stop taking connections, let the
 * requests under way finish, write the prediction log out, exit.
 */
import type { Server } from 'node:http';
import postgres from 'postgres';
import { ConfigError, type Env, readEnv, serveUrl } from '../config/env';
import { readSecretKey } from '../config/secret-key';
import { readServicesFile } from '../config/services-file';
import { loggableError } from '../db/queries/loggable-error';
import type { PredictionRecorder } from './contracts';
import { createFeedbackStore } from './feedback-store';
import { createKeyCache } from './key-cache';
import { createServingMetrics } from './metrics';
import { ModelCache } from './model-cache';
import { createPredictionLog } from './prediction-log';
import { createServingServer } from './server';
import { ShadowScorer } from './shadow-scorer';

/** How long a stop waits for requests under way before closing their connections. */
const STOP_GRACE_MS = 10_000;

function databaseUrl(env: Env): string {
  const url = env.DATABASE_URL ?? readServicesFile(env.DATA_DIR)?.databaseUrl;
  if (!url)
    throw new ConfigError(
      `No database configured: set DATABASE_URL, or run \`npm start\` (DATA_DIR ${env.DATA_DIR}).`,
    );
  return url;
}

/** PIPEWRIGHT_PREDICTION_LOG=off (benchmarks of the log's cost): predictions are not recorded. */
const noLog: PredictionRecorder = {
  enabled: false,
  record: () => {},
  depth: () => 0,
  dropped: () => 0,
  close: async () => {},
};

async function serve(): Promise<void> {
  const env = readEnv();
  const secret = readSecretKey(env);
  const sql = postgres(databaseUrl(env), { max: 4, connect_timeout: 10, onnotice: () => {} });
  const report = (line: string) => console.error(line);
  const keys = createKeyCache({ sql, secret, report });
  const log =
    env.PIPEWRIGHT_PREDICTION_LOG === 'off'
      ? noLog
      : createPredictionLog({ sql, retentionDays: env.PIPEWRIGHT_PREDICTION_LOG_DAYS, report });
  const models = new ModelCache({ sql, log: (line) => console.log(line) });
  const shadow = new ShadowScorer({
    resolve: (name, selector) => models.resolve(name, selector),
    log,
    report,
  });
  const metrics = createServingMetrics({ recorder: log, shadow });
  await Promise.all([models.start(), keys.ready()]);
  const server = createServingServer({
    keys,
    log,
    feedback: createFeedbackStore(sql),
    metrics,
    models,
    shadow,
    report,
    serverUrl: serveUrl(env).origin,
  });
  await listen(server, env.HOST, env.SERVE_PORT);
  console.log(`serving on http://${urlHost(env.HOST)}:${env.SERVE_PORT}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing the requests under way`);
    const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
    // Keep-alive connections close as soon as their request is answered: idle ones would hold
    // close() open until their clients leave.
    server.on('request', (_request, response) => response.setHeader('connection', 'close'));
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearTimeout(force);
    clearInterval(idle);
    // Staging's copies of answered requests are scored and logged before the log's last write.
    await Promise.race([shadow.idle(), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
    await log.close();
    await keys.close();
    await models.close();
    await sql.end({ timeout: 5 });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError(
              `SERVE_PORT ${port} is in use on ${host}: stop what listens there or set SERVE_PORT`,
            )
          : error.code === 'EADDRNOTAVAIL'
            ? new ConfigError(`HOST ${host} is not an address of this machine`)
            : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

serve().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : loggableError(error));
  process.exit(1);
});
