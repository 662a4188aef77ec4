import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { SPLIT_COLUMN } from '../../nodes/_data/dataset-schema';
import { Duck } from '../../nodes/_data/duck';
import { quoteIdent } from '../../nodes/_data/sql';
import type { ModelArtifact } from '../../nodes/_model/model-artifact';
import { median } from './train-stats';

const WARM_UP_RUNS = 20;
const TIMED_RUNS = 200;

export interface OnnxMeasure {
  /** Median latency of one row through onnxruntime-node (raw columns in, prediction out). */
  oneRowMs: number;
  /** All test rows in one run. */
  batchSeconds: number;
  /** Largest difference between the graph's output and predictModel on the same test rows. */
  maxDifference: number;
}

type Kind = 'number' | 'string';

/**
 * Serves the exported model as a deployment would: raw columns in, one [N, 1] tensor each (double,
 * or string for text). The raw test rows come from the ingested dataset, so the graph's own
 * transforms (impute, one-hot, scaling) are part of what is timed and checked.
 */
export async function measureOnnx(
  onnxFile: string,
  ingestedFile: string,
  expected: Float64Array,
  model: ModelArtifact,
): Promise<OnnxMeasure> {
  const bytes = await readFile(onnxFile);
  const session = await ort.InferenceSession.create(bytes);
  try {
    const kinds = inputKinds(session);
    const columns = await rawTestColumns(ingestedFile, kinds);
    const output = model.task === 'classification' ? 'probabilities' : 'value';

    const started = performance.now();
    const batch = await session.run(feedsOf(columns, kinds, 0, Number.POSITIVE_INFINITY));
    const batchSeconds = (performance.now() - started) / 1000;
    const values = batch[output]?.data;
    if (!values) throw new Error(`the ONNX graph has no output "${output}"`);
    const maxDifference =
      values.length === expected.length
        ? Array.from(values as ArrayLike<number>).reduce(
            (worst, value, index) => Math.max(worst, Math.abs(value - (expected[index] ?? 0))),
            0,
          )
        : Number.POSITIVE_INFINITY;

    const one = feedsOf(columns, kinds, 0, 1);
    for (let run = 0; run < WARM_UP_RUNS; run++) await session.run(one);
    const times: number[] = [];
    for (let run = 0; run < TIMED_RUNS; run++) {
      const runStarted = performance.now();
      await session.run(one);
      times.push(performance.now() - runStarted);
    }
    return { oneRowMs: median(times), batchSeconds, maxDifference };
  } finally {
    await session.release();
  }
}

/**
 * What each input takes: the graph's 'pipewright.inputs' metadata, else the declared tensor type.
 * The metadata says how the exporter meant the column; the declared type is what onnxruntime checks.
 */
/**
 * How to feed each input: text for string tensors, numbers otherwise. From the session, not by
 * decoding the model file: decoded, a forest's hundreds of megabytes of nodes would not fit the heap.
 */
function inputKinds(session: ort.InferenceSession): Map<string, Kind> {
  return new Map(
    session.inputMetadata.map((input) => [
      input.name,
      input.isTensor && input.type === 'string' ? 'string' : 'number',
    ]),
  );
}

/** The graph's input columns over the test rows, in file order (the order predictModel saw). */
async function rawTestColumns(file: string, kinds: Map<string, Kind>): Promise<Map<string, unknown[]>> {
  const names = [...kinds.keys()];
  const select = names
    .map((name) => `${quoteIdent(name)}::${kinds.get(name) === 'string' ? 'varchar' : 'double'}`)
    .join(', ');
  const columns = new Map<string, unknown[]>(names.map((name) => [name, []]));
  const duck = await Duck.open();
  try {
    await duck.forEachChunk(
      `select ${select} from read_parquet($1) where ${quoteIdent(SPLIT_COLUMN)} = 'test'`,
      [file],
      (chunk) => {
        for (const [index, name] of names.entries()) columns.get(name)?.push(...(chunk[index] ?? []));
      },
    );
  } finally {
    duck.close();
  }
  return columns;
}

/** Rows [from, to) as feeds: missing numbers are NaN and missing text "", as the graph expects. */
function feedsOf(
  columns: Map<string, unknown[]>,
  kinds: Map<string, Kind>,
  from: number,
  to: number,
): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, values] of columns) {
    const part = values.slice(from, to);
    feeds[name] =
      kinds.get(name) === 'string'
        ? new ort.Tensor(
            'string',
            part.map((value) => (value === null ? '' : String(value))),
            [part.length, 1],
          )
        : new ort.Tensor(
            'float64',
            Float64Array.from(part, (value) => (typeof value === 'number' ? value : Number.NaN)),
            [part.length, 1],
          );
  }
  return feeds;
}
