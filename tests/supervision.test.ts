/**
 * The launcher under a real `npm run dev`: a worker, Temporal server or app killed with SIGKILL (as
 * an out-of-memory kill would) comes back, and /api/health shows it down meanwhile. PostgreSQL is
 * the test run's; Temporal, the worker and the app are the launcher's own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Health, healthSchema } from '../config/health-schema';
import { readServicesFile, readSupervisedComponents } from '../config/services-file';
import { runs } from '../db/schema';
import { pickPort } from '../runtime/ports';
import { isGroupAlive, isProcessAlive } from '../runtime/process-group';
import { type ChildOutput, outputOf } from './support/child-output';
import { createTestDatabase, type TestDatabase } from './support/database';

const projectDir = path.resolve(import.meta.dirname, '..');
const launcherScript = path.join(projectDir, 'runtime', 'launcher', 'main.ts');
const taskQueue = `supervision-${randomUUID()}`;

let database: TestDatabase;
let dataDir: string;
let appUrl: string;
let servePort: number;
let launcher: ChildProcess | undefined;
let output = '';
let launcherExit: Promise<number | null>;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-supervision-'));
  const port = await pickPort();
  servePort = await pickPort();
  appUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', launcherScript, 'dev'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      // Blank: the launcher starts and supervises its own Temporal dev server.
      TEMPORAL_ADDRESS: '',
      PIPEWRIGHT_TASK_QUEUE: taskQueue,
      DATA_DIR: dataDir,
      PORT: String(port),
      SERVE_PORT: String(servePort),
      HOST: '',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher = child;
  launcherExit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  // Ready when the launcher prints its summary; a launcher that stops first fails the suite.
  await new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Pipewright is running')) resolve();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void launcherExit.then((code) =>
      reject(new Error(`the launcher stopped (exit ${code}) while starting:\n${output}`)),
    );
  });
}, 320_000);

afterAll(async () => {
  if (launcher?.exitCode === null) {
    launcher.kill('SIGTERM');
    await launcherExit;
  }
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
}, 60_000);

async function health(): Promise<Health | undefined> {
  try {
    const response = await fetch(`${appUrl}/api/health`, { signal: AbortSignal.timeout(10_000) });
    return healthSchema.parse(await response.json());
  } catch {
    return undefined;
  }
}

/** `pipewright run … --wait --json` against the launcher's services; resolves with how it ended. */
function runCli(args: string[]): Promise<ChildOutput> {
  return outputOf(
    spawn(process.execPath, [path.join(projectDir, 'bin', 'pipewright.mjs'), ...args], {
      env: {
        ...process.env,
        // No DATABASE_URL or TEMPORAL_ADDRESS: the CLI finds the launcher's services in DATA_DIR.
        DATABASE_URL: '',
        TEMPORAL_ADDRESS: '',
        PIPEWRIGHT_TASK_QUEUE: taskQueue,
        DATA_DIR: dataDir,
      },
    }),
  );
}

/** Local addresses of the sockets listening on `port`, from the kernel's tables (IPv4 and IPv6). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // Field 1 is address:port in hex, field 3 the state; 0A is LISTEN.
      .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`))
      .map((fields) => fields[1]?.split(':')[0] ?? ''),
  );
}

function pidOf(component: string): number | undefined {
  return readSupervisedComponents(dataDir)?.[component]?.pid;
}

function workerPid(): number | undefined {
  return pidOf('worker');
}

describe('supervision under the launcher', () => {
  it('serves the app on 127.0.0.1 only, HOST’s default', () => {
    // 0100007F is 127.0.0.1 in the kernel's byte order; 00000000 would be every interface.
    expect(listeningAddresses(Number(new URL(appUrl).port))).toEqual(['0100007F']);
    expect(output).toContain(`(listening on 127.0.0.1:${new URL(appUrl).port})`);
  });

  it('restarts a worker killed with SIGKILL; health shows it down, then up with its restart', async () => {
    expect((await health())?.worker.ok).toBe(true);
    const killed = workerPid();
    expect(killed).toBeGreaterThan(0);
    process.kill(killed ?? 0, 'SIGKILL');

    await expect
      .poll(async () => (await health())?.worker, { timeout: 30_000, interval: 100 })
      .toMatchObject({
        ok: false,
        detail: expect.stringMatching(/^down: /),
      });
    await expect
      .poll(async () => (await health())?.worker.ok, { timeout: 120_000, interval: 250 })
      .toBe(true);

    const restarted = workerPid();
    expect(restarted).not.toBe(killed);
    expect(readSupervisedComponents(dataDir)?.worker).toMatchObject({ status: 'running', restarts: 1 });
    expect((await health())?.worker.detail).toBe(`running (pid ${restarted}), restarted 1×`);
    const line = 'worker killed by SIGKILL; restarting in 1 s (crash 1 of 5 allowed within 2 min)';
    expect(output).toContain(`↻ Worker      ${line}`);
    expect(output).toContain(`↻ Worker      worker restarted (pid ${restarted}, restart 1)`);
    const log = readFileSync(path.join(dataDir, 'logs', 'worker.log'), 'utf8');
    expect(log).toContain(`[supervisor] ${line}`);
    expect(log).toContain(`[supervisor] worker restarted (pid ${restarted}, restart 1)`);
    // The rest of the product stayed up throughout.
    expect(launcher?.exitCode).toBeNull();
    expect(output).not.toMatch(/^✗/m);
  }, 200_000);

  it('carries a `pipewright run --wait` in progress through a worker kill: Temporal retries the step', async () => {
    const cli = runCli([
      'run',
      path.join(projectDir, 'examples', 'classification.pipeline.json'),
      '--param',
      `dataset=${path.join(projectDir, 'nodes', 'ingest', 'samples', 'iris.csv')}`,
      '--param',
      'target=target',
      '--wait',
      '--json',
    ]);
    // Kill the worker once the run is under way.
    await expect
      .poll(
        async () => (await database.db.select({ status: runs.status }).from(runs)).map((run) => run.status),
        {
          timeout: 120_000,
          interval: 100,
        },
      )
      .toContain('running');
    const killed = workerPid();
    process.kill(killed ?? 0, 'SIGKILL');
    await expect.poll(() => workerPid(), { timeout: 120_000, interval: 250 }).not.toBe(killed);

    const result = await cli;
    expect(result.stderr).not.toContain('Failed to get Workflow execution history');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('succeeded');
    expect(
      report.steps.map((step: { nodeId: string; status: string }) => [step.nodeId, step.status]),
    ).toEqual([
      ['ingest', 'succeeded'],
      ['clean', 'succeeded'],
      ['split', 'succeeded'],
      ['feature', 'succeeded'],
      ['train', 'succeeded'],
      ['evaluate', 'succeeded'],
    ]);
    expect(output).toContain(
      `↻ Worker      worker killed by SIGKILL; restarting in 2 s (crash 2 of 5 allowed within 2 min)`,
    );
  }, 300_000);

  it('restarts a Temporal server killed with SIGKILL on the same port, with its history', async () => {
    const killed = pidOf('temporal');
    expect(killed).toBeGreaterThan(0);
    process.kill(killed ?? 0, 'SIGKILL');
    await expect
      .poll(async () => (await health())?.temporal, { timeout: 30_000, interval: 100 })
      .toMatchObject({
        ok: false,
        detail: expect.stringMatching(/^down: /),
      });
    await expect.poll(async () => (await health())?.status, { timeout: 180_000, interval: 250 }).toBe('ok');
    expect(pidOf('temporal')).not.toBe(killed);
    expect(output).toContain(
      '↻ Temporal    temporal killed by SIGKILL; restarting in 1 s (crash 1 of 5 allowed within 2 min)',
    );
    // The run of the test before is still in the history the restarted server keeps in DATA_DIR.
    const address = readServicesFile(dataDir)?.temporalAddress ?? '';
    const connection = await Connection.connect({ address });
    try {
      const client = new Client({ connection, namespace: 'default' });
      const closed: string[] = [];
      for await (const workflow of client.workflow.list({ query: 'ExecutionStatus="Completed"' })) {
        closed.push(workflow.workflowId);
      }
      expect(closed).toHaveLength(1);
      expect(closed[0]).toMatch(/^run-/);
    } finally {
      await connection.close();
    }
  }, 240_000);

  it('restarts the app killed with SIGKILL; it answers again on the same address', async () => {
    const killed = pidOf('app');
    expect(killed).toBeGreaterThan(0);
    process.kill(killed ?? 0, 'SIGKILL');
    await expect
      .poll(() => readSupervisedComponents(dataDir)?.app?.status, { timeout: 30_000, interval: 50 })
      .not.toBe('running');
    await expect
      .poll(() => readSupervisedComponents(dataDir)?.app?.status, { timeout: 300_000, interval: 250 })
      .toBe('running');
    expect(readSupervisedComponents(dataDir)?.app).toMatchObject({ restarts: 1 });
    expect((await health())?.status).toBe('ok');
    expect(output).toContain(
      '↻ App         app killed by SIGKILL; restarting in 1 s (crash 1 of 5 allowed within 2 min)',
    );
    expect(readFileSync(path.join(dataDir, 'logs', 'app.log'), 'utf8')).toContain(
      '[supervisor] app killed by SIGKILL; restarting in 1 s',
    );
    expect(launcher?.exitCode).toBeNull();
    expect(output).not.toMatch(/^✗/m);
  }, 360_000);

  it('starts the prediction server, prints its URL, and restarts it killed with SIGKILL', async () => {
    const serveUrl = `http://127.0.0.1:${servePort}`;
    // The summary's lines follow "Pipewright is running", which is when the suite began.
    await expect.poll(() => output).toContain(`  Serving      ${serveUrl}`);
    expect((await health())?.serving).toEqual({ ok: true, detail: 'answering', url: serveUrl });
    const killed = pidOf('serving');
    expect(killed).toBeGreaterThan(0);
    process.kill(killed ?? 0, 'SIGKILL');
    await expect
      .poll(() => readSupervisedComponents(dataDir)?.serving?.status, { timeout: 30_000, interval: 50 })
      .not.toBe('running');
    await expect
      .poll(() => readSupervisedComponents(dataDir)?.serving?.status, { timeout: 120_000, interval: 250 })
      .toBe('running');
    expect(readSupervisedComponents(dataDir)?.serving).toMatchObject({ restarts: 1 });
    expect((await fetch(`${serveUrl}/health`)).status).toBe(200);
    expect((await health())?.status).toBe('ok');
    expect(output).toContain('↻ Serving     serving killed by SIGKILL; restarting in 1 s');
    expect(output).toContain('✓ Serving     predictions at');
  }, 180_000);

  it('gives up on a worker that keeps crashing, with one line, and stops everything', async () => {
    const groups = readServicesFile(dataDir)?.processGroups ?? [];
    expect(groups.map((group) => group.name).sort()).toEqual(['app', 'serving', 'temporal', 'worker']);
    // Kill each new worker as soon as it runs, until the launcher stops trying.
    let killed = 0;
    for (;;) {
      const next = () => {
        const worker = readSupervisedComponents(dataDir)?.worker;
        if (!worker || worker.status === 'failed') return 'given up';
        const fresh = worker.status === 'running' && worker.pid && worker.pid !== killed;
        return fresh && isProcessAlive(worker.pid ?? 0) ? worker.pid : 'waiting';
      };
      await expect.poll(next, { timeout: 120_000, interval: 100 }).not.toBe('waiting');
      const pid = next();
      if (typeof pid !== 'number') break;
      killed = pid;
      process.kill(pid, 'SIGKILL');
    }
    expect(await launcherExit).toBe(1);
    const errors = output.split('\n').filter((line) => line.startsWith('✗'));
    expect(errors).toEqual([
      `✗ Worker      worker crashed 5 times within 2 min (last: killed by SIGKILL); not restarting it again; stopping Pipewright. See ${path.join(dataDir, 'logs', 'worker.log')}`,
    ]);
    expect(readServicesFile(dataDir)).toBeUndefined();
    for (const group of groups) expect(isGroupAlive(group.pgid)).toBe(false);
  }, 300_000);
});
