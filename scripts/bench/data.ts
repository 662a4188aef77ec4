/**
 * Data preparation on a synthetic CSV: `npx tsx scripts/bench/data.ts [--rows 1000000]`
 *
 * Times ingest, clean (impute, filter), feature (standardise, one-hot) and split with the real node
 * functions in this process, then ../shared/bench/pandas_ref.py doing the same work on the same file
 * when Python with pandas and pyarrow is installed, and prints the ratio. Goal: at most half of
 * pandas' time, peak memory under 1.5 GB.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ArtifactRef } from '../../nodes/_kit/artifact-ref';
import { nodeRuns } from '../../nodes/runs';
import { NodeHarness } from '../../tests/support/node-harness';
import { findBenchPython, numpyPeerEnv } from './bench-python';
import { writeSyntheticCsv } from './synthetic-csv';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '42' } },
});
const rows = Number(values.rows);
const projectDir = path.resolve(import.meta.dirname, '..', '..');
const cacheDir = path.join(projectDir, '.data', 'bench');
mkdirSync(cacheDir, { recursive: true });
// Inside the cache folder, so the CSV can be hard-linked into its uploads rather than copied.
const harness = new NodeHarness(cacheDir);
const pandasScript = path.resolve(projectDir, '..', 'shared', 'bench', 'pandas_ref.py');

try {
  const csv = path.join(cacheDir, `synth-${rows}-${values.seed}.csv`);
  if (!existsSync(csv)) {
    console.error(`writing ${rows.toLocaleString()} synthetic rows to ${csv}…`);
    await writeSyntheticCsv(`${csv}.tmp`, rows, Number(values.seed));
    renameSync(`${csv}.tmp`, csv);
  }
  mkdirSync(path.join(harness.dataDir, 'uploads'), { recursive: true });
  linkSync(csv, path.join(harness.dataDir, 'uploads', 'synth.csv'));

  const timings: Record<string, number> = {};
  const timed = async (name: string, work: () => Promise<ArtifactRef | undefined>) => {
    const started = performance.now();
    const ref = await work();
    timings[name] = (performance.now() - started) / 1000;
    if (!ref) throw new Error(`${name} gave no output`);
    return ref;
  };
  const ingested = await timed(
    'ingest',
    async () =>
      (await harness.run(nodeRuns.ingest, { source: 'file', file: 'uploads/synth.csv' })).outputs.data,
  );
  const cleaned = await timed(
    'clean',
    async () =>
      (
        await harness.run(
          nodeRuns.clean,
          {
            operations: [
              { op: 'impute', columns: ['num_03', 'num_07'], strategy: 'mean' },
              { op: 'impute', columns: ['cat_b'], strategy: 'most_frequent' },
              { op: 'filter', condition: { column: 'num_00', operator: '>', value: -4 } },
            ],
          },
          { data: ingested },
        )
      ).outputs.data,
  );
  const featured = await timed(
    'feature',
    async () =>
      (
        await harness.run(
          nodeRuns.feature,
          {
            operations: [
              { op: 'standardize', columns: { byType: 'numeric', except: ['target'] } },
              { op: 'one_hot', columns: ['cat_a', 'cat_b'], topK: 50 },
            ],
          },
          { data: cleaned },
        )
      ).outputs.data,
  );
  await timed(
    'split',
    async () =>
      (
        await harness.run(
          nodeRuns.split,
          { method: 'random', testFraction: 0.2, seed: 42 },
          { data: featured },
        )
      ).outputs.data,
  );
  const total = Object.values(timings).reduce((sum, seconds) => sum + seconds, 0);
  const peakMb = process.resourceUsage().maxRSS / 1024;

  console.log(`\nPipewright, ${rows.toLocaleString()} rows (node functions in-process, DuckDB)`);
  for (const [name, seconds] of Object.entries(timings))
    console.log(`  ${name.padEnd(8)} ${seconds.toFixed(2)} s`);
  console.log(`  total    ${total.toFixed(2)} s  (${Math.round(rows / total).toLocaleString()} rows/s)`);
  console.log(`  peak RSS ${peakMb.toFixed(0)} MB (goal < 1536 MB)`);

  const pandas = runPandas(csv);
  if (!pandas) {
    console.log('\npandas reference skipped: install Python with `pip install pandas pyarrow` to compare.');
  } else {
    console.log(
      `\npandas ${pandas.pandas}: ingest ${pandas.ingest_s.toFixed(2)} s, clean ${pandas.clean_s.toFixed(2)} s, feature ${pandas.feature_s.toFixed(2)} s, split+write ${pandas.split_write_s.toFixed(2)} s`,
    );
    console.log(`  total    ${pandas.total_s.toFixed(2)} s, peak RSS ${pandas.peak_rss_mb.toFixed(0)} MB`);
    console.log(
      `\nratio Pipewright/pandas: time ${(total / pandas.total_s).toFixed(2)} (goal ≤ 0.5), memory ${(peakMb / pandas.peak_rss_mb).toFixed(2)}`,
    );
  }
} finally {
  harness.cleanup();
}

interface PandasResult {
  ingest_s: number;
  clean_s: number;
  feature_s: number;
  split_write_s: number;
  total_s: number;
  peak_rss_mb: number;
  pandas: string;
}

function runPandas(csv: string): PandasResult | undefined {
  if (!existsSync(pandasScript)) return undefined;
  const python = findBenchPython();
  if (!python) return undefined;
  const env = numpyPeerEnv();
  const check = spawnSync(python, ['-c', 'import pandas, pyarrow'], { stdio: 'ignore', env });
  if (check.status !== 0) return undefined;
  const out = path.join(harness.dataDir, 'pandas-out');
  const result = spawnSync(python, [pandasScript, '--csv', csv, '--out', out], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env,
  });
  if (result.status !== 0) throw new Error(`pandas_ref.py failed: ${result.stderr}`);
  const parsed: PandasResult = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
  return parsed;
}
