import path from 'node:path';
import { inject } from 'vitest';
import { buildWebApp, needsBuild, nextBin } from '../../scripts/launcher/web-app';
import { pickPort } from '../../scripts/services/ports';
import { spawnGroup, stopGroup } from '../../scripts/services/process-group';
import type { Fixture } from './fixture';

const projectDir = path.resolve(import.meta.dirname, '..', '..');

export interface WebApp {
  url: string;
  stop(): Promise<void>;
}

/**
 * The production app (`next start`, built first when the sources changed) on a free port, talking
 * to the test database, Temporal and worker, with the worker's DATA_DIR for uploads and previews.
 */
export async function startWebApp(fixture: Fixture): Promise<WebApp> {
  if (needsBuild(projectDir)) await buildWebApp(projectDir);
  const port = await pickPort();
  const child = spawnGroup({
    name: 'app',
    command: process.execPath,
    args: [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
    cwd: projectDir,
    logFile: path.join(fixture.worker.dataDir, 'logs', 'app.log'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: fixture.database.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      PIPEWRIGHT_TASK_QUEUE: fixture.worker.taskQueue,
      DATA_DIR: fixture.worker.dataDir,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForApp(url, child.exited);
  return { url, stop: () => stopGroup(child.pgid) };
}

async function waitForApp(url: string, exited: Promise<number | null>): Promise<void> {
  let stopped = false;
  void exited.then(() => {
    stopped = true;
  });
  for (let attempt = 0; attempt < 300; attempt++) {
    if (stopped) throw new Error('next start exited before it answered; see the app log in DATA_DIR/logs');
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200 || response.status === 503) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the app at ${url} did not answer within a minute`);
}
