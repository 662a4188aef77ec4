import { spawn } from 'node:child_process';
import type { z } from 'zod';

/**
 * A helper process of a benchmark, pinned with taskset to one core, that prints its result as one
 * JSON line last (the load generator, the database ballast, the log's cost).
 */
export interface PinnedChild<T> {
  /** Its last line, parsed; rejects with the end of what it printed on stderr if it failed. */
  result: Promise<T>;
  kill(signal: NodeJS.Signals): void;
}

export function startPinned<T>(
  what: string,
  core: number,
  command: readonly string[],
  schema: z.ZodType<T>,
  cwd?: string,
): PinnedChild<T> {
  const child = spawn('taskset', ['-c', String(core), ...command], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = new Promise<T>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`${what} exited ${code}: ${stderr.slice(-500)}`));
      try {
        resolve(schema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')));
      } catch (error) {
        reject(error);
      }
    });
  });
  return { result, kill: (signal) => child.kill(signal) };
}
