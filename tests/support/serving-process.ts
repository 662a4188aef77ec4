import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testSecretKey } from './secret-key';

const projectDir = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run serve` as a child process (serving/main.ts through tsx), on a free port of its own. */
export interface ServingProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs serving/main.ts with `env` added to a clean environment; resolves when it exits. */
export function runServing(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  dataDir: string;
} {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-serving-'));
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectDir, 'serving', 'main.ts')], {
    cwd: projectDir,
    env: {
      NODE_ENV: 'production',
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dataDir,
      PIPEWRIGHT_SECRET_KEY: testSecretKey.toString('base64'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  return { child, output: () => output, exited, dataDir };
}

/** Starts serving against `databaseUrl`; resolves once /health answers 200. */
export async function startServingProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ServingProcess> {
  const port = await freePort();
  const run = runServing({ DATABASE_URL: databaseUrl, SERVE_PORT: String(port), HOST: '127.0.0.1', ...env });
  const url = `http://127.0.0.1:${port}`;
  let exitCode: number | null | undefined;
  void run.exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`serving exited (${exitCode}) while starting:\n${run.output()}`);
    const ok = await fetch(`${url}/health`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      run.child.kill('SIGKILL');
      throw new Error(`serving did not answer within 60 s:\n${run.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child: run.child,
    output: run.output,
    async stop() {
      if (exitCode !== undefined) return exitCode;
      run.child.kill('SIGTERM');
      return run.exited;
    },
  };
}
