/**
 * Batch scoring: `npm run bench:score [-- --rows 1000000 --rounds 3 --skip-peer]`
 *
 * Trains gradient boosting (100 trees of at most 31 leaves, no early stopping: the size of
 * scikit-learn's HistGradientBoostingClassifier defaults) on synth_100k's training rows with the real
 * nodes (ingest → clean → feature → train), ingests ROWS fresh synthetic rows (20 numbers, 2
 * categories, missing values), then runs the Batch score step on them ROUNDS times, each in a
 * process of its own (score-step.ts): rows/s of the scoring phase (reading the rows, the ONNX graph
 * with its transforms, keeping the answers) and of the whole step (also writing the scored Parquet
 * and its profile), and peak RSS.
 *
 * When Python with scikit-learn, pandas and pyarrow is found (PIPEWRIGHT_BENCH_PYTHON, else
 * /work/.venv-bench/bin/python, else python3), score_peer.py fits the same-size
 * HistGradientBoostingClassifier on the same training rows and times predict_proba over the same
 * rows, in memory. Goal (issue 17): at least 1.0× scikit-learn's rate. Figures are printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { nodeRuns } from '../../nodes/runs';
import { closeTrainingPool } from '../../nodes/train/fit-pool';
import { NodeHarness } from '../../tests/support/node-harness';
import { findBenchPython, numpyPeerEnv } from './bench-python';
import { writeSyntheticCsv } from './synthetic-csv';
import { prepareSet } from './train-data';
import { prepareData } from './train-ours';
import { median } from './train-stats';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    'skip-peer': { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const rounds = Math.max(1, Number(values.rounds));
const projectDir = path.resolve(import.meta.dirname, '..', '..');
const cacheDir = path.join(projectDir, '.data', 'bench');
mkdirSync(cacheDir, { recursive: true });

const stepSchema = z.object({
  rows: z.number(),
  scoreSeconds: z.number(),
  stepSeconds: z.number(),
  peakRssMb: z.number(),
});
const peerSchema = z.object({
  rows: z.number(),
  seconds: z.array(z.number()),
  fitSeconds: z.number(),
  meanProbability: z.number(),
  trees: z.number(),
  peakRssMb: z.number(),
  versions: z.string(),
});

const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en');

console.log(
  `Batch scoring benchmark: ${rows.toLocaleString('en')} rows × 22 columns, gradient boosting of 100 trees (≤ 31 leaves); ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
const set = await prepareSet('synth_100k', projectDir, cacheDir, 42);
const scoreCsv = path.join(cacheDir, `score-${rows}-7.csv`);
if (!existsSync(scoreCsv)) await writeSyntheticCsv(scoreCsv, rows, 7);

const harness = new NodeHarness(cacheDir);
try {
  const prepared = await prepareData(harness, set, false);
  const trained = await harness.run(
    nodeRuns.train,
    { target: set.target, task: 'classification', algorithm: 'gradient_boosting', earlyStopping: 'off' },
    { data: prepared.plain },
  );
  await closeTrainingPool();
  const model = trained.outputs.model;
  if (!model) throw new Error('train gave no model');
  const uploads = path.join(harness.dataDir, 'uploads');
  mkdirSync(uploads, { recursive: true });
  linkSync(scoreCsv, path.join(uploads, 'score.csv'));
  const ingested = await harness.run(nodeRuns.ingest, { source: 'file', file: 'uploads/score.csv' });
  const data = ingested.outputs.data;
  if (!data) throw new Error('ingest gave no data');

  const steps = Array.from({ length: rounds }, () => {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'score-step.ts'), JSON.stringify({ data, model })],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) throw new Error(`the score step failed: ${child.stderr}`);
    return stepSchema.parse(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}'));
  });
  const short = steps.find((step) => step.rows !== rows);
  if (short) throw new Error(`the score step scored ${short.rows} rows of ${rows}`);
  const scoring = median(steps.map((step) => step.scoreSeconds));
  const whole = median(steps.map((step) => step.stepSeconds));
  console.log(
    `\nPipewright (Node ${process.version}, onnxruntime-node; each round a process of its own)   median of ${rounds}`,
  );
  console.log(
    `  scoring phase (read Parquet, graph, keep answers)   ${scoring.toFixed(2)} s   ${rate(rows, scoring)} rows/s`,
  );
  console.log(
    `  whole step (+ scored Parquet and its profile)       ${whole.toFixed(2)} s   ${rate(rows, whole)} rows/s`,
  );
  console.log(
    `  peak RSS of the step's process                      ${Math.max(...steps.map((step) => step.peakRssMb)).toFixed(0)} MB`,
  );

  const python = values['skip-peer'] ? null : findBenchPython();
  if (values['skip-peer']) console.log('\nscikit-learn peer skipped (--skip-peer).');
  else if (!python) {
    console.log(
      '\nscikit-learn peer skipped: no Python found (set PIPEWRIGHT_BENCH_PYTHON to a venv with scikit-learn, pandas, pyarrow).',
    );
  } else {
    const env = numpyPeerEnv();
    const peer = spawnSync(
      python,
      [
        path.join(import.meta.dirname, 'score_peer.py'),
        '--train',
        set.train,
        '--target',
        set.target,
        '--score',
        scoreCsv,
        '--repeat',
        String(rounds),
      ],
      { encoding: 'utf8', env, maxBuffer: 1 << 20 },
    );
    if (peer.status !== 0) {
      console.log(`\nscikit-learn peer failed: ${peer.stderr.trim().split('\n').at(-1)}`);
    } else {
      const result = peerSchema.parse(JSON.parse(peer.stdout.trim().split('\n').at(-1) ?? '{}'));
      const theirs = median(result.seconds);
      console.log(
        `\nscikit-learn peer (${result.versions}; HistGradientBoostingClassifier, ${result.trees} trees, rows in memory)`,
      );
      console.log(
        `  predict_proba                                       ${theirs.toFixed(2)} s   ${rate(result.rows, theirs)} rows/s`,
      );
      console.log(`  peak RSS                                            ${result.peakRssMb.toFixed(0)} MB`);
      console.log(
        `\nRatio (our rate / scikit-learn's; above 1 means we are faster): scoring phase ${(theirs / scoring).toFixed(2)} ×, whole step ${(theirs / whole).toFixed(2)} ×. Goal: ≥ 1.0 × (${theirs / scoring >= 1 ? 'met' : 'NOT met'} by the scoring phase).`,
      );
    }
  }
} finally {
  harness.cleanup();
}
