import path from 'node:path';
import { inject } from 'vitest';
import { type RunningApp, startProductionApp } from '../../runtime/launcher/web-app';
import { TEST_SECRET_KEY } from './accounts';
import type { Fixture } from './fixture';

const projectDir = path.resolve(import.meta.dirname, '..', '..');

/**
 * The production app talking to the test database, Temporal and worker, with the worker's DATA_DIR
 * for uploads and previews. Its secret key is this test process's (TEST_SECRET_KEY), so sessions made
 * with `accountsAuth` (tests/support/accounts.ts) sign in to it.
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
      PIPEWRIGHT_SECRET_KEY: TEST_SECRET_KEY,
    },
  });
}
