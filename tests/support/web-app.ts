import path from 'node:path';
import { inject } from 'vitest';
import { type RunningApp, startProductionApp } from '../../runtime/launcher/web-app';
import type { Fixture } from './fixture';
import { testSecretKey } from './secret-key';

const projectDir = path.resolve(import.meta.dirname, '..', '..');

/**
 * The production app talking to the test database, Temporal and worker, with the worker's DATA_DIR
 * for uploads and previews.
 */
export function startWebApp(fixture: Fixture): Promise<RunningApp> {
  return startProductionApp({
    projectDir,
    logFile: path.join(fixture.worker.dataDir, 'logs', 'app.log'),
    env: {
      ...process.env,
      DATABASE_URL: fixture.database.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      PIPEWRIGHT_TASK_QUEUE: fixture.worker.taskQueue,
      DATA_DIR: fixture.worker.dataDir,
      // The test workers' key: the app seals connection passwords that they open.
      PIPEWRIGHT_SECRET_KEY: testSecretKey.toString('base64'),
    },
  });
}
