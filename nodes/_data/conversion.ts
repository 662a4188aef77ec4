import type { DuckDBValue } from '@duckdb/node-api';
import type { LogicalType } from './dataset-schema';
import { type Duck, numberOf } from './duck';
import { quoteIdent } from './sql';

/** The DuckDB type each logical type is stored as. */
export const STORAGE_FOR: Record<LogicalType, string> = {
  numeric: 'DOUBLE',
  categorical: 'VARCHAR',
  text: 'VARCHAR',
  boolean: 'BOOLEAN',
  datetime: 'TIMESTAMP',
};

/**
 * The first value of a column that does not convert to a logical type, with its 1-based row, so the
 * error can name it instead of the value silently becoming empty.
 */
export async function firstUnconvertible(
  duck: Duck,
  relation: string,
  params: DuckDBValue[],
  column: string,
  to: LogicalType,
): Promise<{ value: string; row: number } | undefined> {
  const q = quoteIdent(column);
  const [bad] = await duck.all(
    `select row_number, value from (select row_number() over () as row_number, ${q}::varchar as value, try_cast(${q} as ${STORAGE_FOR[to]}) as converted from ${relation})
      where value is not null and converted is null limit 1`,
    params,
  );
  return bad ? { value: String(bad.value), row: numberOf(bad.row_number) } : undefined;
}
