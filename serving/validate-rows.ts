import type { ModelSignature, SignatureColumn } from '../registry/version-schema';
import type { Row } from './request-rows';

/**
 * Checks request rows against a version's signature and turns them into the graph's input columns
 * (ml/onnx/export.ts): numbers and booleans as doubles (true 1, false 0, missing NaN), text as
 * strings (missing ""). Every problem is named by row and column; extra columns are ignored and
 * reported. An empty string counts as a missing value, as the graph reads it.
 */

export interface Problem {
  row: number;
  column: string;
  message: string;
}

export type ColumnValues = Float64Array | string[];

export type ValidatedRows =
  | {
      ok: true;
      /** Graph input name → one value per row. */
      columns: Map<string, ColumnValues>;
      /** Request columns the signature does not know, sorted. */
      ignoredColumns: string[];
    }
  | { ok: false; problems: Problem[]; more: number };

/**
 * Longest text value taken, in characters: longer is refused (a category or a short text field is
 * far shorter), so one request cannot fill the prediction log's memory with a few huge values.
 */
export const MAX_TEXT_LENGTH = 65_536;

/** The answer lists this many problems; the count of the rest follows. */
export const MAX_PROBLEMS = 50;

export function validateRows(rows: readonly Row[], signature: ModelSignature): ValidatedRows {
  const problems: Problem[] = [];
  let more = 0;
  const report = (problem: Problem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else more += 1;
  };
  const known = new Set(signature.inputs.map((column) => column.name));
  const ignored = new Set<string>();
  for (const row of rows) {
    for (const name of Object.keys(row)) if (!known.has(name)) ignored.add(name);
  }
  const columns = new Map<string, ColumnValues>();
  for (const column of signature.inputs) {
    const categories =
      column.categories && column.unknownCategories === 'reject' ? new Set(column.categories) : undefined;
    if (column.type === 'string') {
      const values = rows.map((row, index) => textValue(row, index, column, categories, report));
      columns.set(column.name, values);
    } else {
      const values = new Float64Array(rows.length);
      rows.forEach((row, index) => {
        values[index] = numberValue(row, index, column, report);
      });
      columns.set(column.name, values);
    }
  }
  if (problems.length > 0) return { ok: false, problems, more };
  return { ok: true, columns, ignoredColumns: [...ignored].sort() };
}

type Report = (problem: Problem) => void;

function missing(row: Row, index: number, column: SignatureColumn, report: Report): boolean {
  // Own columns only: "constructor" or "toString" are not in a row because every object inherits them.
  if (!Object.hasOwn(row, column.name)) {
    report({ row: index, column: column.name, message: 'is missing' });
    return true;
  }
  const value = row[column.name];
  if (value === null || value === '') {
    if (!column.nullable)
      report({
        row: index,
        column: column.name,
        message: value === null ? 'may not be null' : 'may not be empty',
      });
    return true;
  }
  return false;
}

function numberValue(row: Row, index: number, column: SignatureColumn, report: Report): number {
  if (missing(row, index, column, report)) return Number.NaN;
  const value = row[column.name];
  if (column.type === 'boolean') {
    if (value === true || value === 1) return 1;
    if (value === false || value === 0) return 0;
    report({ row: index, column: column.name, message: `must be true or false, not ${describe(value)}` });
    return Number.NaN;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  report({ row: index, column: column.name, message: `must be a number, not ${describe(value)}` });
  return Number.NaN;
}

function textValue(
  row: Row,
  index: number,
  column: SignatureColumn,
  categories: Set<string> | undefined,
  report: Report,
): string {
  if (missing(row, index, column, report)) return '';
  const value = row[column.name];
  if (typeof value !== 'string') {
    report({ row: index, column: column.name, message: `must be text, not ${describe(value)}` });
    return '';
  }
  if (value.length > MAX_TEXT_LENGTH) {
    report({
      row: index,
      column: column.name,
      message: `is ${value.length} characters long; at most ${MAX_TEXT_LENGTH} are taken`,
    });
    return '';
  }
  if (categories && !categories.has(value)) {
    const known = column.categories ?? [];
    const listed = known.slice(0, 10).map((category) => JSON.stringify(category));
    report({
      row: index,
      column: column.name,
      message: `has the unknown category ${JSON.stringify(value.slice(0, 60))}; known: ${listed.join(', ')}${known.length > 10 ? ` and ${known.length - 10} more` : ''}`,
    });
  }
  return value;
}

/** What a wrong value is, for the message, without echoing long input. */
function describe(value: unknown): string {
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}

/** One sentence for a 400: every listed problem, then how many more there were. */
export function problemsSentence(problems: readonly Problem[], more: number): string {
  const listed = problems.map(
    (problem) => `row ${problem.row} column "${problem.column}" ${problem.message}`,
  );
  const tail = more > 0 ? `; and ${more} more problem${more > 1 ? 's' : ''}` : '';
  return `The rows do not match the model's signature: ${listed.join('; ')}${tail}`;
}
