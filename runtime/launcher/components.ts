/**
 * How the launcher starts each process it supervises, and how it knows each one serves: the
 * supervisor calls these again, with the same ports and settings, to restart a crashed component.
 */
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { projectDir } from '../local-services';
import { spawnGroup } from '../process-group';
import type { ComponentSpec } from '../supervisor/supervisor';
import { answers, untilReady } from './readiness';
import { nextBin } from './web-app';

export type Mode = 'start' | 'dev';

/** `npm run worker`'s script, ready once Temporal lists it among the task queue's pollers. */
export function workerComponent(options: {
  env: NodeJS.ProcessEnv;
  logDir: string;
  temporal: Connection;
  namespace: string;
  taskQueue: string;
}): ComponentSpec {
  const logFile = path.join(options.logDir, 'worker.log');
  return {
    name: 'worker',
    logFile,
    restartOnCrash: true,
    start: async (onSpawn) => {
      const child = spawnGroup({
        name: 'worker',
        command: process.execPath,
        args: ['--import', 'tsx', path.join(projectDir, 'workflows', 'worker.ts')],
        env: options.env,
        cwd: projectDir,
        logFile,
      });
      onSpawn(child);
      await untilReady(child, () => isPolling(options, child.pgid), 120_000);
      return child;
    },
  };
}

/** The Next.js app on HOST:PORT, ready once /api/health answers (503 counts: the app itself runs). */
export function appComponent(options: {
  mode: Mode;
  env: NodeJS.ProcessEnv;
  logDir: string;
  host: string;
  port: number;
  /** Where the launcher itself reaches the app (loopback when HOST is every interface). */
  probeUrl: string;
}): ComponentSpec {
  const logFile = path.join(options.logDir, 'app.log');
  const args = [nextBin, options.mode, '-p', String(options.port), '-H', options.host];
  return {
    name: 'app',
    logFile,
    restartOnCrash: true,
    start: async (onSpawn) => {
      const child = spawnGroup({
        name: 'app',
        command: process.execPath,
        args,
        // Next expects exactly these; another value inherited from the shell (a test runner's
        // NODE_ENV=test) makes it behave as neither, and `next dev` then rewrites tsconfig.json.
        env: { ...options.env, NODE_ENV: options.mode === 'dev' ? 'development' : 'production' },
        cwd: projectDir,
        logFile,
      });
      onSpawn(child);
      await untilReady(
        child,
        () => answers(`${options.probeUrl}/api/health`),
        options.mode === 'dev' ? 300_000 : 120_000,
      );
      return child;
    },
  };
}

/**
 * `npm run serve`'s script (the prediction server) on HOST:SERVE_PORT, ready once its /health
 * answers 200. Its own process, so prediction load never slows the editor.
 */
export function servingComponent(options: {
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Where the launcher itself reaches it (loopback when HOST is every interface). */
  probeUrl: string;
}): ComponentSpec {
  const logFile = path.join(options.logDir, 'serving.log');
  return {
    name: 'serving',
    logFile,
    restartOnCrash: true,
    start: async (onSpawn) => {
      const child = spawnGroup({
        name: 'serving',
        command: process.execPath,
        args: ['--import', 'tsx', path.join(projectDir, 'serving', 'main.ts')],
        env: options.env,
        cwd: projectDir,
        logFile,
      });
      onSpawn(child);
      await untilReady(child, () => answers(`${options.probeUrl}/health`), 60_000);
      return child;
    },
  };
}

/** The address the launcher probes the app at: HOST itself, or loopback when HOST means every interface. */
export function probeHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** A worker's default identity is `pid@host`, so its own poller shows it is connected and polling. */
async function isPolling(
  options: { temporal: Connection; namespace: string; taskQueue: string },
  pid: number,
): Promise<boolean> {
  try {
    const response = await options.temporal.withDeadline(Date.now() + 3_000, () =>
      options.temporal.workflowService.describeTaskQueue({
        namespace: options.namespace,
        taskQueue: { name: options.taskQueue },
        // 1 = TASK_QUEUE_TYPE_WORKFLOW: the first queue a starting worker polls.
        taskQueueType: 1,
      }),
    );
    return (response.pollers ?? []).some((poller) => poller.identity?.startsWith(`${pid}@`) === true);
  } catch {
    return false;
  }
}
