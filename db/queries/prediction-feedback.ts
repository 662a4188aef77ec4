import type { Sql } from '../client';
import { jsonText } from './json-text';

/**
 * Feedback on logged predictions (prediction_feedback): the lookup that tells which prediction ids
 * the log holds for a model, and the batched write. Each is one statement, whatever the number of
 * ids (a request carries up to 10,000).
 */

/**
 * A version's output as its signature records it (registry/version-schema.ts modelOutputSchema):
 * the task and, for classification, the classes. The signature is what serving answers by.
 */
export interface VersionOutputRow {
  version: number;
  output: unknown;
}

export interface LoggedPredictions {
  /** prediction id → the version that made it, for the ids the log holds for this model. */
  versionOf: Map<string, number>;
  /** The signature output of each of those versions. */
  versions: VersionOutputRow[];
}

/**
 * Which of `ids` (lower-case UUIDs) the prediction log holds for the model, with the version that
 * answered each and those versions' signature outputs. One statement: the versions come aggregated
 * beside the ids, so a version's classes travel once however many of its predictions are named.
 */
export async function findLoggedPredictions(
  sql: Sql,
  modelId: string,
  ids: readonly string[],
): Promise<LoggedPredictions> {
  if (ids.length === 0) return { versionOf: new Map(), versions: [] };
  const [row] = await sql<{ found: [string, number][]; versions: VersionOutputRow[] }[]>`
    with found as materialized (
      select prediction_id, version from prediction_log
      where model_id = ${modelId} and prediction_id = any(${[...ids]}::uuid[]) and role <> 'shadow'
    )
    select
      coalesce((select json_agg(json_build_array(prediction_id, version)) from found), '[]') as found,
      coalesce((
        select json_agg(json_build_object('version', v.version, 'output', v.signature -> 'output'))
        from model_versions v
        where v.model_id = ${modelId} and v.version in (select distinct version from found)
      ), '[]') as versions`;
  return { versionOf: new Map(row?.found ?? []), versions: row?.versions ?? [] };
}

export interface FeedbackRow {
  predictionId: string;
  /** The class or number, as it is stored (jsonb). */
  label: string | number | boolean;
}

/**
 * Stores the labels of the model's logged predictions in one INSERT … ON CONFLICT DO UPDATE: a
 * label sent again replaces the earlier one and moves received_at. The model and version are read
 * from the log row in the same statement, so an id the log does not hold for this model (another
 * model's, or one deleted by the retention sweep meanwhile) is skipped, never stored. An id given
 * twice keeps its last label (PostgreSQL refuses to update one row twice in a statement). Rows are
 * written in id order, so two requests correcting the same predictions lock them in the same
 * order and never deadlock. Returns the number of predictions stored.
 */
export async function upsertFeedback(
  sql: Sql,
  input: { modelId: string; keyId: string | null; rows: readonly FeedbackRow[] },
): Promise<number> {
  const latest = new Map(input.rows.map((row) => [row.predictionId, row.label]));
  if (latest.size === 0) return 0;
  const batch = jsonText([...latest].map(([p, label]) => ({ p, label })));
  const result = await sql`
    insert into prediction_feedback (prediction_id, model_id, version, label, key_id)
    select l.prediction_id, l.model_id, l.version, x.label, ${input.keyId}
    from json_to_recordset(${batch}::text::json) as x(p uuid, label jsonb)
    join prediction_log l on l.prediction_id = x.p and l.model_id = ${input.modelId}
    order by l.prediction_id
    on conflict (prediction_id) do update
      set label = excluded.label, version = excluded.version, key_id = excluded.key_id, received_at = now()
      where prediction_feedback.model_id = excluded.model_id`;
  return result.count;
}
