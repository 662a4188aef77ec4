import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findInviteByToken } from '../db/queries/invites';
import { pickPort } from '../runtime/ports';
import { accountsAuth, createAccount } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';

const launcher = path.resolve(import.meta.dirname, '..', 'runtime', 'launcher', 'main.ts');

let dataDir: string;
let database: TestDatabase;
let defaultPortHolder: net.Server | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-launcher-'));
  database = await createTestDatabase();
  // The tests must not depend on the default port being free: take it if nobody else has.
  defaultPortHolder = await listenOn(3000);
});
afterAll(async () => {
  defaultPortHolder?.close();
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

/** A server on 127.0.0.1:port, or undefined when the port is already taken (which serves as well). */
function listenOn(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Runs `npm start`'s launcher with the given environment and returns how it ended. PORT is a free
 * port unless the test sets one, so a server on 3000 (the default) cannot change the outcome.
 */
async function launch(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const port = String(await pickPort());
  const servePort = String(await pickPort());
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', launcher, 'start'], {
      // Blank values read as unset, so variables of the surrounding shell cannot leak in.
      env: {
        ...process.env,
        DATABASE_URL: '',
        TEMPORAL_ADDRESS: '',
        PORT: port,
        SERVE_PORT: servePort,
        HOST: '',
        DATA_DIR: dataDir,
        NO_COLOR: '1',
        ...env,
      },
      timeout: 60_000,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

function expectOneLineError(output: string, message: RegExp | string): void {
  const errorLines = output.split('\n').filter((line) => line.startsWith('✗'));
  expect(errorLines).toHaveLength(1);
  expect(errorLines[0]).toMatch(message);
  expect(output).not.toMatch(/^\s+at /m);
}

describe('launcher faults give one actionable line', () => {
  it('a malformed DATABASE_URL', async () => {
    const result = await launch({ DATABASE_URL: 'mysql://root@db/app' });
    expect(result.code).toBe(1);
    expectOneLineError(result.output, 'Invalid environment: DATABASE_URL must look like postgres://');
  });

  it('an unreachable DATABASE_URL, without echoing its password', async () => {
    const result = await launch({ DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:1/app' });
    expect(result.code).toBe(1);
    expectOneLineError(result.output, /Cannot reach PostgreSQL at 127\.0\.0\.1:1\/app: .*Check DATABASE_URL/);
    expect(result.output).not.toContain('hunter2');
  });

  it('a port already taken', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const result = await launch({ PORT: String(port), DATABASE_URL: database.url });
      expect(result.code).toBe(1);
      expectOneLineError(result.output, `Port ${port} is already in use`);
    } finally {
      server.close();
    }
  });

  it('a serving port already taken', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const result = await launch({ SERVE_PORT: String(port), DATABASE_URL: database.url });
      expect(result.code).toBe(1);
      expectOneLineError(
        result.output,
        `Port ${port} (SERVE_PORT, the prediction server) is already in use on 127.0.0.1`,
      );
    } finally {
      server.close();
    }
  });

  it('a Temporal address that does not answer', async () => {
    const port = await pickPort();
    const result = await launch({
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      PORT: String(port),
    });
    expect(result.code).toBe(1);
    expectOneLineError(result.output, /Temporal at 127\.0\.0\.1:1 did not answer.*Check TEMPORAL_ADDRESS/);
    // The database step before it still ran: migrations applied, nothing lost.
    expect(result.output).toMatch(/✓ Migrations/);
  });

  it('a second launcher on a data directory that is in use, leaving the first one’s state alone', async () => {
    const services = JSON.stringify({ launcherPid: process.pid, processGroups: [] });
    writeFileSync(path.join(dataDir, 'services.json'), services);
    const result = await launch({});
    expect(result.code).toBe(1);
    expectOneLineError(
      result.output,
      `Pipewright is already running for ${dataDir} (launcher pid ${process.pid})`,
    );
    expect(readFileSync(path.join(dataDir, 'services.json'), 'utf8')).toBe(services);
    rmSync(path.join(dataDir, 'services.json'));
  });
});

/**
 * A full `npm start` against the test database and Temporal, stopped (SIGTERM) once it reports that
 * everything runs; resolves with its output. A start that ends by itself first fails the test.
 */
async function startAndStop(env: Record<string, string>): Promise<string> {
  const servePort = String(await pickPort());
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', launcher, 'start'], {
      env: { ...process.env, HOST: '', NO_COLOR: '1', SERVE_PORT: servePort, ...env },
      timeout: 300_000,
    });
    let output = '';
    let stopping = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (!stopping && output.includes('Press Ctrl-C to stop')) {
        stopping = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) =>
      stopping
        ? resolve(output)
        : reject(new Error(`npm start ended (exit ${code}) before it ran:\n${output}`)),
    );
  });
}

const SETUP_LINK = /No account yet\. Open this link within an hour to create the first admin:\n {2}(\S+)\n/;

describe('the setup link', () => {
  let setupDatabase: TestDatabase;
  let setupDataDir: string;
  let port: number;
  const start = () =>
    startAndStop({
      DATABASE_URL: setupDatabase.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      // A queue of its own: the launcher's worker must not take other tests' runs.
      PIPEWRIGHT_TASK_QUEUE: `launcher-${randomUUID()}`,
      DATA_DIR: setupDataDir,
      PORT: String(port),
    });

  beforeAll(async () => {
    setupDatabase = await createTestDatabase();
    setupDataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-setup-link-'));
    port = await pickPort();
  });
  afterAll(async () => {
    rmSync(setupDataDir, { recursive: true, force: true });
    await setupDatabase?.drop();
  });

  it('is printed by each start while nobody has an account, a new one each time, and not once a user exists', async () => {
    const first = SETUP_LINK.exec(await start())?.[1] ?? '';
    expect(first).toMatch(new RegExp(`^http://localhost:${port}/join/[\\w-]{20,}$`));
    const second = SETUP_LINK.exec(await start())?.[1] ?? '';
    expect(second).toMatch(new RegExp(`^http://localhost:${port}/join/[\\w-]{20,}$`));
    expect(second).not.toBe(first);
    // The first start's link stopped working when the second start printed its own.
    const tokenOf = (link: string) => new URL(link).pathname.replace('/join/', '');
    const [firstInvite, secondInvite] = await Promise.all([
      findInviteByToken(setupDatabase.db, tokenOf(first)),
      findInviteByToken(setupDatabase.db, tokenOf(second)),
    ]);
    expect(firstInvite).toMatchObject({ kind: 'setup', role: 'admin', revokedAt: expect.any(Date) });
    expect(secondInvite).toMatchObject({ kind: 'setup', role: 'admin', revokedAt: null, usedAt: null });
    expect(secondInvite?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);

    await createAccount(accountsAuth(setupDatabase.db), 'admin');
    const afterwards = await start();
    expect(afterwards).toContain('Pipewright is running');
    expect(afterwards).not.toContain('No account yet');
    expect(afterwards).not.toContain('/join/');
  }, 600_000);
});
