import type { RawColumn } from '../../ml/onnx';
import type { SignatureColumn } from '../../registry/version-schema';
import type { DatasetInput } from '../_data/dataset-input';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import type { Duck, Plain } from '../_data/duck';
import { quoteIdent } from '../_data/sql';
import { readTransformSpec } from '../_data/transform-spec';
import { NodeInputError } from '../_kit/errors';

/** An input column as the graph takes it: its name and signature type. */
export type InputColumn = Pick<SignatureColumn, 'name' | 'type'>;

/** The raw values of one part of the split data (test or train), read as the graph's inputs take them. */
export function hasSplit(dataset: DatasetInput): boolean {
  return dataset.columns.some((column) => column.name === SPLIT_COLUMN);
}

/** The SQL reading a column as its signature type: numbers as DOUBLE, booleans as BOOLEAN, text as VARCHAR. */
export function columnSql(column: InputColumn): string {
  const name = quoteIdent(column.name);
  switch (column.type) {
    case 'number':
      return `try_cast(${name} as double)`;
    case 'boolean':
      return `try_cast(${name} as boolean)`;
    case 'string':
      return `cast(${name} as varchar)`;
  }
}

/** Fails, naming the column, when a graph takes a column the data does not have. */
export function requireInputs(dataset: DatasetInput, inputs: readonly InputColumn[], whose: string): void {
  const present = new Set(dataset.columns.map((column) => column.name));
  const missing = inputs.filter((input) => !present.has(input.name)).map((input) => input.name);
  if (missing.length)
    throw new NodeInputError(
      `${whose} takes column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')}, which the data input does not have`,
      { field: 'data', column: missing[0] },
    );
}

/**
 * Fails when the data input has been through feature engineering (its transforms end with the
 * feature step's column selection): the graphs replay those transforms, so they must be given the
 * rows from before them, or scaled values would be scaled again.
 */
export function requireRawRows(dataset: DatasetInput): void {
  if (readTransformSpec(dataset.file).steps.some((step) => step.op === 'select'))
    throw new NodeInputError(
      "The data input has been through feature engineering already: connect the split step's output, whose raw rows the model's graph takes",
      { field: 'data' },
    );
}

/** Values ready for onnxruntime: doubles (NaN = missing, booleans 1/0) or strings ("" = missing). */
export type GraphColumn = { kind: 'number'; values: Float64Array } | { kind: 'string'; values: string[] };

export interface TestRows {
  rows: number;
  /** Each input column's values, by name. */
  columns: Map<string, GraphColumn>;
  target: Plain[];
}

/**
 * The test rows with a target value, before feature engineering, as the graphs take them: the rows
 * both the new and the production version are scored on. Without a split, every row.
 */
export async function readTestRows(
  duck: Duck,
  dataset: DatasetInput,
  inputs: readonly InputColumn[],
  target: string,
): Promise<TestRows> {
  const where = hasSplit(dataset) ? `${quoteIdent(SPLIT_COLUMN)} = 'test' and ` : '';
  const selected = inputs.map((input, index) => `${columnSql(input)} as c${index}`);
  const rows = await duck.all(
    `select ${[...selected, `${quoteIdent(target)} as t`].join(', ')} from read_parquet($1)
     where ${where}${quoteIdent(target)} is not null`,
    [dataset.file],
  );
  const columns = new Map<string, GraphColumn>(
    inputs.map((input, index) => [
      input.name,
      graphColumn(
        input,
        rows.map((row) => row[`c${index}`] ?? null),
      ),
    ]),
  );
  return { rows: rows.length, columns, target: rows.map((row) => row.t ?? null) };
}

function graphColumn(input: InputColumn, values: Plain[]): GraphColumn {
  if (input.type === 'string')
    return { kind: 'string', values: values.map((value) => (value === null ? '' : String(value))) };
  return { kind: 'number', values: Float64Array.from(values, graphNumber) };
}

/** A value of a number or yes/no input as the graph takes it: true 1, false 0, missing NaN. */
export function graphNumber(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' ? value : Number.NaN;
}

/** A raw column of the ONNX export as the signature types it: text, yes/no, or number. */
export function inputColumnOf(column: RawColumn): InputColumn {
  if (column.kind === 'string') return { name: column.name, type: 'string' };
  return { name: column.name, type: column.boolean ? 'boolean' : 'number' };
}
