import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBAppender,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  VARCHAR,
} from '@duckdb/node-api';
import { writeDoubleColumn } from '../_data/chunk-columns';
import { quoteIdent } from '../_data/sql';
import { NodeInputError } from '../_kit/errors';

/**
 * The columns a batch score adds: `prediction` (the label, typed as the model's labels are, or the
 * value) and, for a classifier, `probability_<label>` per class in the model's class order.
 */

export type ClassLabel = string | number | boolean;

/** A batch of the graph's answers, row by row. */
export interface ScoredBatch {
  rows: number;
  /** Classification: the winning class's index per row; regression: the value. */
  answers: Float64Array;
  /** Classification: rows × classes, row-major, in the model's class order. */
  probabilities: Float32Array;
}

export interface PredictionColumns {
  names: string[];
  /** CREATE TABLE's column list. */
  ddl: string;
  /** Appends a batch's rows, a DuckDB chunk at a time. */
  append(appender: DuckDBAppender, batch: ScoredBatch): void;
}

/** DuckDB's vector size: a chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

export function predictionColumns(
  task: 'classification' | 'regression',
  labels: readonly ClassLabel[],
  taken: readonly string[],
): PredictionColumns {
  const names =
    task === 'classification'
      ? ['prediction', ...labels.map((label) => `probability_${String(label)}`)]
      : ['prediction'];
  const clash = names.find((name) => taken.includes(name));
  if (clash !== undefined)
    throw new NodeInputError(
      `The data already has a column "${clash}", which scoring adds: rename or drop it before this step`,
      { field: 'data', column: clash },
    );
  if (task === 'regression')
    return {
      names,
      ddl: `${quoteIdent('prediction')} double`,
      append: (appender, batch) =>
        appendChunks(appender, [DOUBLE], batch.rows, (chunk, from, count) =>
          // Not a copy: a value that is not finite is written as missing.
          chunk.setColumnValues(
            0,
            Array.from(batch.answers.subarray(from, from + count), (value) =>
              Number.isFinite(value) ? value : null,
            ),
          ),
        ),
    };
  const label = labelColumn(labels);
  const classes = labels.length;
  const types = [label.type, ...labels.map(() => DOUBLE)];
  return {
    names,
    ddl: [
      `${quoteIdent('prediction')} ${label.type.toString().toLowerCase()}`,
      ...names.slice(1).map((name) => `${quoteIdent(name)} double`),
    ].join(', '),
    append(appender, batch) {
      const column = new Float64Array(CHUNK_ROWS);
      appendChunks(appender, types, batch.rows, (chunk, from, count) => {
        chunk.setColumnValues(
          0,
          Array.from(batch.answers.subarray(from, from + count), (index) => label.value(index)),
        );
        for (let k = 0; k < classes; k++) {
          for (let row = 0; row < count; row++)
            column[row] = batch.probabilities[(from + row) * classes + k] ?? Number.NaN;
          writeDoubleColumn(chunk, k + 1, column.subarray(0, count));
        }
      });
    },
  };
}

/** Appends `rows` rows in chunks of DuckDB's vector size, each filled by `fill` from row `from`. */
function appendChunks(
  appender: DuckDBAppender,
  types: DuckDBType[],
  rows: number,
  fill: (chunk: DuckDBDataChunk, from: number, count: number) => void,
): void {
  for (let from = 0; from < rows; from += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, rows - from);
    const chunk = DuckDBDataChunk.create(types, count);
    fill(chunk, from, count);
    appender.appendDataChunk(chunk);
  }
}

/** The label column as the labels' own type: whole numbers as BIGINT, yes/no as BOOLEAN, else text. */
function labelColumn(labels: readonly ClassLabel[]): {
  type: DuckDBType;
  value(index: number): DuckDBValue;
} {
  if (labels.every((label) => typeof label === 'number' && Number.isSafeInteger(label))) {
    const values = labels.map((label) => BigInt(Number(label)));
    return { type: BIGINT, value: (index) => values[index] ?? null };
  }
  if (labels.every((label) => typeof label === 'boolean'))
    return { type: BOOLEAN, value: (index) => labels[index] === true };
  const values = labels.map(String);
  return { type: VARCHAR, value: (index) => values[index] ?? null };
}
