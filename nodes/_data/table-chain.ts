import type { DuckDBValue } from '@duckdb/node-api';
import { type TypedColumn, typedColumns } from './columns';
import { SPLIT_COLUMN } from './dataset-schema';
import type { Duck } from './duck';
import { describeRelation } from './profile';
import { quoteIdent } from './sql';
import type { TransformStep } from './transform-spec';

/**
 * The data as it goes through a list of operations: each operation makes the next temporary table,
 * so every step can measure (and learn from) exactly what the previous one produced.
 */
export class TableChain {
  private count = 0;
  current = '';
  columns: TypedColumn[] = [];
  readonly learned: TransformStep[] = [];

  constructor(readonly duck: Duck) {}

  async load(file: string): Promise<void> {
    await this.next('select * from read_parquet($1)', [file]);
  }

  /** Makes the next table from a query over the current one (written as `{prev}`). */
  async next(sql: string, params: DuckDBValue[] = []): Promise<void> {
    const name = `step_${++this.count}`;
    await this.duck.exec(`create temp table ${name} as ${sql.replaceAll('{prev}', this.current)}`, params);
    this.current = name;
    this.columns = typedColumns(await describeRelation(this.duck, name));
  }

  get names(): string[] {
    return this.columns.map((column) => column.name);
  }

  get hasSplit(): boolean {
    return this.names.includes(SPLIT_COLUMN);
  }

  /** The rows values are learned from: training rows when the data is split, else all rows. */
  get trainingRows(): string {
    return this.hasSplit
      ? `(select * from ${this.current} where ${quoteIdent(SPLIT_COLUMN)} = 'train')`
      : this.current;
  }
}
