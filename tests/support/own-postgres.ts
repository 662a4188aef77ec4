import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateDatabase, startLocalPostgres } from '../../runtime/local-services';
import type { PostgresProcess } from '../../runtime/postgres-process';

/**
 * An embedded PostgreSQL of a test file's own, migrated, which the test may stop and start again
 * (on the same port, so clients reconnect to the same URL). The shared test database must never
 * go away under the other test files; this one can.
 */
export interface OwnPostgres {
  url: string;
  /** Whether the server is running now. */
  running(): boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its files. */
  remove(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  // The embedded server runs as the unprivileged postgres user, which must enter its data folder
  // and every folder above it (os.tmpdir() is world-enterable; the folder made here is opened up).
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-own-postgres-'));
  chmodSync(dataDir, 0o755);
  const logDir = path.join(dataDir, 'logs');
  let server: PostgresProcess | undefined = await startLocalPostgres({ dataDir, logDir });
  const url = server.url;
  const port = Number(new URL(url).port);
  await migrateDatabase(url);
  return {
    url,
    running: () => server !== undefined,
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      if (server) return;
      const started = await startLocalPostgres({ dataDir, logDir, preferredPort: port });
      if (started.url !== url) {
        await started.stop();
        throw new Error(`PostgreSQL came back on another address (port ${port} was taken)`);
      }
      server = started;
    },
    async remove() {
      await server?.stop();
      server = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
