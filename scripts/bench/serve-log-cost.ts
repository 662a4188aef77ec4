/**
 * The prediction log's own cost, measured inside one process (run by serve.ts with taskset on the
 * server's core): records like serving's (the request row parsed from JSON, ids, the answer) are
 * made at a steady rate for a while with the log writing them to PostgreSQL, then for as long
 * without it, in turn; the difference in this process's CPU time per record is what logging costs
 * serving, whatever the load generator or a busy database do to the machine meanwhile.
 * Input: JSON in argv[2] { url, body (the benchmark's request body), seconds, rate, rounds }; output: one JSON line
 * { microseconds: [per round] }.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { z } from 'zod';
import { createPredictionLog } from '../../serving/prediction-log';

const options = z
  .object({
    url: z.string(),
    body: z.string(),
    seconds: z.number().positive(),
    rate: z.number().positive(),
    rounds: z.number().int().positive(),
  })
  .parse(JSON.parse(process.argv[2] ?? '{}'));

const TICK_MS = 10;
const sql = postgres(options.url, { max: 4, onnotice: () => {} });
const modelId = randomUUID();
// The benchmark's own request: the values logged are the ones serving logs (their length in
// digits is most of the encoding's cost).
const body = options.body;

/** CPU microseconds per record made over `seconds`, logging them or not. */
async function cpuPerRecord(logging: boolean): Promise<number> {
  const log = createPredictionLog({ sql, retentionDays: 0 });
  const started = performance.now();
  const cpu = process.cpuUsage();
  let made = 0;
  while (performance.now() - started < options.seconds * 1000) {
    for (let index = 0; index < (options.rate * TICK_MS) / 1000; index++) {
      const row: Record<string, unknown> = JSON.parse(body).rows[0];
      const record = {
        predictionId: randomUUID(),
        requestId: randomUUID(),
        modelId,
        version: 1,
        at: new Date(),
        latencyMs: 0.8,
        inputs: Object.values(row),
        outputs: { label: '0', probabilities: { 0: Math.random(), 1: Math.random() } },
      };
      if (logging) log.record([record]);
      made += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await log.close();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / made;
}

const microseconds: number[] = [];
await cpuPerRecord(true); // warm-up
for (let round = 0; round < options.rounds; round++) {
  const withLog = await cpuPerRecord(true);
  const without = await cpuPerRecord(false);
  microseconds.push(withLog - without);
}
await sql`delete from prediction_log where model_id = ${modelId}`;
await sql.end({ timeout: 5 });
process.stdout.write(`${JSON.stringify({ microseconds })}\n`);
