import type { DuckDBValue } from '@duckdb/node-api';
import { type TypedColumn, typedColumns } from './columns';
import { SPLIT_COLUMN } from './dataset-schema';
import type { Duck, PlainRow } from './duck';
import { describeRelation } from './profile';
import { quoteIdent } from './sql';
import type { TransformStep } from './transform-spec';

/**
 * The data as it goes through a list of operations, as a chain of views over the input Parquet:
 * nothing is copied until the result is written, and each step can still measure (and learn from)
 * exactly what the previous one produces. Values enter as DuckDB session variables set from bound
 * parameters, so the view definitions hold no user text and no parameters.
 */
export class TableChain {
  private views = 0;
  private variables = 0;
  private pending: { name: string; value: DuckDBValue }[] = [];
  current = '';
  columns: TypedColumn[] = [];
  readonly learned: TransformStep[] = [];

  constructor(readonly duck: Duck) {}

  async load(file: string): Promise<void> {
    const source = this.bind(file);
    await this.next(() => `select * from read_parquet(${source})`);
  }

  /** A value for the next statement, as an expression; set (bound) before that statement runs. */
  bind(value: DuckDBValue): string {
    const name = `pw_${++this.variables}`;
    this.pending.push({ name, value });
    return `getvariable('${name}')`;
  }

  /**
   * Makes the next step from a query over the current one, which `build` is given by name. A
   * function rather than a placeholder in the text: quoted column names may contain any text, and a
   * substitution after they are in would rewrite them too.
   */
  async next(build: (previous: string) => string): Promise<void> {
    const sql = build(this.current);
    await this.flush();
    const name = `step_${++this.views}`;
    await this.duck.exec(`create temp view ${name} as ${sql}`);
    this.current = name;
    this.columns = typedColumns(await describeRelation(this.duck, name));
  }

  async all(sql: string): Promise<PlainRow[]> {
    await this.flush();
    return this.duck.all(sql);
  }

  async one(sql: string): Promise<PlainRow> {
    await this.flush();
    return this.duck.one(sql);
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

  private async flush(): Promise<void> {
    for (const { name, value } of this.pending.splice(0))
      await this.duck.exec(`set variable ${name} = $1`, [value]);
  }
}
