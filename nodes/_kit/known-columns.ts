import type { LogicalType } from '../_data/dataset-schema';

/** A column the compiler knows a step will have, before anything runs. */
export interface KnownColumn {
  name: string;
  type: LogicalType;
}

/** Columns of a dataset port: undefined when they depend on the data (a file not yet read). */
export type KnownColumns = KnownColumn[] | undefined;

export interface ColumnProblem {
  /** What is wrong: a column not in the data (the default), or an expression that cannot be read. */
  code?: 'unknown-column' | 'invalid-expression';
  /** Config field path, e.g. "operations.2.columns". */
  field: string;
  column?: string;
  message: string;
}

export interface ColumnInference {
  outputs: Record<string, KnownColumns>;
  problems: ColumnProblem[];
}

/**
 * Tracks the columns through a node's configuration: every reference to a column that is not
 * there becomes a problem the editor pins on the field, before the run.
 */
export class ColumnTracker {
  readonly problems: ColumnProblem[] = [];

  constructor(public columns: KnownColumns) {}

  /** True when the column exists or the columns are not known; otherwise records a problem. */
  require(name: string, field: string): boolean {
    if (!this.columns || this.columns.some((column) => column.name === name)) return true;
    const available = this.columns.map((column) => column.name).join(', ');
    this.problems.push({
      field,
      column: name,
      message: `Column "${name}" is not in the data (columns: ${available})`,
    });
    return false;
  }

  requireAll(names: readonly string[], field: string): void {
    for (const name of names) this.require(name, field);
  }

  typeOf(name: string): LogicalType | undefined {
    return this.columns?.find((column) => column.name === name)?.type;
  }

  map(change: (columns: KnownColumn[]) => KnownColumn[]): void {
    if (this.columns) this.columns = change(this.columns);
  }

  /** From here on the columns depend on the data. */
  forget(): void {
    this.columns = undefined;
  }
}
