/**
 * Monitoring: `npm run bench:monitor [-- --current 1000000 --reference 100000 --rounds 5]`
 *
 * Seeds a scratch embedded PostgreSQL with one model's prediction log: a reference window of
 * REFERENCE rows and a current window of CURRENT rows, 16 numeric and 4 categorical inputs each,
 * 1 % missing, half of the features shifted in the current window (monitor-seed.ts). Then, ROUNDS
 * times: (a) reads both windows into columns with readLoggedColumns (binary COPY, two parts per
 * window, as the product reads), (b) computes every feature's drift with ml/drift (references prepared, i.e.
 * sorted and binned, inside the timing) and the dataset verdict, (c) the total; prints median, min
 * and max, and peak RSS.
 *
 * When Python with numpy, scipy, pandas and pyarrow is found (PIPEWRIGHT_BENCH_PYTHON, else
 * /work/.venv-bench/bin/python, else python3), the same statistics with numpy + scipy
 * (monitor_peer.py) on the same rows, which the bench exports to CSV files: its time to read the
 * CSVs and its time for the statistics are printed apart, the ratios against ours, and the largest
 * difference between the two sides' statistics. Goal (issue 16): drift over 1,000,000 logged
 * predictions × 20 features in ≤ 5 s. Figures are printed, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Sql } from '../../db/client';
import { type LoggedColumn, readLoggedColumns } from '../../db/queries/logged-columns';
import { categoricalFeatureDrift, datasetDrift, type FeatureDrift, featureDrift } from '../../ml/drift';
import { findBenchPython } from './bench-python';
import { openBenchDatabase } from './harness';
import { comparePeer, type PeerResult, runPeer } from './monitor-peer';
import { type BenchWindows, benchInputs, exportWindowCsv, seedMonitorLog } from './monitor-seed';

const { values } = parseArgs({
  options: {
    current: { type: 'string', default: '1000000' },
    reference: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
  },
});
const currentRows = Number(values.current);
const referenceRows = Number(values.reference);
const rounds = Math.max(1, Number(values.rounds));
const GOAL_SECONDS = 5;
const signature = { inputs: benchInputs, task: 'classification' } as const;

interface Round {
  read: number;
  drift: number;
  total: number;
  /** This process's CPU seconds (user + system) for the round: on a shared machine the wall clock also counts waiting for a core. */
  cpu: number;
}

const seconds = (from: number) => (performance.now() - from) / 1000;
const s = (value: number) => `${value.toFixed(2)} s`;

function summary(times: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? Number.NaN)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}

function row(label: string, times: readonly number[]): string {
  const { median, min, max } = summary(times);
  return `  ${label.padEnd(44)} ${s(median).padStart(8)} ${s(min).padStart(8)} ${s(max).padStart(8)}`;
}

function drift(reference: Map<string, LoggedColumn>, current: Map<string, LoggedColumn>): FeatureDrift[] {
  return benchInputs.map((input) => {
    const a = reference.get(input.name);
    const b = current.get(input.name);
    if (!a || !b) throw new Error(`No column ${input.name}`);
    if (a instanceof Float64Array || b instanceof Float64Array) return featureDrift(a, b);
    return categoricalFeatureDrift(a, b);
  });
}

async function oneRound(
  sql: Sql,
  windows: BenchWindows,
): Promise<{ round: Round; features: FeatureDrift[] }> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const reference = await readLoggedColumns(sql, {
    modelId: windows.modelId,
    ...windows.reference,
    signature,
  });
  const current = await readLoggedColumns(sql, { modelId: windows.modelId, ...windows.current, signature });
  if (current.rows !== currentRows || reference.rows !== referenceRows)
    throw new Error(`Read ${current.rows} current and ${reference.rows} reference rows`);
  const read = seconds(started);
  const drifting = performance.now();
  const features = drift(reference.columns, current.columns);
  datasetDrift(features);
  const driftSeconds = seconds(drifting);
  const cpu = process.cpuUsage(cpuStarted);
  return {
    round: { read, drift: driftSeconds, total: seconds(started), cpu: (cpu.user + cpu.system) / 1e6 },
    features,
  };
}

const bench = await openBenchDatabase();
const { sql } = bench.database;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'pipewright-monitor-bench-'));
try {
  console.log(
    `Monitoring benchmark: drift of ${benchInputs.length} features (16 numeric, 4 categorical) over ${currentRows.toLocaleString('en')} logged predictions against a ${referenceRows.toLocaleString('en')}-row reference, ${rounds} rounds; ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
  const seeding = performance.now();
  const windows = await seedMonitorLog(sql, currentRows, referenceRows);
  console.log(
    `seeded ${(currentRows + referenceRows).toLocaleString('en')} log rows in ${s(seconds(seeding))}`,
  );

  // A warm-up round: PostgreSQL's buffers and V8's compiled code, as a running worker has them.
  let last = await oneRound(sql, windows);
  const measured: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    last = await oneRound(sql, windows);
    measured.push(last.round);
  }
  const peakRss = process.resourceUsage().maxRSS / 1024;
  const alerts = last.features.filter((feature) => feature.state === 'alert').length;
  const verdict = datasetDrift(last.features);

  console.log(
    `\nPipewright (Node ${process.version}, one thread; PostgreSQL in its own process)   median      min      max`,
  );
  console.log(
    row(
      '(a) read both windows into columns',
      measured.map((each) => each.read),
    ),
  );
  console.log(
    row(
      '(b) drift, 20 features + dataset verdict',
      measured.map((each) => each.drift),
    ),
  );
  console.log(
    row(
      '(c) total',
      measured.map((each) => each.total),
    ),
  );
  console.log(
    row(
      '(c) as CPU time of this process (not PostgreSQL)',
      measured.map((each) => each.cpu),
    ),
  );
  console.log(
    `  peak RSS ${peakRss.toFixed(0)} MB; ${alerts} features in alert, dataset drifted: ${verdict.drifted}`,
  );
  const total = summary(measured.map((each) => each.total)).median;
  console.log(
    `\nGoal: ≤ ${GOAL_SECONDS} s for reading and drift. Median total ${s(total)}: ${(total / GOAL_SECONDS).toFixed(2)} × the goal (${total <= GOAL_SECONDS ? 'met' : 'NOT met'}).`,
  );

  const python = findBenchPython();
  if (!python) {
    console.log(
      '\nnumpy/scipy peer skipped: no Python found (set PIPEWRIGHT_BENCH_PYTHON to a venv with numpy, scipy, pandas, pyarrow).',
    );
  } else {
    const referenceCsv = path.join(scratch, 'reference.csv');
    const currentCsv = path.join(scratch, 'current.csv');
    await exportWindowCsv(sql, windows.modelId, windows.reference, referenceCsv);
    await exportWindowCsv(sql, windows.modelId, windows.current, currentCsv);
    const peer = runPeer(python, referenceCsv, currentCsv, rounds);
    if ('skipped' in peer) console.log(`\nnumpy/scipy peer skipped: ${peer.skipped}`);
    else printPeer(peer, measured, last.features);
  }
  console.log(
    `\nload average at the end: ${os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
  await bench.close();
}

function printPeer(peer: PeerResult, measured: readonly Round[], features: readonly FeatureDrift[]): void {
  const read = peer.readSeconds;
  const stats = peer.statsSeconds;
  const totals = read.map((value, index) => value + (stats[index] ?? Number.NaN));
  console.log(
    `\nnumpy/scipy peer (${peer.versions}; same rows from CSV files)          median      min      max`,
  );
  console.log(row('(a) read both CSV files (pandas, pyarrow engine)', read));
  console.log(row('(b) the same statistics', stats));
  console.log(row('(c) total', totals));
  console.log(`  peak RSS ${peer.peakRssMb.toFixed(0)} MB`);
  const ours = (pick: (each: Round) => number) => summary(measured.map(pick)).median;
  const ratio = (theirs: number, mine: number) => `${(theirs / mine).toFixed(2)} ×`;
  console.log(
    `\nRatios (peer median / ours; above 1 means we are faster): statistics ${ratio(
      summary(stats).median,
      ours((each) => each.drift),
    )}; total ${ratio(
      summary(totals).median,
      ours((each) => each.total),
    )} (ours reads PostgreSQL, the peer reads CSV files)`,
  );
  const differences = comparePeer(peer, features, benchInputs);
  console.log('Agreement (largest absolute difference over the 20 features):');
  for (const [statistic, difference] of differences)
    console.log(`  ${statistic.padEnd(28)} ${difference.toExponential(2)}`);
}
