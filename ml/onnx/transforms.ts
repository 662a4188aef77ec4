import { categoryNumber, lookup, numericKeys } from './categories';
import { type Column, type ColumnTable, chained, lazyColumn, unsupported } from './columns';
import type { Elementwise } from './elementwise';
import { OnnxExportError } from './errors';
import { buildExpression, expressionColumns } from './expression';
import { attr, type GraphBuilder } from './graph';
import { isMissing, splitColumns, toDouble, where } from './ops';
import type { OnnxStep } from './types';

/**
 * Replays the learned steps on the column table, with the data nodes' exact semantics (their SQL
 * is in nodes/clean/operations.ts and nodes/feature/operations.ts). Nothing is built yet: each
 * column is computed when the model first needs it, so a step the graph cannot express only fails
 * the export when its result reaches the model.
 */
export function applySteps(table: ColumnTable, steps: readonly OnnxStep[]): void {
  for (const [index, step] of steps.entries()) applyStep(table, step, index);
}

type Fail = (column: string, reason: string) => Column;

function applyStep(table: ColumnTable, step: OnnxStep, index: number): void {
  const fail: Fail = (column, reason) =>
    unsupported(
      new OnnxExportError(`Transform step ${index + 1} (${step.op}) on column "${column}": ${reason}`, {
        step: index,
        op: step.op,
        column,
      }),
    );
  /** The column a step reads; a missing one becomes an unsupported result. */
  const input = (name: string): Column =>
    table.get(name) ?? fail(name, 'the column is not among the raw columns or those made before it');
  switch (step.op) {
    case 'drop':
      for (const name of step.columns) table.delete(name);
      return;
    case 'rename': {
      const column = input(step.from);
      table.delete(step.from);
      table.set(step.to, column);
      return;
    }
    case 'select': {
      const keep = new Set([...step.features, ...(step.target === undefined ? [] : [step.target])]);
      for (const name of [...table.columns.keys()]) if (!keep.has(name)) table.delete(name);
      return;
    }
    case 'one_hot':
      oneHot(table, step, input(step.column), fail);
      return;
    case 'date_part':
      table.set(step.as, fail(step.column, 'dates and times cannot be graph inputs'));
      return;
    case 'derive':
      table.set(step.name, derive(table, step, input, fail));
      return;
    default: {
      const column = input(step.column);
      table.set(
        step.column,
        column.kind === 'unsupported'
          ? column
          : replaced(table.graph, step, column, (reason) => fail(step.column, reason)),
      );
    }
  }
}

/** The new value of a column a step rewrites in place. */
function replaced(
  graph: GraphBuilder,
  step: Exclude<OnnxStep, { op: 'drop' | 'rename' | 'select' | 'one_hot' | 'date_part' | 'derive' }>,
  column: Column,
  fail: (reason: string) => Column,
): Column {
  const notNumbers = () =>
    fail(`the column holds ${column.kind === 'string' ? 'text' : 'text written from numbers'}`);
  /** A step on numbers: `make` gives the new tensor from the old. */
  const numeric = (make: (x: string) => string): Column =>
    column.kind === 'number' ? lazyColumn('number', () => make(column.tensor())) : notNumbers();
  /** A value-by-value step on numbers (see elementwise.ts). */
  const elementwise = (operation: Elementwise): Column =>
    column.kind === 'number' ? chained(graph, column, operation) : notNumbers();
  switch (step.op) {
    case 'cast':
      return cast(column, step.to, fail);
    case 'impute':
      if (
        column.kind === 'number' &&
        (typeof step.value === 'boolean' || (typeof step.value === 'number' && Number.isFinite(step.value)))
      )
        return elementwise({ op: 'fill', value: Number(step.value) });
      return impute(graph, column, step.value, fail);
    case 'clip':
      return elementwise({ op: 'clip', lower: step.lower, upper: step.upper });
    case 'standardize':
      // (x − mean) / std, std already 1 for a constant column.
      return elementwise({ op: 'scale', subtract: step.mean, divide: step.std });
    case 'min_max':
      return elementwise({ op: 'scale', subtract: step.min, divide: step.max - step.min || 1 });
    case 'log':
      return elementwise({ op: 'log1p' });
    case 'sqrt':
      return elementwise({ op: 'sqrt' });
    case 'bin':
      // Σ (x >= edge) over the edges; a missing value stays missing.
      return numeric((x) => {
        const missing = isMissing(graph, x);
        if (step.edges.length === 0) return where(graph, missing, x, graph.double(0));
        const above = graph.one('GreaterOrEqual', [
          x,
          graph.constant('double', step.edges, [1, step.edges.length]),
        ]);
        const count = graph.one('ReduceSum', [toDouble(graph, above), graph.constant('int64', [1])], {
          keepdims: attr.int(1),
        });
        return where(graph, missing, x, count);
      });
    case 'text':
      // A number put through the text step becomes its written form, which trim and lower leave as is.
      if (column.kind !== 'string') return { ...column, kind: 'numeric-text' };
      if (step.trim)
        return fail('trimming text has no standard ONNX operator; leave trim off to export this model');
      return step.lower ? lazyColumn('string', () => lowerCase(graph, column.tensor())) : column;
    case 'ordinal': {
      const keys = categoryKeys(column, step.categories);
      if (typeof keys === 'string') return fail(keys);
      // Position in the categories, −1 for an unseen or missing value.
      return lazyColumn('number', () =>
        lookup(graph, column, keys, {
          categories: step.categories.map((_, k) => k),
          missing: -1,
          unseen: -1,
          type: 'double',
        }),
      );
    }
  }
}

/** coalesce(x, value); "" is the graph's missing text and NaN its missing number. */
function impute(
  graph: GraphBuilder,
  column: Column,
  value: number | string | boolean,
  fail: (reason: string) => Column,
): Column {
  if (column.kind === 'string') {
    if (typeof value !== 'string') return fail(`a text column imputed with ${JSON.stringify(value)}`);
    if (value === '')
      return fail('imputing "" cannot be told apart from a missing value, which is "" in the graph');
    return lazyColumn('string', () => {
      const x = column.tensor();
      const missing = graph.one('Equal', [x, graph.constant('string', [''], [1])]);
      return where(graph, missing, graph.constant('string', [value], [1]), x);
    });
  }
  // A number, a boolean (1 or 0), or for text written from numbers, the written form of one.
  const fill =
    typeof value === 'boolean'
      ? Number(value)
      : typeof value === 'number'
        ? value
        : column.kind === 'numeric-text'
          ? categoryNumber(value)
          : undefined;
  if (fill === undefined || !Number.isFinite(fill))
    return fail(`a numeric column imputed with ${JSON.stringify(value)}`);
  return lazyColumn(column.kind === 'numeric-text' ? 'numeric-text' : 'number', () => {
    const x = column.tensor();
    return where(graph, isMissing(graph, x), graph.double(fill), x);
  });
}

/** A new number column from an expression over number columns. */
function derive(
  table: ColumnTable,
  step: Extract<OnnxStep, { op: 'derive' }>,
  input: (name: string) => Column,
  fail: Fail,
): Column {
  const names = expressionColumns(step.expression);
  if (typeof names === 'string') return fail(step.name, `the expression uses ${names}`);
  const columns = new Map<string, Column>();
  for (const name of names) {
    const column = input(name);
    if (column.kind === 'unsupported') return column;
    if (column.kind === 'string') return fail(step.name, `the expression reads "${name}", which holds text`);
    columns.set(name, column);
  }
  return lazyColumn('number', () => buildExpression(table.graph, step.expression, columns));
}

/**
 * DuckDB's try_cast between logical types, where it keeps the values exactly: the same storage, a
 * number to text (the written form of the number), text written from a number back to the number.
 */
function cast(column: Column, to: string, fail: (reason: string) => Column): Column {
  if (column.kind === 'unsupported') return column;
  switch (to) {
    case 'numeric':
      // A boolean becomes 1 or 0, which written as text reads "1.0" and "0.0".
      if (column.kind === 'number') return { ...column, boolean: false };
      // "true" and "false" do not read as numbers: DuckDB gives a missing value.
      if (column.kind === 'numeric-text' && column.boolean)
        return fail('text "true" and "false" to a number');
      if (column.kind === 'numeric-text') return { ...column, kind: 'number' };
      return fail(
        'text to a number: ONNX Cast does not parse text as DuckDB does (it fails where DuckDB gives a missing value)',
      );
    case 'categorical':
    case 'text':
      return column.kind === 'number' ? { ...column, kind: 'numeric-text' } : column;
    case 'boolean':
      // Only a boolean stays what it is; DuckDB's rules for other values are not replayed.
      if (column.boolean) return { ...column, kind: 'number' };
      return fail('casting to boolean cannot be expressed exactly');
    default:
      return fail(`casting to ${to} cannot be expressed exactly`);
  }
}

/** Category keys for a column: strings for text, numbers for numbers, or why they cannot be exact. */
function categoryKeys(
  column: Column,
  categories: readonly string[],
): readonly string[] | readonly number[] | string {
  if (column.kind === 'string')
    return categories.includes('')
      ? 'the category "" cannot be told apart from a missing value, which is "" in the graph'
      : categories;
  return numericKeys(categories, column.float32 === true);
}

/** One 0/1 column per category, "column=value", and "column=other" for an unseen value. */
function oneHot(
  table: ColumnTable,
  step: Extract<OnnxStep, { op: 'one_hot' }>,
  column: Column,
  fail: Fail,
): void {
  const names = [...step.categories.map((category) => `${step.column}=${category}`)];
  if (step.other) names.push(`${step.column}=other`);
  table.delete(step.column);
  const keys = column.kind === 'unsupported' ? undefined : categoryKeys(column, step.categories);
  if (column.kind === 'unsupported' || typeof keys === 'string' || keys === undefined) {
    const failed = column.kind === 'unsupported' ? column : fail(step.column, String(keys));
    for (const name of names) table.set(name, failed);
    return;
  }
  const graph = table.graph;
  const count = step.categories.length;
  // Category k → k, unseen → count ("other"), missing → −1 (no column): [N, columns] of 0 and 1.
  let block: string | undefined;
  const indicators = () => {
    block ??= toDouble(
      graph,
      graph.one('Equal', [
        lookup(graph, column, keys, {
          categories: step.categories.map((_, k) => k),
          missing: -1,
          unseen: count,
          type: 'int64',
        }),
        graph.constant(
          'int64',
          names.map((_, k) => k),
          [1, names.length],
        ),
      ]),
    );
    return block;
  };
  let split: string[] | undefined;
  const columns = () => {
    split ??= splitColumns(graph, indicators(), names.length);
    return split;
  };
  for (const [k, name] of names.entries())
    table.set(name, {
      ...lazyColumn('number', () => columns()[k] ?? ''),
      slice: { block: indicators, index: k, width: names.length },
    });
}

/**
 * lower(x) with StringNormalizer under the C.UTF-8 locale: simple Unicode case mapping, as DuckDB's
 * lower() (utf8proc). StringNormalizer takes [C] only, so the column is flattened and put back.
 */
function lowerCase(graph: GraphBuilder, x: string): string {
  const flat = graph.one('Reshape', [x, graph.constant('int64', [-1])]);
  const lowered = graph.one('StringNormalizer', [flat], {
    case_change_action: attr.string('LOWER'),
    is_case_sensitive: attr.int(1),
    locale: attr.string('C.UTF-8'),
  });
  return graph.one('Reshape', [lowered, graph.constant('int64', [-1, 1])]);
}
