import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { startPinned } from './pinned-child';

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
  const child = startPinned(
    'the database ballast',
    options.core,
    ['chrt', '--idle', '0', process.execPath, script, settings],
    outputSchema,
  );
  // A ballast that fails early says so when it is stopped, not as an unhandled rejection meanwhile.
  child.result.catch(() => {});
  return {
    async stop() {
      child.kill('SIGTERM');
      return (await child.result).written;
    },
  };
}
