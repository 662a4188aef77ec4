import { spawn } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import { type ChildOutput, outputOf } from './child-output';
import type { setUpDatabaseAndWorker } from './fixture';

// The real command line, with the test-only node types added (production never accepts them).
const cli = path.resolve(import.meta.dirname, 'pipewright-with-test-nodes.mjs');

/**
 * Runs `pipewright` as a user would, against the test database, Temporal and worker (or, with
 * `env`, whatever that environment names), with its own DATA_DIR.
 */
export function runCli(
  fixture: ReturnType<typeof setUpDatabaseAndWorker>,
  dataDir: string,
  args: string[],
  env?: Record<string, string>,
): Promise<ChildOutput> {
  return outputOf(
    spawn(process.execPath, [cli, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: fixture.database.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: inject('temporalNamespace'),
        PIPEWRIGHT_TASK_QUEUE: fixture.worker.taskQueue,
        DATA_DIR: dataDir,
        ...env,
      },
    }),
  );
}
