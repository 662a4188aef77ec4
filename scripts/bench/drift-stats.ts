/**
 * Drift statistics alone, in memory: `npx tsx scripts/bench/drift-stats.ts [-- --current 1000000
 * --reference 100000 --features 20]`
 *
 * A micro-measure of ml/drift for issue 16's goal (drift over 1,000,000 logged predictions × 20
 * features in <= 5 s): random normal columns, half of the features shifted, each feature's full
 * summary (PSI and its decile bins, KS with p-value, Jensen–Shannon, Wasserstein, missing rate) on
 * one thread, plus the dataset verdict. Prints the time with the reference prepared inside the
 * loop (sorted and binned each check) and with references prepared once beforehand (as a monitor
 * can keep them), wall clock and CPU time. Figures are printed, never asserted. Not the issue's bench:monitor, which also
 * reads the logged rows.
 */
import { parseArgs } from 'node:util';
import { datasetDrift } from '../../ml/drift/dataset-drift';
import { numericFeatureDrift } from '../../ml/drift/numeric-drift';
import { prepareNumericReference } from '../../ml/drift/numeric-reference';
import { seededRandom } from '../../ml/random';

const { values } = parseArgs({
  options: {
    current: { type: 'string', default: '1000000' },
    reference: { type: 'string', default: '100000' },
    features: { type: 'string', default: '20' },
  },
});
const currentRows = Number(values.current);
const referenceRows = Number(values.reference);
const featureCount = Number(values.features);

/** Normal values by Box–Muller, 1 in 200 missing. */
function normalColumn(n: number, seed: number, shift: number): Float64Array {
  const random = seededRandom(seed);
  const column = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - random();
    column[i] =
      i % 200 === 0 ? Number.NaN : Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random()) + shift;
  }
  return column;
}

const references = Array.from({ length: featureCount }, (_, f) => normalColumn(referenceRows, 1000 + f, 0));
const currents = Array.from({ length: featureCount }, (_, f) =>
  normalColumn(currentRows, 2000 + f, f % 2 === 0 ? 0.5 : 0),
);

function run(label: string, prepareEachTime: boolean): void {
  const prepared = prepareEachTime ? null : references.map((column) => prepareNumericReference(column));
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const features = currents.map((current, f) =>
    numericFeatureDrift(
      prepared?.[f] ?? prepareNumericReference(references[f] ?? new Float64Array(0)),
      current,
    ),
  );
  const verdict = datasetDrift(features);
  const seconds = (performance.now() - started) / 1000;
  // CPU time too: on a shared machine the wall clock also counts time spent waiting for a core.
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const alerts = features.filter((feature) => feature.state === 'alert').length;
  console.log(
    `${label}: ${seconds.toFixed(2)} s (${cpuSeconds.toFixed(2)} s CPU) for ${featureCount} features × ${currentRows.toLocaleString('en')} current` +
      ` + ${referenceRows.toLocaleString('en')} reference rows (${alerts} in alert, dataset drifted: ${verdict.drifted})`,
  );
}

run('warm-up', true);
run('reference prepared in the loop', true);
run('reference prepared once beforehand', false);
