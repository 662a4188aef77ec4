import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pickPort } from '../ports';
import { spawnGroup, stopGroup } from '../process-group';
import { withBuildLock } from './build-lock';
import { answers, untilReady } from './readiness';

const require = createRequire(import.meta.url);
export const nextBin = require.resolve('next/dist/bin/next');

/** Folders whose files end up in the production build: every one the app imports from (of runtime/, only its better-auth setup). */
const SOURCE_DIRS = [
  'app',
  'access',
  'config',
  'db',
  'nodes',
  'pipeline',
  'workflows',
  'runtime/auth',
  'public',
];
const SOURCE_FILES = ['next.config.mjs', 'proxy.ts', 'package.json', 'tsconfig.json'];

/** True when there is no production build or a source file changed after it was made. */
export function needsBuild(projectDir: string): boolean {
  const buildId = path.join(projectDir, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const files = [
    ...SOURCE_FILES.map((file) => path.join(projectDir, file)),
    ...SOURCE_DIRS.flatMap((dir) => listFiles(path.join(projectDir, dir))),
  ];
  return files.some((file) => existsSync(file) && statSync(file).mtimeMs > builtAt);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Runs `next build`, keeping its output for the error message when it fails. */
export function buildWebApp(projectDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: projectDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-6000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}):\n${output}`)),
    );
  });
}

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

/**
 * The production app (`next start`, built first when the sources changed) on a free local port in a
 * process group of its own, with the given environment; resolves once it answers /api/health.
 * For browser tests and benchmarks; `npm start` has its own supervision.
 */
export async function startProductionApp(options: {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}): Promise<RunningApp> {
  await withBuildLock(options.projectDir, async () => {
    if (needsBuild(options.projectDir)) await buildWebApp(options.projectDir);
  });
  const port = await pickPort();
  const child = spawnGroup({
    name: 'app',
    command: process.execPath,
    args: [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
    cwd: options.projectDir,
    logFile: options.logFile,
    env: { ...options.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  const url = `http://127.0.0.1:${port}`;
  // Stops the group when it exits first or does not answer within a minute.
  await untilReady(child, () => answers(`${url}/api/health`), 60_000);
  return { url, stop: () => stopGroup(child.pgid) };
}
