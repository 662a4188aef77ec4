import { serveUrl } from '../../config/env';
import { readSupervisedComponents } from '../../config/services-file';
import packageJson from '../../package.json';
import { database } from './db';
import { connections, env, taskQueue } from './env';
import { checkHealth, type Health } from './health';
import { temporalClient } from './temporal';

/** The health of this app's own services, as /api/health and the status strip show it. */
export function appHealth(): Promise<Health> {
  const target = connections();
  return checkHealth({
    version: packageJson.version,
    sql: () => database().sql,
    temporal: temporalClient,
    temporalAddress: target.temporalAddress,
    namespace: target.temporalNamespace,
    taskQueue: taskQueue(),
    supervised: () => readSupervisedComponents(env.DATA_DIR),
    serveUrl: serveUrl(env).origin,
  });
}
