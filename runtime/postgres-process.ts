import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDatabaseReachable, EMBEDDED_USER, embeddedDatabaseUrl, runStatement } from './postgres';
import { alterPasswordStatement, embeddedPassword, storePassword } from './postgres-password';
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
  /** Where this install's generated password is kept (mode 0600); created on first start. */
  passwordFile: string;
  port: number;
  logFile: string;
  timeoutMs?: number;
  /** Told the process as soon as it exists, before it is ready (a supervisor stops it on Ctrl-C). */
  onSpawn?: (child: GroupChild) => void;
}): Promise<PostgresProcess> {
  assertReachableByPostgresUser(options.dataDir);
  const created = !existsSync(path.join(options.dataDir, 'PG_VERSION'));
  const { password, replaces } = embeddedPassword(options.passwordFile, !created);
  const child = spawnGroup({
    name: 'postgres',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      mainScript,
      options.dataDir,
      String(options.port),
      options.logFile,
      // Read only by initdb, when it creates the cluster.
      options.passwordFile,
    ],
    logFile: options.logFile,
  });
  options.onSpawn?.(child);
  const url = embeddedDatabaseUrl(options.port, password);
  const exitedEarly = child.exited.then((code) => {
    throw new Error(`PostgreSQL exited (code ${code}) before it was ready; see ${options.logFile}`);
  });
  try {
    const reachableAt = replaces ? embeddedDatabaseUrl(options.port, replaces) : url;
    await Promise.race([waitUntilReachable(reachableAt, options.timeoutMs ?? 90_000), exitedEarly]);
    if (replaces) {
      await runStatement(reachableAt, alterPasswordStatement(EMBEDDED_USER, password));
      storePassword(options.passwordFile, password);
    }
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

/**
 * As root, the embedded server runs as the unprivileged `postgres` user, which must be able to pass
 * through every folder above its data directory. A private parent (such as /root, mode 700) makes
 * initdb fail with a bare "Permission denied", so say which folder it is and what to do instead.
 */
function assertReachableByPostgresUser(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  for (let dir = path.dirname(path.resolve(dataDir)); ; dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (a private folder). ` +
          `Set DATA_DIR to a folder outside it (e.g. DATA_DIR=/var/lib/pipewright), run \`chmod o+x ${dir}\`, or set DATABASE_URL.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}
