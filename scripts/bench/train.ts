/**
 * Training: `npx tsx scripts/bench/train.ts [--sets iris,breast_cancer,diabetes,synth_100k,synth_1m]
 *   [--algos hgb,rf,tree,linear] [--full] [--repeat 3]`
 *
 * For each dataset and algorithm: fit time (the train node's own figure), prediction time,
 * single-row latency of the exported ONNX graph in onnxruntime-node, and the evaluate node's test
 * metrics; then ../shared/bench/sklearn_ref.py on the same split, and the ratios. Goals: gradient
 * boosting fits in ≤ 1.0 × HistGradientBoostingClassifier's time with ROC AUC within 0.005; random
 * forest in ≤ 1.0 × RandomForestClassifier(n_jobs=2); logistic regression accuracy within half a point.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { closeTrainingPool } from '../../nodes/train/fit-pool';
import { NodeHarness } from '../../tests/support/node-harness';
import { algoInfo, benchAlgos } from './train-algos';
import { type PreparedSet, prepareSet, type SetName, setNames } from './train-data';
import { prepareData, trainAndMeasure } from './train-ours';
import { type AlgoOutcome, printGoals, printSet, type SetOutcome } from './train-report';
import { runSklearn, sklearnMissing } from './train-sklearn';

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: setNames.join(',') },
    algos: { type: 'string', default: benchAlgos.join(',') },
    full: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '3' },
    seed: { type: 'string', default: '42' },
  },
});
const sets = pickList(values.sets, setNames, '--sets');
const algos = pickList(values.algos, benchAlgos, '--algos');
const repeat = Math.max(1, Number(values.repeat));
const seed = Number(values.seed);
const projectDir = path.resolve(import.meta.dirname, '..', '..');
const cacheDir = path.join(projectDir, '.data', 'bench');
mkdirSync(cacheDir, { recursive: true });
// Beside the main checkout by default; PIPEWRIGHT_SKLEARN_REF names it when run from elsewhere (a worktree).
const sklearnScript =
  process.env.PIPEWRIGHT_SKLEARN_REF ?? path.resolve(projectDir, '..', 'shared', 'bench', 'sklearn_ref.py');
const sklearnProblem = sklearnMissing(sklearnScript);

console.log(
  `Training benchmark: Node ${process.version}, ${availableParallelism()} cores; fits repeated up to ${repeat}× (once on 1M rows or when over 30 s), median shown`,
);
// Other work on a shared machine slows both sides unevenly: the load says how far to trust ratios.
let busiest = 0;
console.log(`load average at start: ${loadAverage()}`);
if (sklearnProblem)
  console.log(
    `scikit-learn reference skipped (${sklearnProblem}). To compare, install it: pip install scikit-learn pandas`,
  );

const outcomes: SetOutcome[] = [];
try {
  for (const name of sets) {
    const outcome = await benchmarkSet(name);
    printSet(outcome);
    outcomes.push(outcome);
  }
  const version = outcomes.flatMap((o) => o.algos).find((a) => a.sklearn)?.sklearn?.versions;
  if (version) console.log(`\nscikit-learn ${version.sklearn}, Python ${version.python}`);
  printGoals(outcomes);
  console.log(`load average at end: ${loadAverage()}`);
  warnIfBusy();
} finally {
  // The training threads would keep the process alive for their 30 s idle timeout.
  await closeTrainingPool();
}

async function benchmarkSet(name: SetName): Promise<SetOutcome> {
  console.error(`${name}: preparing the split…`);
  const set = await prepareSet(name, projectDir, cacheDir, seed);
  // One fit of a 1M-row set is long enough to be stable, and sklearn's forest there takes ~450 s (ours ~660 s).
  const times = set.trainRows > 500_000 ? 1 : repeat;
  const chosen = algos.filter(
    (algo) => values.full || name !== 'synth_1m' || algo === 'hgb' || algo === 'linear',
  );
  if (chosen.length < algos.length)
    console.error(`${name}: skipping random forest and decision tree (add --full to run them)`);
  const outcomes: AlgoOutcome[] = chosen.map((algo) => ({ algo }));
  // A harness per dataset, so the 1M set's intermediate files go once it is done.
  const harness = new NodeHarness(cacheDir);
  let seconds = { ingest: 0, clean: 0, feature: 0 };
  try {
    console.error(`${name}: ingest, clean, feature…`);
    const data = await prepareData(harness, set, chosen.includes('linear'));
    seconds = data.seconds;
    for (const outcome of outcomes) {
      console.error(`${name}: Pipewright ${outcome.algo}… (load ${loadAverage()})`);
      try {
        outcome.ours = await trainAndMeasure(harness, set, data, algoInfo[outcome.algo].algorithm, times);
      } catch (error) {
        outcome.oursError = error instanceof Error ? error.message : String(error);
      }
    }
  } finally {
    harness.cleanup();
  }
  // After ours, never beside it (both sides use both cores), with as many fits as ours got.
  if (!sklearnProblem)
    for (const outcome of outcomes) runReference(set, outcome, outcome.ours?.fits ?? times);
  return { set, seconds, algos: outcomes };
}

function runReference(set: PreparedSet, outcome: AlgoOutcome, times: number): void {
  const algo = algoInfo[outcome.algo].sklearn(set.task);
  console.error(`${set.name}: scikit-learn ${algo}… (load ${loadAverage()})`);
  try {
    outcome.sklearn = runSklearn(sklearnScript, set, algo, times);
  } catch (error) {
    outcome.sklearnError = error instanceof Error ? error.message : String(error);
  }
}

function pickList<T extends string>(text: string, allowed: readonly T[], option: string): T[] {
  const picked = text.split(',').map((item) => item.trim());
  const unknown = picked.filter((item) => !allowed.some((known) => known === item));
  if (unknown.length)
    throw new Error(`${option}: unknown ${unknown.join(', ')} (choose from ${allowed.join(', ')})`);
  // In the benchmark's own order, whatever order they were given in.
  return allowed.filter((item) => picked.includes(item));
}

/**
 * scikit-learn's HistGradientBoosting runs OpenMP threads that wait on each other at every
 * histogram: when other processes hold the cores, it slows several times over (19 s instead of 3 s
 * for synth_100k, seen on a machine at load 3.5). Ours waits for its helper thread at each shared
 * step of a large fit too. A busy machine slows the two sides unevenly, so the ratios are only
 * worth quoting from an idle one.
 */
function warnIfBusy(): void {
  if (sklearnProblem || busiest <= availableParallelism()) return;
  console.log(
    `warning: the load average reached ${busiest.toFixed(1)} on ${availableParallelism()} cores during the run. Other processes competed for the CPU, which slows multi-threaded fits (ours and scikit-learn's) unevenly. Re-run on an idle machine before trusting the ratios.`,
  );
}

function loadAverage(): string {
  busiest = Math.max(busiest, loadavg()[0] ?? 0);
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
}
