import { spawn } from 'node:child_process';
import type { z } from 'zod';
import { outputOf } from '../../tests/support/child-output';

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
  const result = outputOf(child).then(({ code, stdout, stderr }) => {
    if (code !== 0) throw new Error(`${what} exited ${code}: ${stderr.slice(-500)}`);
    return schema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}'));
  });
  return { result, kill: (signal) => child.kill(signal) };
}
