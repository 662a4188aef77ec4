/**
 * Run history: `npm run bench:history [-- --runs 100000 --pipelines 50 --samples 200]`
 *
 * Seeds a scratch embedded PostgreSQL with RUNS runs of PIPELINES pipelines and six steps per run,
 * fills the stored main metric with migration 0008_run_history's own backfill statement (timed),
 * then times listRunHistory, the query behind the Runs page's history.list, unfiltered and with each
 * filter (pipeline, status, trigger, time range, metric above/below, combined), first pages and a
 * page deep in the list, in pages of 100 as the Runs page asks. Goal (issue 15): p95 < 100 ms at 100,000 runs and 600,000 steps. Figures
 * are printed, never asserted; each query's plan is printed with --plans.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  listRunHistory,
  type RunHistoryCursor,
  type RunHistoryFilters,
  runHistoryQuery,
} from '../../db/queries/run-history';
import { ms, openBenchDatabase, percentile } from './harness';
import { seedRunHistory } from './history-seed';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100000' },
    pipelines: { type: 'string', default: '50' },
    samples: { type: 'string', default: '200' },
    plans: { type: 'boolean', default: false },
  },
});
const runCount = Number(values.runs);
const pipelineCount = Number(values.pipelines);
const samples = Number(values.samples);
const GOAL_MS = 100;
/** The Runs page's page size (app/_runs/RunsPage.tsx PAGE_SIZE). */
const PAGE = 100;

interface Timing {
  label: string;
  rows: number;
  times: number[];
}

/** The migration's last statement: the backfill of the main metric for runs recorded before it. */
function backfillStatement(): string {
  const file = path.join(import.meta.dirname, '../../db/migrations/0008_run_history.sql');
  const statements = readFileSync(file, 'utf8').split('--> statement-breakpoint');
  const last = statements.at(-1)?.trim();
  if (!last?.startsWith('-- The runs recorded before this migration.')) {
    throw new Error(`The last statement of ${file} is not the main metric's backfill`);
  }
  return last;
}

const bench = await openBenchDatabase();
const { sql, db } = bench.database;

async function time(label: string, filters: RunHistoryFilters, cursor?: RunHistoryCursor): Promise<Timing> {
  const query = () => listRunHistory(db, { filters, limit: PAGE, cursor });
  // The first runs warm the plan cache and the buffers, as a running app's would be.
  for (let warm = 0; warm < 5; warm++) await query();
  const times: number[] = [];
  let rows = 0;
  for (let run = 0; run < samples; run++) {
    const started = performance.now();
    rows = (await query()).items.length;
    times.push(performance.now() - started);
  }
  if (values.plans) await printPlan(label, filters, cursor);
  return { label, rows, times: times.sort((a, b) => a - b) };
}

/** EXPLAIN ANALYZE of the query exactly as drizzle builds it for listRunHistory, with its parameters. */
async function printPlan(label: string, filters: RunHistoryFilters, cursor?: RunHistoryCursor) {
  const query = runHistoryQuery(db, { filters, limit: PAGE, cursor }).toSQL();
  // drizzle has already encoded the parameters for the driver: uuids, ISO timestamps, numbers.
  const params = query.params.map((value) => (typeof value === 'number' ? value : String(value)));
  const lines = await sql.unsafe(`explain (analyze, buffers, costs off) ${query.sql}`, params);
  console.log(`\n-- ${label}: ${JSON.stringify({ filters, cursor })}`);
  for (const line of lines) console.log(Object.values(line)[0]);
}

try {
  console.log(
    `Run history benchmark: ${runCount} runs of ${pipelineCount} pipelines, ${samples} samples per query (after 5 warm-up runs), pages of ${PAGE}`,
  );
  const seeding = performance.now();
  await seedRunHistory(sql, pipelineCount, runCount);
  const seeded = (performance.now() - seeding) / 1000;
  const backfilling = performance.now();
  await sql.unsafe(backfillStatement());
  const backfilled = (performance.now() - backfilling) / 1000;
  // As autovacuum would have by now: statistics, and the visibility map index-only scans rely on.
  await sql`vacuum analyze`;
  const [counts] = await sql<{ runs: number; steps: number; measured: number }[]>`
    select (select count(*)::int from runs) as runs, (select count(*)::int from run_steps) as steps,
      (select count(*)::int from runs where main_metric_value is not null) as measured`;
  console.log(
    `seeded ${counts?.runs} runs and ${counts?.steps} steps in ${seeded.toFixed(1)} s; migration 0008's backfill stored ${counts?.measured} main metrics in ${backfilled.toFixed(1)} s`,
  );

  const [pipeline] = await sql<{ id: string }[]>`select id from pipelines order by name limit 1`;
  const [deep] = await sql<{ id: string; started_at: string }[]>`
    select id, started_at from runs order by started_at desc, id desc offset ${Math.floor(runCount / 2)} limit 1`;
  const day = 24 * 60 * 60 * 1000;
  const now = Date.now();
  const pipelineId = pipeline?.id;
  const timings = [
    await time('first page', {}),
    await time(
      'page in the middle (cursor)',
      {},
      deep && { startedAt: new Date(deep.started_at), id: deep.id },
    ),
    await time('pipeline', { pipelineId }),
    await time('status failed (10 %)', { status: 'failed' }),
    await time('status running (0.5 %)', { status: 'running' }),
    await time('trigger schedule (60 %)', { trigger: 'schedule' }),
    await time('trigger monitor (1 %)', { trigger: 'monitor' }),
    await time('last 7 days', { from: new Date(now - 7 * day) }),
    await time('a week 6 months ago', { from: new Date(now - 190 * day), to: new Date(now - 183 * day) }),
    await time('metric above 0.95 (~10 %)', { metric: { comparison: 'above', value: 0.95 } }),
    await time('metric above 0.985 (~1 %)', { metric: { comparison: 'above', value: 0.985 } }),
    await time('metric above 0.988 (~0.5 %)', { metric: { comparison: 'above', value: 0.988 } }),
    await time('metric below 0.62 (~4 %)', { metric: { comparison: 'below', value: 0.62 } }),
    await time('metric above 2 (none)', { metric: { comparison: 'above', value: 2 } }),
    await time('pipeline + failed + manual', { pipelineId, status: 'failed', trigger: 'manual' }),
    await time('pipeline + metric above 0.9 + 90 days', {
      pipelineId,
      metric: { comparison: 'above', value: 0.9 },
      from: new Date(now - 90 * day),
    }),
  ];

  const width = Math.max(...timings.map((timing) => timing.label.length));
  console.log(`\n${'query'.padEnd(width)}  rows     p50      p95      max`);
  for (const { label, rows, times } of timings) {
    console.log(
      `${label.padEnd(width)}  ${String(rows).padStart(4)}  ${ms(percentile(times, 0.5)).padStart(8)} ${ms(percentile(times, 0.95)).padStart(8)} ${ms(times.at(-1) ?? Number.NaN).padStart(8)}`,
    );
  }
  const worst = Math.max(...timings.map((timing) => percentile(timing.times, 0.95)));
  console.log(
    `\nGoal: p95 < ${GOAL_MS} ms for every query. Worst p95 ${ms(worst)}: ${(worst / GOAL_MS).toFixed(2)} × the goal (${worst < GOAL_MS ? 'met' : 'NOT met'}).`,
  );
} finally {
  await bench.close();
}
