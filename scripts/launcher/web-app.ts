import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
export const nextBin = require.resolve('next/dist/bin/next');

/** Folders whose files end up in the production build. */
const SOURCE_DIRS = ['app', 'config', 'db', 'nodes', 'workflows', 'public'];
const SOURCE_FILES = ['next.config.mjs', 'package.json', 'tsconfig.json'];

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
