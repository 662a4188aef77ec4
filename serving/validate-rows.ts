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
      /** Each row's values as sent, in signature order (null where it has none): what the prediction log keeps. */
      inputs: unknown[][];
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

/** What validation needs of a signature, worked out once per signature rather than per request. */
interface SignaturePlan {
  known: ReadonlySet<string>;
  /** Per input, in signature order: its set of categories when unknown ones are refused. */
  categories: readonly (ReadonlySet<string> | undefined)[];
}

const plans = new WeakMap<ModelSignature, SignaturePlan>();

function planOf(signature: ModelSignature): SignaturePlan {
  let plan = plans.get(signature);
  if (!plan) {
    plan = {
      known: new Set(signature.inputs.map((column) => column.name)),
      categories: signature.inputs.map((column) =>
        column.categories && column.unknownCategories === 'reject' ? new Set(column.categories) : undefined,
      ),
    };
    plans.set(signature, plan);
  }
  return plan;
}

export function validateRows(rows: readonly Row[], signature: ModelSignature): ValidatedRows {
  const problems: Problem[] = [];
  let more = 0;
  const report = (problem: Problem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else more += 1;
  };
  const plan = planOf(signature);
  const ignored = ignoredColumns(rows, plan.known);
  const columns = new Map<string, ColumnValues>();
  // Filled by push, column after column: a packed array, which JSON.stringify (the log) reads
  // faster than one made at its full length and filled by index.
  const inputs = rows.map((): unknown[] => []);
  for (const [position, column] of signature.inputs.entries()) {
    const numbers = column.type === 'string' ? undefined : new Float64Array(rows.length);
    const texts = numbers ? undefined : new Array<string>(rows.length);
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index] ?? {};
      // Own columns only: "constructor" or "toString" are not in a row because every object inherits them.
      const cell: Cell = Object.hasOwn(row, column.name)
        ? { present: true, value: row[column.name] }
        : { present: false, value: undefined };
      inputs[index]?.push(cell.value ?? null);
      if (numbers) numbers[index] = numberValue(cell, index, column, report);
      if (texts) texts[index] = textValue(cell, index, column, plan.categories[position], report);
    }
    columns.set(column.name, numbers ?? texts ?? []);
  }
  if (problems.length > 0) return { ok: false, problems, more };
  return { ok: true, columns, inputs, ignoredColumns: ignored };
}

/** One row's value of one column, and whether the row has the column at all. */
interface Cell {
  present: boolean;
  value: unknown;
}

/** Request columns the signature does not know, sorted. */
function ignoredColumns(rows: readonly Row[], known: ReadonlySet<string>): string[] {
  let ignored: Set<string> | undefined;
  for (const row of rows) {
    for (const name in row) {
      if (!Object.hasOwn(row, name) || known.has(name)) continue;
      ignored ??= new Set();
      ignored.add(name);
    }
  }
  return ignored ? [...ignored].sort() : [];
}

type Report = (problem: Problem) => void;

function missing(cell: Cell, index: number, column: SignatureColumn, report: Report): boolean {
  if (!cell.present) {
    report({ row: index, column: column.name, message: 'is missing' });
    return true;
  }
  const value = cell.value;
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

function numberValue(cell: Cell, index: number, column: SignatureColumn, report: Report): number {
  if (missing(cell, index, column, report)) return Number.NaN;
  const value = cell.value;
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
  cell: Cell,
  index: number,
  column: SignatureColumn,
  categories: ReadonlySet<string> | undefined,
  report: Report,
): string {
  if (missing(cell, index, column, report)) return '';
  const value = cell.value;
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
