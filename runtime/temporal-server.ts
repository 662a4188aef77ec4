import { Connection } from '@temporalio/client';
import { type GroupChild, spawnGroup, stopGroup } from './process-group';

/**
 * The worker that completes a workflow task takes the activity it schedules at once, instead of the
 * activity waiting for a poll: a full round trip less per pipeline step.
 */
export const EAGER_ACTIVITIES_ARGS = ['--dynamic-config-value', 'system.enableActivityEagerExecution=true'];

export interface TemporalDevServerOptions {
  binary: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** SQLite file that keeps workflow history across restarts; omit for an in-memory server (tests). */
  dbFile?: string;
  logFile: string;
  headless?: boolean;
  /** Told the process as soon as it exists, before it is ready (a supervisor stops it on Ctrl-C). */
  onSpawn?: (child: GroupChild) => void;
}

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  child: GroupChild;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` on loopback as its own process group and waits until it answers. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...EAGER_ACTIVITIES_ARGS,
  ];
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1');
  const child = spawnGroup({ name: 'temporal', command: options.binary, args, logFile: options.logFile });
  options.onSpawn?.(child);
  const address = `127.0.0.1:${options.port}`;
  const exitedEarly = child.exited.then((code) => {
    throw new Error(
      `the Temporal dev server exited (code ${code}) before it was ready; see ${options.logFile}`,
    );
  });
  try {
    await Promise.race([waitForNamespace(address, options.namespace, 60_000), exitedEarly]);
  } catch (error) {
    await stopGroup(child.pgid, 2_000);
    throw error;
  }
  exitedEarly.catch(() => {});
  return {
    address,
    uiUrl: options.headless ? undefined : `http://localhost:${options.uiPort}`,
    child,
    stop: () => stopGroup(child.pgid),
  };
}

/** Polls until the namespace can be described, which means the frontend and persistence are up. */
export async function waitForNamespace(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await describeNamespace(address, namespace, 3_000);
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(
    `Temporal at ${address} did not answer for namespace "${namespace}" within ${timeoutMs / 1000} s: ${reason}`,
  );
}

export async function describeNamespace(
  address: string,
  namespace: string,
  timeoutMs: number,
): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: timeoutMs });
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () =>
      connection.workflowService.describeNamespace({ namespace }),
    );
  } finally {
    await connection.close();
  }
}
