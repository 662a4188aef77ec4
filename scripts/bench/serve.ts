/**
 * Serving: `npm run bench:serve [-- --seconds 12 --connections 16 --rounds 3 --warmup 3]`
 *
 * Trains gradient boosting (our HistGradientBoosting) on breast_cancer with the real ingest and
 * train nodes, registers it as production in a scratch PostgreSQL, starts the serving process
 * (serving/main.ts) pinned with taskset to core 0 and the load generator (autocannon) on core 1,
 * (PostgreSQL on the generator's core too, at idle priority), and sends single-row requests with a
 * predict key:
 *   1. the maximum throughput at a fixed concurrency (CONNECTIONS connections, SECONDS seconds), of
 *      a serving process with the prediction log and one with PIPEWRIGHT_PREDICTION_LOG=off, in
 *      turn, ROUNDS times each (the median counts): the log's cost. The run without the log has
 *      PostgreSQL doing the same work meanwhile (serve-ballast.ts): a busy PostgreSQL slows the
 *      other core of this machine as well, which is the database's cost, not the log's;
 *   2. p50/p99 at a fixed rate of 80% of that maximum (autocannon overallRate), with the log, where
 *      latency means something (at saturation it only measures the queue). autocannon holds the
 *      rate per second: each connection sends as fast as it is answered until its share of the
 *      second is used, so the figure is taken in bursts near saturation and errs high.
 * Then, when PIPEWRIGHT_BENCH_PYTHON (or python3) has mlflow and scikit-learn, the same for
 * `mlflow models serve` (2 workers, same core) with a HistGradientBoostingClassifier on the same
 * data. Goals (issue 14): ≥ 10 × MLflow's requests/s; p99 ≤ 5 ms at 80% of our maximum; the log
 * costs ≤ 10% of throughput. Figures and ratios are printed, never asserted.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openBenchDatabase } from './harness';
import { startBallast } from './serve-ballast';
import { type LoadRequest, type LoadResult, runLoad } from './serve-load';
import { benchPython, mlflowAvailable, startMlflow } from './serve-mlflow';
import { type BenchModel, trainAndRegister } from './serve-model';
import { measureLogCost, servingExists, servingMain, startBareNode, startServing } from './serve-process';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '12' },
    connections: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const warmupSeconds = Number(values.warmup);
const rounds = Math.max(1, Number(values.rounds));
const SERVER_CORE = 0;
const GENERATOR_CORE = 1;
const FIXED_RATE_SHARE = 0.8;
const GOALS = { speedup: 10, p99Ms: 5, logCost: 0.1 };
// The repository's copy of ../shared/datasets/breast_cancer.csv (the same file), so a fresh clone has it.
const csv = path.resolve(import.meta.dirname, '..', '..', 'nodes', 'ingest', 'samples', 'breast_cancer.csv');

interface Measured {
  max: LoadResult;
  fixed?: LoadResult;
  fixedRate?: number;
}

const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

function line(label: string, result: LoadResult, rate?: number): string {
  const failed = result.failed > 0 ? `, ${result.failed} FAILED` : '';
  const target = rate === undefined ? '' : ` (asked ${rate.toFixed(0)}/s)`;
  return `  ${label.padEnd(34)} ${result.rps.toFixed(0).padStart(7)} req/s${target}  p50 ${result.p50.toFixed(2)} ms  p90 ${result.p90.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  max ${result.max.toFixed(1)} ms  (autocannon p99 ${result.autocannonP99} ms)${failed}`;
}

type Target = Omit<LoadRequest, 'connections' | 'seconds' | 'core' | 'rate'>;

const load = (target: Target, options: { seconds: number; rate?: number }) =>
  runLoad({ ...target, ...options, connections, core: GENERATOR_CORE });

/** The median run by requests/s: one busy moment of the machine does not decide a figure. */
function medianRun(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error('no measurement');
  return middle;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The maximum at fixed concurrency: one run, printed. */
async function maxRun(label: string, target: Target, round: number): Promise<LoadResult> {
  const result = await load(target, { seconds });
  console.log(line(`${label}, max at ${connections} conn. (${round + 1}/${rounds})`, result));
  return result;
}

/** p50/p99 at a fixed rate of 80% of the maximum (autocannon overallRate). */
async function atFixedRate(label: string, target: Target, max: LoadResult): Promise<Measured> {
  const fixedRate = max.rps * FIXED_RATE_SHARE;
  const fixed = await load(target, { seconds, rate: fixedRate });
  console.log(line(`${label}, fixed rate 80% of max`, fixed, fixedRate));
  return { max, fixed, fixedRate };
}

/** One request first: the benchmark measures answers, not refusals. */
async function checkAnswer(url: string, body: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(url, { method: 'POST', body, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

/** The first data row of the CSV but the target, as {"rows": [{…}]}. */
async function ourBody(model: BenchModel): Promise<string> {
  const [header, first] = (await readFile(csv, 'utf8')).split('\n');
  const names = header?.split(',') ?? [];
  const cells = first?.split(',').map(Number) ?? [];
  const row = Object.fromEntries(
    names.map((name, index) => [name, cells[index]]).filter(([name]) => model.columns.includes(String(name))),
  );
  return JSON.stringify({ rows: [row] });
}

/**
 * Two serving processes on the same core, one with the prediction log and one without, and the
 * bare Node yardstick, measured in turn ROUNDS times (A B A B …, so a change in the machine's load
 * falls on all alike; the median run of each counts). The one without the log is measured twice a
 * round: with the database ballast (PostgreSQL doing the work the logged run just gave it: on this
 * machine a busy PostgreSQL slows the other core too, and in production it has a machine of its
 * own), which gives the log's cost, and with PostgreSQL idle. Then the fixed rate with the log.
 */
async function measureOurs(databaseUrl: string, model: BenchModel) {
  const logged = await startServing({ databaseUrl, port: 43_101, core: SERVER_CORE, predictionLog: 'on' });
  const unlogged = await startServing({ databaseUrl, port: 43_103, core: SERVER_CORE, predictionLog: 'off' });
  const bare = await startBareNode({ port: 43_104, core: SERVER_CORE });
  try {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${model.key}` };
    const body = await ourBody(model);
    const on = { url: `${logged.url}/api/v1/models/${model.name}/predict`, body, headers };
    const off = { url: `${unlogged.url}/api/v1/models/${model.name}/predict`, body, headers };
    console.log(`  one answer: ${(await checkAnswer(on.url, body, headers)).slice(0, 240)}`);
    await checkAnswer(off.url, body, headers);
    for (const target of [on, off]) await load(target, { seconds: warmupSeconds });
    const ballasted = (rowsPerSecond: number) =>
      startBallast({ url: databaseUrl, rowsPerSecond, inputs: model.columns.length, core: GENERATOR_CORE });
    const runs = {
      on: [] as LoadResult[],
      off: [] as LoadResult[],
      quiet: [] as LoadResult[],
      bare: [] as LoadResult[],
    };
    for (let round = 0; round < rounds; round++) {
      const withLog = await maxRun('Pipewright, log on', on, round);
      runs.on.push(withLog);
      const ballast = ballasted(withLog.rps);
      runs.off.push(await maxRun('Pipewright, log off, database ballast', off, round));
      await ballast.stop();
      runs.quiet.push(await maxRun('Pipewright, log off, database idle', off, round));
      runs.bare.push(await maxRun('bare Node http (yardstick)', { url: bare.url, body, headers }, round));
    }
    const onMax = medianRun(runs.on);
    const withLog = await atFixedRate('Pipewright, log on', on, onMax);
    // The same rate without the log, with the same database work: how much of the tail the log adds.
    const ballast = ballasted(withLog.fixedRate ?? 0);
    const withoutLogFixed = await load(off, { seconds, rate: withLog.fixedRate });
    await ballast.stop();
    console.log(line('Pipewright, log off, same fixed rate', withoutLogFixed, withLog.fixedRate));
    // The log's cost round by round (each pair measured a minute apart), then the median: the
    // machine's speed drifts over minutes, and a ratio of medians from different rounds mixes that in.
    const costs = runs.on.map((run, index) => 1 - run.rps / (runs.off[index]?.rps ?? Number.NaN));
    return {
      withLog,
      logCosts: costs,
      withoutLog: medianRun(runs.off),
      withoutLogQuiet: medianRun(runs.quiet),
      withoutLogFixed,
      bare: medianRun(runs.bare),
    };
  } finally {
    await logged.stop();
    await unlogged.stop();
    await bare.stop();
  }
}

async function measureMlflow(): Promise<Measured | undefined> {
  const python = benchPython();
  const available = mlflowAvailable(python);
  if ('missing' in available) {
    console.log(
      `\nMLflow peer skipped: ${available.missing}. To compare, make a venv with \`pip install mlflow scikit-learn pandas\` and set PIPEWRIGHT_BENCH_PYTHON to its python.`,
    );
    return undefined;
  }
  console.log(
    `\nMLflow peer (${available.versions}; mlflow models serve --workers 2, pinned to core ${SERVER_CORE}):`,
  );
  const server = await startMlflow(python, csv, 43_102, SERVER_CORE);
  try {
    const headers = { 'content-type': 'application/json' };
    const target = { url: server.url, body: server.body, headers };
    console.log(`  one answer: ${(await checkAnswer(server.url, server.body, headers)).slice(0, 240)}`);
    await load(target, { seconds: warmupSeconds });
    const runs: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) runs.push(await maxRun('MLflow', target, round));
    return await atFixedRate('MLflow', target, medianRun(runs));
  } finally {
    await server.stop();
  }
}

function ratio(value: number, goal: number, better: 'higher' | 'lower'): string {
  const met = better === 'higher' ? value >= goal : value <= goal;
  return met ? 'met' : 'NOT met';
}

console.log(
  `Serving benchmark: Node ${process.version}, ${availableParallelism()} cores; server on core ${SERVER_CORE}, generator (autocannon) and PostgreSQL (idle priority) on core ${GENERATOR_CORE}; single-row requests, ${connections} connections, ${seconds} s per measurement after ${warmupSeconds} s of warm-up`,
);
console.log(
  `load average at start: ${loadAverage()} (other work on this machine slows the server and the generator)`,
);
if (!servingExists()) {
  console.log(`The serving process (${servingMain}) is not in this checkout: nothing to measure.`);
  process.exit(1);
}

const bench = await openBenchDatabase();
// PostgreSQL shares the generator's core: in production it is a machine of its own, and on the
// server's core its work for the log would count against the server. At idle priority it takes
// only what the generator leaves, so it does not slow the generator that measures us (it keeps
// up: the log's rows are counted below).
bench.pinTo(GENERATOR_CORE, { idle: true });
try {
  console.error('training gradient boosting on breast_cancer…');
  const model = await trainAndRegister(bench.database, csv, 'breast-cancer');
  console.log(
    `\nModel: ${model.algorithm} on breast_cancer (${model.columns.length} columns), fitted in ${model.fitSeconds.toFixed(2)} s, version ${model.version} in production`,
  );
  console.log('\nPipewright (npm run serve: one process on one core):');
  const {
    withLog: ours,
    logCosts,
    withoutLog: unlogged,
    withoutLogQuiet,
    withoutLogFixed,
    bare,
  } = await measureOurs(bench.database.url, model);
  const [logged] = await bench.database.sql<
    { rows: number }[]
  >`select count(*)::int as rows from prediction_log`;
  console.log(`  prediction log rows written: ${logged?.rows ?? 0}`);
  console.error('measuring the prediction log inside one process…');
  const logMicros = await measureLogCost({
    databaseUrl: bench.database.url,
    core: SERVER_CORE,
    body: await ourBody(model),
    rate: ours.fixedRate ?? 5_000,
    seconds: 8,
    rounds: 3,
  });
  const mlflow = await measureMlflow();

  console.log('\nSummary');
  const oursFixed = ours.fixed;
  console.log(
    `  Pipewright: ${ours.max.rps.toFixed(0)} req/s max; at ${ours.fixedRate?.toFixed(0)} req/s p50 ${oursFixed?.p50.toFixed(2)} ms, p99 ${oursFixed?.p99.toFixed(2)} ms`,
  );
  console.log(
    `  bare Node http on the same core (parse the body, answer {}): ${bare.rps.toFixed(0)} req/s; serving does ${((ours.max.rps / bare.rps) * 100).toFixed(0)}% of that with the log, ${((unlogged.rps / bare.rps) * 100).toFixed(0)}% without`,
  );
  if (mlflow)
    console.log(
      `  MLflow:     ${mlflow.max.rps.toFixed(0)} req/s max; at ${mlflow.fixedRate?.toFixed(0)} req/s p50 ${mlflow.fixed?.p50.toFixed(2)} ms, p99 ${mlflow.fixed?.p99.toFixed(2)} ms`,
    );
  console.log('\nGoals');
  if (mlflow) {
    const speedup = ours.max.rps / mlflow.max.rps;
    console.log(
      `  requests/s vs MLflow: ${speedup.toFixed(1)} × (goal ≥ ${GOALS.speedup} ×: ${ratio(speedup, GOALS.speedup, 'higher')})`,
    );
    if (oursFixed && mlflow.fixed)
      console.log(
        `  p99 at 80% of max vs MLflow's at 80% of its max: ${(mlflow.fixed.p99 / oursFixed.p99).toFixed(1)} × lower`,
      );
  } else console.log('  requests/s vs MLflow: not measured (no MLflow)');
  if (oursFixed)
    console.log(
      `  p99 at 80% of our max: ${oursFixed.p99.toFixed(2)} ms = ${(oursFixed.p99 / GOALS.p99Ms).toFixed(2)} × the goal of ${GOALS.p99Ms} ms (${ratio(oursFixed.p99, GOALS.p99Ms, 'lower')}); without the log at the same rate ${withoutLogFixed.p99.toFixed(2)} ms`,
    );
  const logCost = median(logCosts);
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  console.log(
    `  prediction log cost: ${percent(logCost)} of throughput, the median of the rounds' ${logCosts.map(percent).join(', ')} (medians ${ours.max.rps.toFixed(0)} with vs ${unlogged.rps.toFixed(0)} req/s without, the database doing the same work in both; goal ≤ ${GOALS.logCost * 100}%: ${ratio(logCost, GOALS.logCost, 'lower')})`,
  );
  // The same cost from the other side: the log's CPU per prediction, measured in one process, next
  // to what a request costs serving without the log at its maximum with the database idle.
  const requestMicros = 1e6 / withoutLogQuiet.rps;
  const logMicrosMedian = median(logMicros);
  const derived = logMicrosMedian / (requestMicros + logMicrosMedian);
  console.log(
    `  the log's own cost, measured inside one process: ${logMicrosMedian.toFixed(1)} µs of CPU per prediction (rounds: ${logMicros.map((value) => value.toFixed(1)).join(', ')}) next to ${requestMicros.toFixed(1)} µs per request without it: ${percent(derived)} of throughput (goal ≤ ${GOALS.logCost * 100}%: ${ratio(derived, GOALS.logCost, 'lower')})`,
  );
  const slowdown = 1 - unlogged.rps / withoutLogQuiet.rps;
  console.log(
    `  on this machine a busy PostgreSQL on the other core slows serving too: without the log ${withoutLogQuiet.rps.toFixed(0)} req/s with the database idle, ${unlogged.rps.toFixed(0)} with it busy (${(slowdown * 100).toFixed(1)}% slower); counted with it, the log costs ${((1 - ours.max.rps / withoutLogQuiet.rps) * 100).toFixed(1)}%`,
  );
  console.log(`load average at end: ${loadAverage()}`);
} finally {
  await bench.close();
}
