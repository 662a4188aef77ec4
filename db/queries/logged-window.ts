import type { Sql } from '../client';

/**
 * The prediction log of one model over a window [from, to), read into columns for monitoring: one
 * Float64Array per number or boolean input (NaN when missing; true 1, false 0), one string array
 * per text input (null when missing), the latency, and the predicted label or value.
 *
 * Only the rows of versions whose signature has the same inputs (names and types, in order) and the
 * same task as the one asked for are read: `inputs` holds values by position, so a version with
 * other columns would put its values under the wrong names.
 *
 * SEAM: a plain query, every row an object; fine for tens of thousands of rows. The binary COPY
 * reader (db/queries/logged-columns.ts readLoggedColumns, same request and result) replaces it for
 * millions: swap the call in workflows/monitoring-port.ts.
 */

export interface LoggedInput {
  name: string;
  type: 'number' | 'boolean' | 'string';
}

export interface LoggedColumnsRequest {
  modelId: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  signature: { inputs: readonly LoggedInput[]; task: 'classification' | 'regression' };
}

export type LoggedColumn = Float64Array | (string | null)[];

export type LoggedPredictions =
  | { task: 'classification'; labels: (string | null)[] }
  | { task: 'regression'; values: Float64Array };

export interface LoggedColumns {
  rows: number;
  /** The versions whose rows were read (those with the same inputs and task), ascending. */
  versions: number[];
  /** Input name → one value per row, in signature order. */
  columns: Map<string, LoggedColumn>;
  latencyMs: Float64Array;
  predictions: LoggedPredictions;
}

interface LogRow {
  latencyMs: number;
  prediction: string | number | null;
  inputs: unknown;
}

export async function readLoggedWindow(sql: Sql, request: LoggedColumnsRequest): Promise<LoggedColumns> {
  if (!(request.from.getTime() <= request.to.getTime()))
    throw new Error('The window must be valid dates, its start not after its end');
  const { inputs, task } = request.signature;
  const versions = await sameSignatureVersions(sql, request);
  const rows =
    versions.length === 0
      ? []
      : await sql<LogRow[]>`
          select latency_ms as "latencyMs", inputs,
            case when ${task} = 'regression' then outputs->'value' else to_jsonb(outputs->>'label') end
              as prediction
          from prediction_log
          where model_id = ${request.modelId} and at >= ${request.from.toISOString()}::timestamptz
            and at < ${request.to.toISOString()}::timestamptz
            and version = any(${versions}::int[])`;
  const columns = new Map<string, LoggedColumn>();
  inputs.forEach((input, index) => {
    columns.set(input.name, columnOf(input.type, rows, index));
  });
  return {
    rows: rows.length,
    versions,
    columns,
    latencyMs: Float64Array.from(rows, (row) => row.latencyMs),
    predictions:
      task === 'classification'
        ? {
            task,
            labels: rows.map((row) => (typeof row.prediction === 'string' ? row.prediction : null)),
          }
        : {
            task,
            values: Float64Array.from(rows, (row) =>
              typeof row.prediction === 'number' ? row.prediction : Number.NaN,
            ),
          },
  };
}

/** One input's values by position in each row's logged `inputs` (exported for the labelled reader). */
export function columnOf(
  type: LoggedInput['type'],
  rows: readonly { inputs: unknown }[],
  index: number,
): LoggedColumn {
  const valueAt = (row: { inputs: unknown }): unknown =>
    Array.isArray(row.inputs) ? row.inputs[index] : null;
  if (type === 'string') return rows.map((row) => textOf(valueAt(row)));
  return Float64Array.from(rows, (row) => numberOf(valueAt(row)));
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** A boolean column takes 1 and 0 for true and false, as serving does. */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number.NaN;
}

/** The model's versions whose inputs (names and types, in order) and task are the signature's. */
export async function sameSignatureVersions(
  sql: Sql,
  request: Pick<LoggedColumnsRequest, 'modelId' | 'signature'>,
): Promise<number[]> {
  const shape = JSON.stringify(request.signature.inputs.map((input) => [input.name, input.type]));
  const rows = await sql<{ version: number }[]>`
    select version from model_versions
    where model_id = ${request.modelId}
      and signature->'output'->>'task' = ${request.signature.task}
      and (select coalesce(jsonb_agg(jsonb_build_array(c->>'name', c->>'type') order by n), '[]'::jsonb)
           from jsonb_array_elements(signature->'inputs') with ordinality as e(c, n)) = ${shape}::jsonb
    order by version`;
  return rows.map((row) => row.version);
}
