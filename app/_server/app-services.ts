import { secretKeyReader } from '../../config/secret-key';
import { appAuth } from './auth/app-auth';
import { database } from './db';
import { env, taskQueue } from './env';
import { RunChangeFeed } from './run-changes';
import type { Services } from './services';
import { temporalClient } from './temporal';

declare global {
  var pipewrightRunChanges: RunChangeFeed | undefined;
}

/** The installation's secret key, read once per process (stored connections open with it on every use). */
const secretKey = secretKeyReader(env);

/** The services of this server process: its database pool, Temporal client and change feed. */
export function appServices(): Services {
  const { db, sql } = database();
  globalThis.pipewrightRunChanges ??= new RunChangeFeed(sql);
  return {
    db,
    sql,
    auth: appAuth,
    secretKey,
    temporal: temporalClient,
    taskQueue: taskQueue(),
    changes: globalThis.pipewrightRunChanges,
    dataDir: env.DATA_DIR,
  };
}
