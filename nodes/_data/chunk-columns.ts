import { type DuckDBDataChunk, DuckDBTypeId } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

/**
 * Copies rows [from, from + count) of a DOUBLE column of a DuckDB chunk into `target` at `at`,
 * missing values as NaN, straight from the chunk's memory. The client's own `getColumnValues`
 * builds one JS value per cell and tests each cell's validity with BigInt arithmetic; for a million
 * rows of twenty columns that is most of a second and as much again in garbage collection, here a
 * copy. The column must be DOUBLE (see requireDoubleColumns): its bytes are read as doubles.
 */
export function copyDoubleColumn(
  chunk: DuckDBDataChunk,
  column: number,
  range: { from: number; count: number },
  target: Float64Array,
  at: number,
): void {
  const { from, count } = range;
  const rows = chunk.rowCount;
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
  const data = duckdb.vector_get_data(vector, rows * Float64Array.BYTES_PER_ELEMENT);
  target.set(
    new Float64Array(data.buffer, data.byteOffset + from * Float64Array.BYTES_PER_ELEMENT, count),
    at,
  );
  // One validity bit per row (little-endian 64-bit words); no mask at all when every row is valid.
  const validity = duckdb.vector_get_validity(vector, Math.ceil(rows / 64) * 8);
  if (!validity) return;
  for (let row = from; row < from + count; row++)
    if (((validity[row >> 3] ?? 0) & (1 << (row & 7))) === 0) target[at + row - from] = Number.NaN;
}

/**
 * Writes `values` as rows [0, values.length) of a DOUBLE column of a chunk being filled (every row
 * valid): one copy instead of a call per value.
 */
export function writeDoubleColumn(
  chunk: DuckDBDataChunk,
  column: number,
  values: Float64Array<ArrayBuffer>,
): void {
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
  duckdb.copy_data_to_vector(vector, 0, values.buffer, values.byteOffset, values.byteLength);
}

/** Fails unless each of the columns is DOUBLE: checked once per result, as every chunk has its types. */
export function requireDoubleColumns(chunk: DuckDBDataChunk, columns: readonly number[]): void {
  for (const column of columns) {
    const type = chunk.getColumnVector(column).type.typeId;
    if (type !== DuckDBTypeId.DOUBLE)
      throw new Error(`column ${column} of the result is ${DuckDBTypeId[type]}, not DOUBLE`);
  }
}
