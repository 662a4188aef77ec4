import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { startPinned } from './pinned-child';

/**
 * The load generator of the serving benchmark: autocannon (serve-generator.mjs), run as a child
 * process pinned with taskset to its own core, so it never competes with the server it measures.
 */

const generator = fileURLToPath(new URL('./serve-generator.mjs', import.meta.url));

/** What serve-generator.mjs prints. */
const resultSchema = z.object({
  seconds: z.number(),
  ok: z.number(),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
  max: z.number().nullable(),
  autocannonP99: z.number(),
});

export interface LoadResult {
  /** Answered requests (2xx) per second. */
  rps: number;
  /** Latency of the 2xx answers, in milliseconds (NaN when none). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** autocannon's own p99 (whole milliseconds; corrected for coordinated omission at a fixed rate). */
  autocannonP99: number;
  /** Connection errors, timeouts and non-2xx answers. */
  failed: number;
}

export interface LoadRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** Requests per second over all connections (autocannon overallRate); none: as fast as it can. */
  rate?: number;
  /** The core the generator is pinned to (taskset -c). */
  core: number;
}

export async function runLoad(request: LoadRequest): Promise<LoadResult> {
  const { core, rate, ...rest } = request;
  const options = JSON.stringify({ ...rest, ...(rate === undefined ? {} : { rate: Math.round(rate) }) });
  const result = await startPinned(
    'the load generator',
    core,
    [process.execPath, generator, options],
    resultSchema,
  ).result;
  return {
    rps: result.seconds > 0 ? result.ok / result.seconds : 0,
    p50: result.p50 ?? Number.NaN,
    p90: result.p90 ?? Number.NaN,
    p99: result.p99 ?? Number.NaN,
    max: result.max ?? Number.NaN,
    autocannonP99: result.autocannonP99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}
