import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  type WriteStream,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { seededRandom } from '../../ml/random';
import { writeSyntheticCsv } from './synthetic-csv';

/** The datasets the training benchmark knows, in the order it runs them (small first). */
export const setNames = ['iris', 'breast_cancer', 'diabetes', 'synth_100k', 'synth_1m'] as const;
export type SetName = (typeof setNames)[number];

export interface BenchSet {
  name: SetName;
  target: string;
  task: 'classification' | 'regression';
}

/** A dataset split once, written so that both sides read exactly the same rows. */
export interface PreparedSet extends BenchSet {
  /** All rows with a `_split` column (train/test): what the ingest node reads. */
  combined: string;
  /** The same rows without `_split`, for sklearn_ref.py. */
  train: string;
  test: string;
  trainRows: number;
  testRows: number;
}

const SYNTHETIC_ROWS: Partial<Record<SetName, number>> = { synth_100k: 100_000, synth_1m: 1_000_000 };
const TEST_FRACTION = 0.2;

export function benchSet(name: SetName): BenchSet {
  return { name, target: 'target', task: name === 'diabetes' ? 'regression' : 'classification' };
}

/**
 * Writes (or reuses) the split files of a dataset under `cacheDir/train-split/<name>/`. Bundled sets
 * take the fixed test rows of tests/fixtures/splits (the ones the scikit-learn reference figures
 * used); synthetic sets a seeded random 20%. Synthetic files are large, so they are kept between runs.
 */
export async function prepareSet(
  name: SetName,
  projectDir: string,
  cacheDir: string,
  seed: number,
): Promise<PreparedSet> {
  const synthetic = SYNTHETIC_ROWS[name];
  const dir = path.join(cacheDir, 'train-split', synthetic ? `${name}-${seed}` : name);
  mkdirSync(dir, { recursive: true });
  const files = {
    combined: path.join(dir, 'data.csv'),
    train: path.join(dir, 'train.csv'),
    test: path.join(dir, 'test.csv'),
  };
  let source: string;
  let isTest: (row: number) => boolean;
  if (synthetic) {
    source = await syntheticCsv(cacheDir, synthetic, seed);
    isTest = randomTestRows(synthetic, TEST_FRACTION, seed);
  } else {
    source = path.join(projectDir, 'nodes', 'ingest', 'samples', `${name}.csv`);
    const fixed = await fixedTestRows(
      path.join(projectDir, 'tests', 'fixtures', 'splits', `${name}_test_idx.txt`),
    );
    isTest = (row) => fixed.has(row);
  }
  const counts = await writeSplitFiles(source, files, isTest, Boolean(synthetic));
  return { ...benchSet(name), ...files, ...counts };
}

/** The synthetic CSV of data.ts (same name, same cache), generated on first use. */
async function syntheticCsv(cacheDir: string, rows: number, seed: number): Promise<string> {
  const csv = path.join(cacheDir, `synth-${rows}-${seed}.csv`);
  if (!existsSync(csv)) {
    console.error(`writing ${rows.toLocaleString()} synthetic rows to ${csv}…`);
    await writeSyntheticCsv(`${csv}.tmp`, rows, seed);
    renameSync(`${csv}.tmp`, csv);
  }
  return csv;
}

/** 0-based data-row indices, one per line. */
async function fixedTestRows(file: string): Promise<Set<number>> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  return new Set(lines.map(Number));
}

/** Exactly round(rows × fraction) test rows, chosen by a seeded partial Fisher–Yates shuffle. */
function randomTestRows(rows: number, fraction: number, seed: number): (row: number) => boolean {
  const random = seededRandom(seed);
  const order = Int32Array.from({ length: rows }, (_, index) => index);
  const count = Math.round(rows * fraction);
  const test = new Uint8Array(rows);
  for (let index = 0; index < count; index++) {
    const pick = index + Math.floor(random() * (rows - index));
    const chosen = order[pick] ?? 0;
    order[pick] = order[index] ?? 0;
    order[index] = chosen;
    test[chosen] = 1;
  }
  return (row) => test[row] === 1;
}

/**
 * Streams the source CSV line by line into the three files. Lines are copied, not parsed: the
 * benchmark CSVs hold plain numbers and words, no quoted fields with commas or line breaks.
 * `reuse`: keep files an earlier run wrote (the split depends only on the source and the seed).
 */
async function writeSplitFiles(
  source: string,
  files: { combined: string; train: string; test: string },
  isTest: (row: number) => boolean,
  reuse: boolean,
): Promise<{ trainRows: number; testRows: number }> {
  const done = `${files.combined}.counts.json`;
  if (reuse && existsSync(done)) return JSON.parse(await readFile(done, 'utf8'));
  const combined = createWriteStream(files.combined);
  const train = createWriteStream(files.train);
  const test = createWriteStream(files.test);
  const counts = { trainRows: 0, testRows: 0 };
  let row = -1;
  for await (const line of createInterface({ input: createReadStream(source), crlfDelay: Infinity })) {
    if (line === '') continue;
    if (row === -1) {
      await write(combined, `${line},_split\n`);
      await write(train, `${line}\n`);
      await write(test, `${line}\n`);
    } else if (isTest(row)) {
      counts.testRows++;
      await write(combined, `${line},test\n`);
      await write(test, `${line}\n`);
    } else {
      counts.trainRows++;
      await write(combined, `${line},train\n`);
      await write(train, `${line}\n`);
    }
    row++;
  }
  await Promise.all([combined, train, test].map(close));
  if (reuse) {
    const stream = createWriteStream(done);
    stream.end(JSON.stringify(counts));
    await once(stream, 'finish');
  }
  return counts;
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}
