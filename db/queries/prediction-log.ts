import type { Sql } from '../client';

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
  /** JSON text of the request row and of the answer (jsonb in the table). */
  inputsJson: string;
  outputsJson: string;
}

/**
 * Inserts the rows in one statement: one array per column, unnested, so the statement is the same
 * (prepared once) whatever the number of rows. A prediction id already logged is skipped. The JSON
 * goes as text[] and PostgreSQL parses it (a jsonb[] parameter would be JSON-encoded once more).
 */
export async function insertPredictionLog(sql: Sql, rows: readonly PredictionLogRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await sql`
    insert into prediction_log (prediction_id, request_id, model_id, version, at, latency_ms, inputs, outputs)
    select * from unnest(
      ${rows.map((row) => row.predictionId)}::uuid[],
      ${rows.map((row) => row.requestId)}::text[],
      ${rows.map((row) => row.modelId)}::uuid[],
      ${rows.map((row) => row.version)}::int[],
      ${rows.map((row) => row.at.toISOString())}::timestamptz[],
      ${rows.map((row) => row.latencyMs)}::real[],
      ${rows.map((row) => row.inputsJson)}::text[]::jsonb[],
      ${rows.map((row) => row.outputsJson)}::text[]::jsonb[])
    on conflict (prediction_id) do nothing`;
  return result.count;
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
 * transactions), model by model along the (model_id, at) index. Returns the number deleted.
 */
export async function deleteOldPredictions(sql: Sql, days: number, batch: number): Promise<number> {
  let deleted = 0;
  for (const modelId of await loggedModels(sql)) {
    for (;;) {
      const result = await sql`
        delete from prediction_log where prediction_id in (
          select prediction_id from prediction_log
          where model_id = ${modelId} and at < now() - make_interval(days => ${days})
          limit ${batch})`;
      deleted += result.count;
      if (result.count < batch) break;
    }
  }
  return deleted;
}
