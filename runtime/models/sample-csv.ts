import { ModelImportError } from '../../ml/onnx-import/import-error';
import type { ImportedColumn } from '../../ml/onnx-import/rewrite';
import type { ImportSample } from '../../workflows/model-import/import-files';

/** A sample has at most this many rows: enough for the reference deciles, small enough to check quickly. */
export const MAX_SAMPLE_ROWS = 10_000;
/** And at most this many bytes of CSV. */
export const MAX_SAMPLE_BYTES = 10 * 1024 ** 2;

/** A CSV's header and its rows of text cells (RFC 4180: quotes, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  if (Buffer.byteLength(text) > MAX_SAMPLE_BYTES)
    throw new ModelImportError(`The sample CSV is larger than ${MAX_SAMPLE_BYTES / 1024 ** 2} MB`);
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        cell += '"';
        at++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[at + 1] === '\n') at++;
      record.push(cell);
      if (record.some((value) => value !== '')) records.push(record);
      record = [];
      cell = '';
    } else cell += char;
  }
  record.push(cell);
  if (record.some((value) => value !== '')) records.push(record);
  const [header, ...rows] = records;
  if (!header) throw new ModelImportError('The sample CSV is empty: it needs a header row and data rows');
  if (rows.length === 0) throw new ModelImportError('The sample CSV has a header but no rows');
  if (rows.length > MAX_SAMPLE_ROWS)
    throw new ModelImportError(
      `The sample CSV has ${rows.length.toLocaleString('en')} rows: give at most ${MAX_SAMPLE_ROWS.toLocaleString('en')}`,
    );
  return { header: header.map((name) => name.trim()), rows };
}

/**
 * The sample's rows in the imported graph's column order, typed: a number column's cells must read
 * as numbers (empty: missing), a yes/no column's as true/false/1/0. Refused naming row and column.
 */
export function sampleRows(
  csv: { header: string[]; rows: string[][] },
  columns: readonly ImportedColumn[],
): ImportSample {
  const positions = columns.map((column) => {
    const position = csv.header.indexOf(column.name);
    if (position < 0)
      throw new ModelImportError(
        `The sample CSV has no column "${column.name}" (its columns: ${csv.header.join(', ')})`,
      );
    return position;
  });
  const rows = csv.rows.map((cells, row) =>
    columns.map((column, index) => {
      const text = (cells[positions[index] ?? 0] ?? '').trim();
      if (text === '') return null;
      if (column.type === 'string') return text;
      if (column.type === 'boolean') {
        if (/^(true|1)$/i.test(text)) return true;
        if (/^(false|0)$/i.test(text)) return false;
        throw new ModelImportError(
          `Row ${row + 1} of the sample, column "${column.name}": "${text.slice(0, 40)}" is not true or false`,
        );
      }
      const value = Number(text);
      if (!Number.isFinite(value))
        throw new ModelImportError(
          `Row ${row + 1} of the sample, column "${column.name}": "${text.slice(0, 40)}" is not a number`,
        );
      return value;
    }),
  );
  return { columns: columns.map(({ name, type }) => ({ name, type })), rows };
}
