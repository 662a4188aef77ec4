import packageJson from '../../package.json';
import { PIPELINE_TASK_QUEUE } from '../../workflows/task-queue';
import { database } from './db';
import { connections } from './env';
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
    taskQueue: PIPELINE_TASK_QUEUE,
  });
}
