/**
 * One Batch score step in a process of its own, so its peak RSS is the step's (and Node's), not
 * the benchmark's training and ingest before it: `tsx score-step.ts '{"data": ref, "model": ref}'`.
 * Prints one JSON line: rows, the scoring phase's seconds (the step's summary), the whole step's
 * seconds (with writing the output Parquet and its profile) and the peak RSS in MB.
 */
import { z } from 'zod';
import { artifactRefSchema } from '../../nodes/_kit/artifact-ref';
import { nodeRuns } from '../../nodes/runs';
import { NodeHarness } from '../../tests/support/node-harness';

const input = z
  .object({ data: artifactRefSchema, model: artifactRefSchema })
  .parse(JSON.parse(process.argv[2] ?? '{}'));
const summary = z.object({ rows: z.number(), seconds: z.number() });

const harness = new NodeHarness();
try {
  const started = performance.now();
  const result = await harness.run(nodeRuns.score, {}, input);
  const stepSeconds = (performance.now() - started) / 1000;
  const { rows, seconds } = summary.parse(result.summary);
  console.log(
    JSON.stringify({
      rows,
      scoreSeconds: seconds,
      stepSeconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
} finally {
  harness.cleanup();
}
