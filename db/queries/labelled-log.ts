import type { Sql } from '../client';
import {
  columnOf,
  type LoggedColumn,
  type LoggedColumnsRequest,
  sameSignatureVersions,
} from './logged-window';

/**
 * The logged predictions of a model in a window [from, to) that have feedback, as columns: the
 * raw inputs (read as logged-window.ts reads them, versions with the same inputs and task only)
 * and the true label or value each got. Prediction time decides the window, not feedback time:
 * labels that arrive days later still belong to the window their prediction was made in. Rows come
 * in prediction order, so the same window always gives the same dataset.
 */

export type FeedbackLabel = string | number | boolean | null;

export interface LabelledColumns {
  rows: number;
  versions: number[];
  /** Input name → one value per row, in signature order. */
  columns: Map<string, LoggedColumn>;
  /** The feedback: a class as sent (text, number or boolean), or a number for regression. */
  labels: FeedbackLabel[];
}

interface LabelledRow {
  inputs: unknown;
  label: unknown;
}

export async function readLabelledWindow(sql: Sql, request: LoggedColumnsRequest): Promise<LabelledColumns> {
  if (!(request.from.getTime() <= request.to.getTime()))
    throw new Error('The window must be valid dates, its start not after its end');
  const versions = await sameSignatureVersions(sql, request);
  const rows =
    versions.length === 0
      ? []
      : await sql<LabelledRow[]>`
          select l.inputs, f.label
          from prediction_log l
          join prediction_feedback f on f.prediction_id = l.prediction_id and f.model_id = l.model_id
          where l.model_id = ${request.modelId} and l.at >= ${request.from.toISOString()}::timestamptz
            and l.at < ${request.to.toISOString()}::timestamptz
            and l.version = any(${versions}::int[])
          order by l.at, l.prediction_id`;
  const columns = new Map<string, LoggedColumn>();
  request.signature.inputs.forEach((input, index) => {
    columns.set(input.name, columnOf(input.type, rows, index));
  });
  return { rows: rows.length, versions, columns, labels: rows.map((row) => labelOf(row.label)) };
}

function labelOf(value: unknown): FeedbackLabel {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
}
