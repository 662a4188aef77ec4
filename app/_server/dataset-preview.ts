import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { confinedArtifactPath } from './artifact-files';

export interface RowsPage {
  total: number;
  rows: Record<string, unknown>[];
}

/**
 * A page of a dataset artifact's rows, read straight from its Parquet file: only the row groups the
 * page touches are read, so a page of a 2 GB dataset costs what a page costs. (Pure JavaScript, so
 * the app needs no DuckDB.) Only files inside DATA_DIR/artifacts are opened, whatever the row names.
 */
export async function readRowsPage(
  uri: string,
  dataDir: string,
  offset: number,
  limit: number,
): Promise<RowsPage> {
  const file = await confinedArtifactPath(uri, dataDir);
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  const total = Number(metadata.num_rows);
  const rowEnd = Math.min(total, offset + limit);
  if (offset >= rowEnd) return { total, rows: [] };
  const names = parquetSchema(metadata).children.map((column) => column.element.name);
  // Rows as arrays, made into records by Object.fromEntries, which defines own properties: a column
  // named __proto__ or constructor stays a column (assigning such a key to an object would not).
  const rows = await new Promise<unknown[][]>((resolve, reject) => {
    parquetRead({
      file: buffer,
      metadata,
      rowStart: offset,
      rowEnd,
      compressors,
      rowFormat: 'array',
      onComplete: resolve,
    }).catch(reject);
  });
  return { total, rows: rows.map((row) => plainRow(names, row)) };
}

/** Values the browser can show: BIGINT as a number when it fits, as text when it does not. */
function plainRow(names: string[], row: unknown[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name, index) => [name, plainValue(row[index])]));
}

function plainValue(value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
}
