import type { Condition } from '../_data/condition';

/**
 * An evaluate node's slice condition applied to columns in memory, with the meaning its SQL has in
 * the evaluate step (nodes/_data/condition-sql.ts): a comparison with a missing value is false
 * (`in` and `not_in` alike), text compares as text, numbers as numbers, and a yes/no column takes
 * true and false. The monitor measures each slice on the logged predictions with this.
 */

/** A column as a slice condition sees it: numbers (NaN when missing; yes/no as 1 and 0) or text. */
export type SliceColumn =
  | { kind: 'number'; values: Float64Array; boolean: boolean }
  | { kind: 'text'; values: readonly (string | null)[] };

/** A condition that cannot be applied to the columns: its message names the column and the value. */
export class SliceConditionError extends Error {}

type Scalar = string | number | boolean;

/** 1 for each of the `rows` rows the condition holds for, else 0. */
export function conditionMask(
  condition: Condition,
  columns: ReadonlyMap<string, SliceColumn>,
  rows: number,
): Uint8Array {
  if ('all' in condition) return combine(condition.all, columns, rows, (a, b) => a & b);
  if ('any' in condition) return combine(condition.any, columns, rows, (a, b) => a | b);
  const column = columns.get(condition.column);
  if (!column) throw new SliceConditionError(`column "${condition.column}" is not in the logged data`);
  const { operator, value } = condition;
  const missing = missingTest(column);
  if (operator === 'is_missing') return maskOf(rows, (row) => missing(row));
  if (operator === 'is_not_missing') return maskOf(rows, (row) => !missing(row));
  if (value === undefined)
    throw new SliceConditionError(`the condition on "${condition.column}" has no value`);
  if (operator === 'in' || operator === 'not_in') {
    const members = (Array.isArray(value) ? value : [value]).map((item) =>
      comparable(item, column, condition.column),
    );
    const inList = memberTest(column, members);
    return maskOf(rows, (row) => !missing(row) && inList(row) === (operator === 'in'));
  }
  if (Array.isArray(value))
    throw new SliceConditionError(`the condition on "${condition.column}" takes one value`);
  if (operator === 'contains' || operator === 'starts_with') {
    const text = String(value);
    const textOf = textTest(column);
    return maskOf(rows, (row) => {
      const cell = textOf(row);
      if (cell === null) return false;
      return operator === 'contains' ? cell.includes(text) : cell.startsWith(text);
    });
  }
  const compare = comparator(operator);
  if (column.kind === 'number') {
    const target = comparableNumber(value, column.boolean, condition.column);
    return maskOf(rows, (row) => {
      const cell = column.values[row] ?? Number.NaN;
      return !Number.isNaN(cell) && compare(cell, target);
    });
  }
  const target = String(value);
  return maskOf(rows, (row) => {
    const cell = column.values[row];
    return cell !== null && cell !== undefined && compare(cell, target);
  });
}

function combine(
  parts: readonly Condition[],
  columns: ReadonlyMap<string, SliceColumn>,
  rows: number,
  join: (a: number, b: number) => number,
): Uint8Array {
  const [first, ...rest] = parts.map((part) => conditionMask(part, columns, rows));
  const mask = first ?? new Uint8Array(rows);
  for (const other of rest)
    for (let row = 0; row < rows; row++) mask[row] = join(mask[row] ?? 0, other[row] ?? 0);
  return mask;
}

function maskOf(rows: number, holds: (row: number) => boolean): Uint8Array {
  const mask = new Uint8Array(rows);
  for (let row = 0; row < rows; row++) mask[row] = holds(row) ? 1 : 0;
  return mask;
}

function missingTest(column: SliceColumn): (row: number) => boolean {
  if (column.kind === 'number') return (row) => Number.isNaN(column.values[row] ?? Number.NaN);
  return (row) => column.values[row] === null || column.values[row] === undefined;
}

/** The value as the column compares it (as condition-sql.ts's `comparable` checks it). */
function comparable(value: Scalar, column: SliceColumn, name: string): number | string {
  return column.kind === 'text' ? String(value) : comparableNumber(value, column.boolean, name);
}

function comparableNumber(value: Scalar, boolean: boolean, name: string): number {
  const shown = typeof value === 'string' ? `"${value}"` : String(value);
  if (boolean) {
    const word = String(value).trim().toLowerCase();
    if (word === 'true') return 1;
    if (word === 'false') return 0;
    throw new SliceConditionError(
      `the condition on "${name}" compares it with ${shown}, which is not true or false`,
    );
  }
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(number))
    throw new SliceConditionError(
      `the condition on "${name}" compares it with ${shown}, which is not a number`,
    );
  return number;
}

function memberTest(column: SliceColumn, members: readonly (number | string)[]): (row: number) => boolean {
  const set = new Set<number | string>(members);
  return (row) => set.has(column.values[row] ?? Number.NaN);
}

/** The column's value as text, as `column::varchar` gives it to contains and starts_with. */
function textTest(column: SliceColumn): (row: number) => string | null {
  if (column.kind === 'text') return (row) => column.values[row] ?? null;
  return (row) => {
    const cell = column.values[row] ?? Number.NaN;
    if (Number.isNaN(cell)) return null;
    if (column.boolean) return cell === 1 ? 'true' : 'false';
    return String(cell);
  };
}

function comparator(operator: string): <T extends number | string>(a: T, b: T) => boolean {
  switch (operator) {
    case '=':
      return (a, b) => a === b;
    case '!=':
      return (a, b) => a !== b;
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
    case '>':
      return (a, b) => a > b;
    case '>=':
      return (a, b) => a >= b;
    default:
      throw new SliceConditionError(`the operator "${operator}" is not one a slice can use`);
  }
}
