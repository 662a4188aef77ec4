import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The database ballast of the serving benchmark (serve-ballast.mjs): PostgreSQL doing the
 * prediction log's work at a given rate while the run without the log is measured. It runs pinned
 * to the generator's core at idle priority, like PostgreSQL itself in this benchmark.
 */

const script = fileURLToPath(new URL('./serve-ballast.mjs', import.meta.url));
const outputSchema = z.object({ written: z.number() });

export interface Ballast {
  /** Stops it; resolves to the rows it wrote. */
  stop(): Promise<number>;
}

export function startBallast(options: {
  url: string;
  rowsPerSecond: number;
  /** Values per logged row's inputs (the signature's columns). */
  inputs: number;
  core: number;
}): Ballast {
  const settings = JSON.stringify({
    url: options.url,
    rowsPerSecond: options.rowsPerSecond,
    inputs: options.inputs,
  });
  const child = spawn(
    'taskset',
    ['-c', String(options.core), 'chrt', '--idle', '0', process.execPath, script, settings],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`the database ballast exited ${code}: ${stderr.slice(-500)}`);
      return outputSchema.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).written;
    },
  };
}
