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
 * Inserts the rows in one statement whose one parameter is the whole batch as JSON text, built by
 * joining the rows' JSON (their inputs and outputs are JSON text already): the statement is the
 * same (prepared once) whatever the number of rows, and encoding a batch costs this process a
 * string join, not the quoting of eight array literals. A prediction id already logged is skipped.
 * The parameter is cast from text: postgres.js would JSON-encode a string sent as json once more.
 */
export async function insertPredictionLog(sql: Sql, rows: readonly PredictionLogRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const batch = `[${rows.map(rowJson).join(',')}]`;
  const result = await sql`
    insert into prediction_log (prediction_id, request_id, model_id, version, at, latency_ms, inputs, outputs)
    select p, r, m, v, a, l, i, o
    from json_to_recordset(${batch}::text::json)
      as x(p uuid, r text, m uuid, v int, a timestamptz, l real, i jsonb, o jsonb)
    on conflict (prediction_id) do nothing`;
  return result.count;
}

/** One row as a JSON object; the ids are ours (uuids), the request id is quoted like any text. */
function rowJson(row: PredictionLogRow): string {
  const latency = Number.isFinite(row.latencyMs) ? row.latencyMs : 0;
  return `{"p":"${row.predictionId}","r":${JSON.stringify(row.requestId)},"m":"${row.modelId}","v":${row.version},"a":"${row.at.toISOString()}","l":${latency},"i":${row.inputsJson},"o":${row.outputsJson}}`;
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
