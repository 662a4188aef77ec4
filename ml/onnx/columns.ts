import { applyChains, type Elementwise } from './elementwise';
import { OnnxExportError } from './errors';
import type { GraphBuilder } from './graph';
import type { RawColumn } from './types';

/**
 * What a column holds as the steps go, and so which tensor carries it ([N, 1] each):
 * - number: tensor(double), NaN for a missing value;
 * - string: tensor(string), "" for a missing value;
 * - numeric-text: text in the data (a number cast to categorical, or put through the text step),
 *   carried as the number it was written from (DuckDB writes a double in a form that reads back to
 *   the same double), so comparing with its categories is exact;
 * - unsupported: a column the graph cannot compute; using it throws `error`.
 */
export type ColumnKind = 'number' | 'string' | 'numeric-text' | 'unsupported';

export interface Column {
  kind: ColumnKind;
  /** The tensor name, built (with the nodes it needs) on first use. Throws for unsupported columns. */
  tensor: () => string;
  /** Values are 32-bit floats (a raw FLOAT column as stored): its categories are written as floats. */
  float32?: boolean;
  /** Values are booleans as 1 and 0 (written as text, "true" and "false"). */
  boolean?: boolean;
  /** A number column that is `base` through value-by-value steps: built with others alike. */
  chain?: { base: Column; steps: readonly Elementwise[] };
  /** A number column that is column `index` of a wider block ([N, width]), such as a one-hot group. */
  slice?: { block: () => string; index: number; width: number };
  error?: OnnxExportError;
}

/** A column computed on first use only, so steps whose results the model never sees cost nothing. */
export function lazyColumn(kind: Exclude<ColumnKind, 'unsupported'>, make: () => string): Column {
  let tensor: string | undefined;
  return {
    kind,
    tensor: () => {
      tensor ??= make();
      return tensor;
    },
  };
}

/** A number column through one more value-by-value step. */
export function chained(graph: GraphBuilder, column: Column, step: Elementwise): Column {
  const chain = column.chain
    ? { base: column.chain.base, steps: [...column.chain.steps, step] }
    : { base: column, steps: [step] };
  return { ...lazyColumn('number', () => applyChains(graph, chain.base.tensor(), [chain.steps])), chain };
}

export function unsupported(error: OnnxExportError): Column {
  return {
    kind: 'unsupported',
    error,
    tensor: () => {
      throw error;
    },
  };
}

/**
 * The columns of the data as the steps go, by name. Starts with the raw columns; a raw column
 * becomes a graph input only when something needs it (`used`).
 */
export class ColumnTable {
  readonly columns = new Map<string, Column>();
  /** Raw column names the graph reads, as they are first needed. */
  readonly used = new Set<string>();

  constructor(
    readonly graph: GraphBuilder,
    raw: readonly RawColumn[],
  ) {
    for (const column of raw) this.columns.set(column.name, this.rawColumn(column));
  }

  get(name: string): Column | undefined {
    return this.columns.get(name);
  }

  set(name: string, column: Column): void {
    this.columns.set(name, column);
  }

  delete(name: string): void {
    this.columns.delete(name);
  }

  private rawColumn(column: RawColumn): Column {
    if (column.kind === 'datetime')
      return unsupported(
        new OnnxExportError(
          `Column "${column.name}" holds dates or times: the graph takes numbers and text only`,
          { column: column.name },
        ),
      );
    const use = () => {
      this.used.add(column.name);
      return column.name;
    };
    if (column.kind === 'string') return lazyColumn('string', use);
    if (column.boolean) return { ...lazyColumn('number', use), boolean: true };
    if (!column.float32) return lazyColumn('number', use);
    // Stored as FLOAT: round the double the caller sends to float32, then carry it as a double.
    const rounded = lazyColumn('number', () =>
      this.graph.one('Cast', [this.graph.one('Cast', [use()], castTo('float'))], castTo('double')),
    );
    return { ...rounded, float32: true };
  }
}

const ONNX_TYPE = { float: 1, int64: 7, string: 8, bool: 9, double: 11 } as const;

/** The `to` attribute of a Cast. */
export function castTo(type: keyof typeof ONNX_TYPE) {
  return { to: { type: 'int', value: ONNX_TYPE[type] } } as const;
}
