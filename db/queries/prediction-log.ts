import type { Sql } from '../client';
import { jsonText } from './json-text';

/**
 * The prediction log's writes: many records in one statement (the serving process batches them off
 * the request path), and the retention sweep. Monitoring reads the log.
 */

export interface PredictionLogRow {
  predictionId: string;
  requestId: string;
  modelId: string;
  version: number;
  at: Date;
  latencyMs: number;
  /** The request row's values in signature order (json in the table), and the answer (jsonb). */
  inputs: readonly unknown[];
  outputs: unknown;
  /** Absent: production's answer. */
  role?: 'canary' | 'shadow';
  /** A shadow answer: the prediction id of production's answer it shadows. */
  shadowOf?: string;
}

/**
 * Inserts the rows in one statement whose one parameter is the whole batch as JSON text, made by
 * one JSON.stringify of the batch (V8's fast path: several times cheaper than encoding each record
 * and joining the pieces, and every prediction passes through here): the statement is the same
 * (prepared once) whatever the number of rows. Times travel as epoch milliseconds (the column keeps
 * milliseconds), which PostgreSQL turns into timestamps. A prediction id already logged is skipped.
 * The parameter is cast from text: postgres.js would JSON-encode a string sent as json once more.
 */
export async function insertPredictionLog(sql: Sql, rows: readonly PredictionLogRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const batch = jsonText(rows.map(compactRow));
  const result = await sql`
    insert into prediction_log (prediction_id, request_id, model_id, version, at, latency_ms, inputs, outputs, role, shadow_of)
    select p, r, m, v, to_timestamp(a / 1000), l, i, o, coalesce(k, 'production'), s
    from json_to_recordset(${batch}::text::json)
      as x(p uuid, r text, m uuid, v int, a double precision, l real, i json, o jsonb, k text, s uuid)
    on conflict (prediction_id) do nothing`;
  return result.count;
}

/** One row under one-letter keys, which is all the batch's JSON repeats for every row. */
function compactRow(row: PredictionLogRow) {
  return {
    p: row.predictionId,
    r: row.requestId,
    m: row.modelId,
    v: row.version,
    a: row.at.getTime(),
    l: Number.isFinite(row.latencyMs) ? row.latencyMs : 0,
    i: row.inputs,
    o: row.outputs,
    // Only rollout's rows carry these: production's rows stay as short as before.
    ...(row.role === undefined ? {} : { k: row.role }),
    ...(row.shadowOf === undefined ? {} : { s: row.shadowOf }),
  };
}

/**
 * The models that have records in the log, found by skipping through the (model_id, at) index
 * rather than scanning the table.
 */
async function loggedModels(sql: Sql): Promise<string[]> {
  const rows = await sql<{ modelId: string }[]>`
    with recursive models as (
      (select model_id from prediction_log order by model_id limit 1)
      union all
      select (select p.model_id from prediction_log p where p.model_id > models.model_id order by p.model_id limit 1)
      from models where models.model_id is not null
    )
    select model_id as "modelId" from models where model_id is not null`;
  return rows.map((row) => row.modelId);
}

/**
 * Deletes records older than `days` days, at most `batch` rows per statement (short locks, small
 * transactions), model by model along the (model_id, at) index, and in the same statement the
 * feedback labels of those predictions (a label with no logged inputs is of no use to monitoring
 * or retraining). Returns the number of records deleted.
 */
export async function deleteOldPredictions(sql: Sql, days: number, batch: number): Promise<number> {
  let deleted = 0;
  for (const modelId of await loggedModels(sql)) {
    for (;;) {
      const [result] = await sql<{ count: number }[]>`
        with gone as (
          delete from prediction_log where prediction_id in (
            select prediction_id from prediction_log
            where model_id = ${modelId} and at < now() - make_interval(days => ${days})
            limit ${batch})
          returning prediction_id
        ), labels as (
          delete from prediction_feedback f using gone where f.prediction_id = gone.prediction_id
        )
        select count(*)::int as count from gone`;
      const count = result?.count ?? 0;
      deleted += count;
      if (count < batch) break;
    }
  }
  return deleted;
}
