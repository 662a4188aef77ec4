import type { ModelSignature } from '../registry/version-schema';

/**
 * The prediction request bodies serving accepts, read into rows (column → value):
 * - native: {"rows": [{…}, …]} — answered with Pipewright's shape;
 * - MLflow's /invocations bodies, answered with MLflow's {"predictions": […]}:
 *   - {"dataframe_split": {"columns": [...], "data": [[...], ...]}} (an "index" is ignored);
 *   - {"dataframe_records": [{…}, …]};
 *   - {"instances": [...]} and {"inputs": [...]}: a list of records, or a list of lists whose
 *     values are in the signature's input order (what openapi.json lists);
 *   - {"inputs": {"column": [values…], …}}: columns of equal length.
 *   MLflow's "params" is accepted beside them and ignored (a Pipewright model takes none).
 * A body is exactly one of these; anything else is a 400 whose sentence says what was expected.
 */

export type RequestFormat = 'rows' | 'dataframe_split' | 'dataframe_records' | 'instances' | 'inputs';
export type Row = Record<string, unknown>;

/**
 * A row with no prototype: a column named "__proto__" or "constructor" is a column like any other
 * (assigning "__proto__" on a plain object would replace its prototype instead).
 */
function emptyRow(): Row {
  return Object.create(null);
}

export type ParsedRows = { ok: true; format: RequestFormat; rows: Row[] } | { ok: false; message: string };

/** More rows than this in one request is refused: a batch that size belongs in a pipeline run. */
export const MAX_ROWS = 10_000;

const FORMATS: readonly RequestFormat[] = [
  'rows',
  'dataframe_split',
  'dataframe_records',
  'instances',
  'inputs',
];
const EXPECTED =
  'The body must be a JSON object with "rows" (a list of records), or one of MLflow\'s "dataframe_split", "dataframe_records", "instances" or "inputs"';

function isRecord(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuse(message: string): ParsedRows {
  return { ok: false, message };
}

export function readRequestRows(body: unknown, signature: ModelSignature): ParsedRows {
  if (!isRecord(body)) return refuse(EXPECTED);
  const keys = Object.keys(body).filter((key) => key !== 'params');
  const formats = keys.filter((key): key is RequestFormat => FORMATS.some((format) => format === key));
  const unknown = keys.filter((key) => !formats.some((format) => format === key));
  if (unknown.length > 0)
    return refuse(`Unknown field${unknown.length > 1 ? 's' : ''} ${quoteList(unknown)}. ${EXPECTED}`);
  const [format, second] = formats;
  if (format === undefined) return refuse(EXPECTED);
  if (second !== undefined) return refuse(`The body has both "${format}" and "${second}": send one of them`);
  // Each reader refuses more than MAX_ROWS before it builds a single row (tooMany).
  const rows = rowsOf(format, body[format], signature);
  if (!Array.isArray(rows)) return rows;
  if (rows.length === 0) return refuse(`"${format}" holds no rows`);
  return { ok: true, format, rows };
}

/** Checked on the lists as they come, so an oversized one costs no row objects. */
function tooMany(format: RequestFormat, count: number): ParsedRows | undefined {
  return count > MAX_ROWS
    ? refuse(`"${format}" holds ${count} rows; one request takes at most ${MAX_ROWS}`)
    : undefined;
}

function rowsOf(format: RequestFormat, value: unknown, signature: ModelSignature): Row[] | ParsedRows {
  switch (format) {
    case 'rows':
    case 'dataframe_records':
      return records(format, value);
    case 'dataframe_split':
      return split(value);
    case 'instances':
      return listOrRecords(format, value, signature);
    case 'inputs':
      return isRecord(value) ? columns(value) : listOrRecords(format, value, signature);
  }
}

function records(format: RequestFormat, value: unknown): Row[] | ParsedRows {
  if (!Array.isArray(value)) return refuse(`"${format}" must be a list of records ({"column": value, …})`);
  const refusal = tooMany(format, value.length);
  if (refusal) return refusal;
  const rows: Row[] = [];
  for (const [index, row] of value.entries()) {
    if (!isRecord(row)) return refuse(`"${format}" row ${index} is not a record ({"column": value, …})`);
    rows.push(row);
  }
  return rows;
}

function split(value: unknown): Row[] | ParsedRows {
  const shape = '"dataframe_split" must be {"columns": [names…], "data": [[values…], …]}';
  if (!isRecord(value)) return refuse(shape);
  const names = value.columns;
  const data = value.data;
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) return refuse(shape);
  if (!Array.isArray(data)) return refuse(shape);
  return positional('dataframe_split', data, names);
}

/** instances / inputs as a list: records, or lists in the signature's input order. */
function listOrRecords(format: RequestFormat, value: unknown, signature: ModelSignature): Row[] | ParsedRows {
  if (!Array.isArray(value))
    return refuse(
      format === 'inputs'
        ? '"inputs" must be a list of records, a list of lists, or {"column": [values…], …}'
        : '"instances" must be a list of records or a list of lists',
    );
  const refusal = tooMany(format, value.length);
  if (refusal) return refusal;
  if (value.every(Array.isArray))
    return positional(
      format,
      value,
      signature.inputs.map((column) => column.name),
    );
  return records(format, value);
}

function positional(format: RequestFormat, data: unknown[], names: readonly string[]): Row[] | ParsedRows {
  const refusal = tooMany(format, data.length);
  if (refusal) return refusal;
  const rows: Row[] = [];
  for (const [index, values] of data.entries()) {
    if (!Array.isArray(values)) return refuse(`"${format}" row ${index} is not a list of values`);
    if (values.length !== names.length)
      return refuse(
        `"${format}" row ${index} has ${values.length} values for ${names.length} columns (${quoteList(names, 10)})`,
      );
    const row = emptyRow();
    names.forEach((name, k) => {
      row[name] = values[k];
    });
    rows.push(row);
  }
  return rows;
}

/** inputs as {"column": [values…]}: every list the same length. */
function columns(value: Row): Row[] | ParsedRows {
  const entries = Object.entries(value);
  const length = entries.reduce(
    (found: number | undefined, [, list]) =>
      Array.isArray(list) && found === undefined ? list.length : found,
    undefined,
  );
  const refusal = tooMany('inputs', length ?? 0);
  if (refusal) return refusal;
  const rows: Row[] = Array.from({ length: length ?? 0 }, emptyRow);
  for (const [name, list] of entries) {
    if (!Array.isArray(list)) return refuse(`"inputs" column "${name}" must be a list of values`);
    if (list.length !== length)
      return refuse(
        `"inputs" columns differ in length: "${name}" has ${list.length} values, others ${length}`,
      );
    list.forEach((item, index) => {
      const row = rows[index];
      if (row) row[name] = item;
    });
  }
  return rows;
}

function quoteList(names: readonly string[], cap = 5): string {
  const shown = names.slice(0, cap).map((name) => `"${name.slice(0, 60)}"`);
  return names.length > cap ? `${shown.join(', ')} and ${names.length - cap} more` : shown.join(', ');
}
