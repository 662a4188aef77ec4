import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { startPinned } from './pinned-child';

/** `npm run serve` (serving/main.ts) for the benchmark: pinned with taskset to one core. */

const projectDir = fileURLToPath(new URL('../..', import.meta.url));
export const servingMain = path.join(projectDir, 'serving', 'main.ts');

export function servingExists(): boolean {
  return existsSync(servingMain);
}

export interface ServingProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startServing(options: {
  databaseUrl: string;
  port: number;
  core: number;
  predictionLog: 'on' | 'off';
}): Promise<ServingProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-serving-'));
  const child = spawn(
    'taskset',
    ['-c', String(options.core), process.execPath, '--import', 'tsx', servingMain],
    {
      cwd: projectDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: dataDir,
        DATABASE_URL: options.databaseUrl,
        HOST: '127.0.0.1',
        SERVE_PORT: String(options.port),
        PIPEWRIGHT_PREDICTION_LOG: options.predictionLog,
        PIPEWRIGHT_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(`${url}/health`, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serving exited while starting: ${output().slice(-800)}`);
    const up = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`serving did not answer /health within 60 s: ${output().slice(-800)}`);
}

/** SIGTERM: serving finishes what is under way and writes its prediction log out, then exits. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The machine's yardstick: a bare Node HTTP server on the same core that reads the body, parses it
 * as JSON and answers a small JSON object. Measured in turn with serving, it says how much of the
 * core other work left to both, and what serving's own work costs next to doing nothing.
 */
const BARE_SERVER = `
require('node:http').createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => { body += chunk; });
  request.on('end', () => {
    const rows = JSON.parse(body).rows;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ rows: rows.length }));
  });
}).listen(Number(process.argv[1]), '127.0.0.1');`;

export async function startBareNode(options: { port: number; core: number }): Promise<ServingProcess> {
  const child = spawn(
    'taskset',
    ['-c', String(options.core), process.execPath, '-e', BARE_SERVER, String(options.port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () => stopChild(child);
  try {
    await waitFor(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/** Until `url` answers at all (the bare server has no /health: any answer will do). */
async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bare server exited: ${output().slice(-800)}`);
    const up = await fetch(url, { method: 'POST', body: '{"rows":[]}' }).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the bare server did not answer within 30 s');
}

const logCostScript = path.join(projectDir, 'scripts', 'bench', 'serve-log-cost.ts');
const logCostSchema = z.object({ microseconds: z.array(z.number()) });

/** serve-log-cost.ts pinned to `core`: the prediction log's CPU microseconds per record, a figure per round. */
export async function measureLogCost(options: {
  databaseUrl: string;
  core: number;
  /** The request body the benchmark sends: its row is what each record logs. */
  body: string;
  rate: number;
  seconds: number;
  rounds: number;
}): Promise<number[]> {
  const settings = JSON.stringify({
    url: options.databaseUrl,
    body: options.body,
    rate: options.rate,
    seconds: options.seconds,
    rounds: options.rounds,
  });
  const result = startPinned(
    'serve-log-cost',
    options.core,
    [process.execPath, '--import', 'tsx', logCostScript, settings],
    logCostSchema,
    projectDir,
  );
  return (await result.result).microseconds;
}
