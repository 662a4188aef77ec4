import type { DuckDBAppender } from '@duckdb/node-api';
import { quoteIdent } from '../_data/sql';
import { NodeInputError } from '../_kit/errors';

/**
 * The columns a batch score adds: `prediction` (the label, typed as the model's labels are, or the
 * value) and, for a classifier, `probability_<label>` per class in the model's class order.
 */

export type ClassLabel = string | number | boolean;

export interface PredictionColumns {
  names: string[];
  /** CREATE TABLE's column list. */
  ddl: string;
  /** Appends one row: the winning class's index (or the value), and the probabilities. */
  append(appender: DuckDBAppender, answer: number, probabilities: Float32Array, offset: number): void;
}

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
      append(appender, value) {
        if (Number.isFinite(value)) appender.appendDouble(value);
        else appender.appendNull();
        appender.endRow();
      },
    };
  const label = labelWriter(labels);
  return {
    names,
    ddl: [
      `${quoteIdent('prediction')} ${label.type}`,
      ...names.slice(1).map((name) => `${quoteIdent(name)} double`),
    ].join(', '),
    append(appender, best, probabilities, offset) {
      label.append(appender, best);
      for (let k = 0; k < labels.length; k++) appender.appendDouble(probabilities[offset + k] ?? Number.NaN);
      appender.endRow();
    },
  };
}

/** The label column as the labels' own type: whole numbers as BIGINT, yes/no as BOOLEAN, else text. */
function labelWriter(labels: readonly ClassLabel[]): {
  type: string;
  append(appender: DuckDBAppender, index: number): void;
} {
  if (labels.every((label) => typeof label === 'number' && Number.isSafeInteger(label)))
    return {
      type: 'bigint',
      append: (appender, index) => appender.appendBigInt(BigInt(Number(labels[index] ?? 0))),
    };
  if (labels.every((label) => typeof label === 'boolean'))
    return { type: 'boolean', append: (appender, index) => appender.appendBoolean(labels[index] === true) };
  return {
    type: 'varchar',
    append: (appender, index) => appender.appendVarchar(String(labels[index] ?? '')),
  };
}
