import type { DuckDBValue } from '@duckdb/node-api';
import { copyDoubleColumn, requireDoubleColumns } from './chunk-columns';
import type { Duck } from './duck';
import { quoteIdent } from './sql';

/** Rows as a model sees them: features row-major as doubles (missing = NaN), and the raw target. */
export interface RowMatrix {
  values: Float64Array;
  rows: number;
  cols: number;
  target: (string | number | boolean | null)[];
  /** One array per extra expression asked for (e.g. slice flags as 0/1). */
  extras: Float64Array[];
}

/**
 * Reads feature columns (numbers and booleans, as doubles) and the target of a Parquet dataset,
 * optionally only the rows matching a condition. `where` and `extras` are SQL built by our code
 * (quoted identifiers, values bound as $2, $3, … from `params`), never user text.
 */
export async function readMatrix(
  duck: Duck,
  file: string,
  options: {
    features: readonly string[];
    target?: string;
    where?: string;
    extras?: readonly string[];
    params?: readonly DuckDBValue[];
  },
): Promise<RowMatrix> {
  const cols = options.features.length;
  const extraSql = options.extras ?? [];
  const params = [file, ...(options.params ?? [])];
  const select = [
    ...options.features.map((name) => `${quoteIdent(name)}::double`),
    options.target ? quoteIdent(options.target) : 'null',
    ...extraSql.map((sql) => `(${sql})::double`),
  ].join(', ');
  const where = options.where ? ` where ${options.where}` : '';
  const query = `select ${select} from read_parquet($1)${where}`;
  // Counted over the same query, so it binds the same parameters.
  const { count } = await duck.one(`select count(*) as count from (${query})`, params);
  const rows = Number(count);
  // Shared memory: training threads read the features without a copy each.
  const values = new Float64Array(new SharedArrayBuffer(rows * cols * Float64Array.BYTES_PER_ELEMENT));
  const target: RowMatrix['target'] = [];
  const extras = extraSql.map(() => new Float64Array(rows));
  let row = 0;
  const column = new Float64Array(2048);
  const doubles = [...Array.from({ length: cols }, (_, c) => c), ...extras.map((_, e) => cols + 1 + e)];
  await duck.forEachDataChunk(query, params, (chunk) => {
    const size = chunk.rowCount;
    if (row === 0) requireDoubleColumns(chunk, doubles);
    const scratch = size <= column.length ? column : new Float64Array(size);
    for (let c = 0; c < cols; c++) {
      copyDoubleColumn(chunk, c, { from: 0, count: size }, scratch, 0);
      for (let r = 0; r < size; r++) values[(row + r) * cols + c] = scratch[r] ?? Number.NaN;
    }
    for (const value of chunk.getColumnValues(cols)) target.push(plainTarget(value));
    for (const [index, extra] of extras.entries())
      copyDoubleColumn(chunk, cols + 1 + index, { from: 0, count: size }, extra, row);
    row += size;
  });
  return { values, rows, cols, target, extras };
}

function plainTarget(value: DuckDBValue | undefined): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}
