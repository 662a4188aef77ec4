import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDatabaseReachable, embeddedDatabaseUrl } from './postgres';
import { type GroupChild, spawnGroup, stopGroup } from './process-group';

const mainScript = fileURLToPath(new URL('./postgres-main.ts', import.meta.url));

export interface PostgresProcess {
  url: string;
  child: GroupChild;
  /** True when this start created the cluster (initdb ran). */
  created: boolean;
  stop(): Promise<void>;
}

/** Starts the embedded PostgreSQL as its own process group and waits until it accepts queries. */
export async function startPostgresProcess(options: {
  dataDir: string;
  port: number;
  logFile: string;
  timeoutMs?: number;
}): Promise<PostgresProcess> {
  const created = !existsSync(path.join(options.dataDir, 'PG_VERSION'));
  const child = spawnGroup({
    name: 'postgres',
    command: process.execPath,
    args: ['--import', 'tsx', mainScript, options.dataDir, String(options.port), options.logFile],
    logFile: options.logFile,
  });
  const url = embeddedDatabaseUrl(options.port);
  const exitedEarly = child.exited.then((code) => {
    throw new Error(`PostgreSQL exited (code ${code}) before it was ready; see ${options.logFile}`);
  });
  try {
    await Promise.race([waitUntilReachable(url, options.timeoutMs ?? 90_000), exitedEarly]);
  } catch (error) {
    await stopGroup(child.pgid, 5_000);
    throw error;
  }
  exitedEarly.catch(() => {});
  // PostgreSQL's fast shutdown can take a few seconds when clients are still connected.
  return { url, child, created, stop: () => stopGroup(child.pgid, 20_000) };
}

async function waitUntilReachable(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await checkDatabaseReachable(url);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
