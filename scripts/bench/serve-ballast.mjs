/**
 * The serving benchmark's database ballast, run by serve-ballast.ts as its own process pinned to
 * the generator's core: it makes PostgreSQL do the prediction log's work (multi-row inserts of
 * rows like the log's into a table like prediction_log, with its indexes) at a given number of
 * rows per second, without a serving process doing any of it. On this two-core machine a busy
 * PostgreSQL slows the other core too, so the run without the log is measured with the same
 * database work going on as the run with it: the difference is then what logging costs serving.
 * Options come as JSON in argv[2]: { url, rowsPerSecond, inputs }. Plain JavaScript, like
 * serve-generator.mjs.
 */
import postgres from 'postgres';

const options = JSON.parse(process.argv[2] ?? '{}');
const BATCH = 500;
const sql = postgres(options.url, { max: 1, onnotice: () => {} });

await sql`create table if not exists prediction_log_ballast (like prediction_log including all)`;
// One batch of rows as the log sends them; the ids are made by PostgreSQL, so every row is new.
const rows = Array.from({ length: BATCH }, (_, index) => ({
  r: `ballast-${index}`,
  v: 1,
  l: 0.5,
  i: Array.from({ length: options.inputs }, (_, column) => column * 1.25 + index / 100),
  o: { label: index % 2, probabilities: { 0: 0.25, 1: 0.75 } },
}));
const batch = JSON.stringify(rows);
const model = '00000000-0000-4000-8000-000000000000';

let written = 0;
let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
});

const started = Date.now();
while (!stopping) {
  // Paced: as many rows as the rate allows by now, a batch at a time.
  const due = ((Date.now() - started) / 1000) * options.rowsPerSecond;
  if (written + BATCH > due) {
    await new Promise((resolve) =>
      setTimeout(resolve, ((written + BATCH - due) / options.rowsPerSecond) * 1000),
    );
    continue;
  }
  await sql`
    insert into prediction_log_ballast (prediction_id, request_id, model_id, version, at, latency_ms, inputs, outputs)
    select gen_random_uuid(), r, ${model}, v, now(), l, i, o
    from json_to_recordset(${batch}::text::json) as x(r text, v int, l real, i jsonb, o jsonb)`;
  written += BATCH;
}
await sql`truncate prediction_log_ballast`;
await sql.end({ timeout: 5 });
process.stdout.write(`${JSON.stringify({ written })}\n`);
