import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localServicePaths, startLocalPostgres } from './local-services';
import { checkDatabaseReachable, embeddedDatabaseUrl, runStatement } from './postgres';
import { LEGACY_EMBEDDED_PASSWORD } from './postgres-password';

let dataDir: string;
const stops: Array<() => Promise<void>> = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'local-services-'));
  // As root the server runs as the postgres user, which must reach its data folder.
  chmodSync(dataDir, 0o755);
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start() {
  const server = await startLocalPostgres({ dataDir, logDir: path.join(dataDir, 'logs') });
  stops.push(server.stop);
  return server;
}

describe('the embedded PostgreSQL', () => {
  it('uses the password generated for this install, stored 0600', async () => {
    const server = await start();
    const file = localServicePaths(dataDir).postgresPasswordFile;
    const password = readFileSync(file, 'utf8').trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(server.created).toBe(true);
    expect(server.url).toBe(embeddedDatabaseUrl(Number(new URL(server.url).port), password));
    expect(password).not.toBe(LEGACY_EMBEDDED_PASSWORD);
    await expect(checkDatabaseReachable(server.url)).resolves.toMatch(/^\d+/);
    const legacy = embeddedDatabaseUrl(Number(new URL(server.url).port), LEGACY_EMBEDDED_PASSWORD);
    await expect(checkDatabaseReachable(legacy)).rejects.toThrow(/password authentication failed/);
  });

  it('gives a cluster made with the old fixed password a generated one on its next start', async () => {
    const first = await start();
    await runStatement(first.url, `alter role postgres with password '${LEGACY_EMBEDDED_PASSWORD}'`);
    await first.stop();
    rmSync(localServicePaths(dataDir).postgresPasswordFile);

    const upgraded = await start();
    expect(upgraded.created).toBe(false);
    const password = readFileSync(localServicePaths(dataDir).postgresPasswordFile, 'utf8').trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await expect(checkDatabaseReachable(upgraded.url)).resolves.toMatch(/^\d+/);
    const port = Number(new URL(upgraded.url).port);
    await expect(checkDatabaseReachable(embeddedDatabaseUrl(port, LEGACY_EMBEDDED_PASSWORD))).rejects.toThrow(
      /password authentication failed/,
    );
  });

  it('ends its process when the server dies, so the launcher sees it', async () => {
    const server = await start();
    const postmaster = Number(
      readFileSync(path.join(localServicePaths(dataDir).postgresDir, 'postmaster.pid'), 'utf8').split(
        '\n',
      )[0],
    );
    process.kill(postmaster, 'SIGKILL');
    expect(await server.child.ended).toEqual({ code: 1, signal: null });
    expect(readFileSync(path.join(dataDir, 'logs', 'postgres.log'), 'utf8')).toContain(
      `PostgreSQL (pid ${postmaster}) exited unexpectedly`,
    );
  });
});
