import type { Sql } from '../client';

/**
 * What a retraining step reads and writes beside the run service: the pipeline it would start,
 * whom the monitoring run acts for, and the alerts it records its run on (model_alerts.retrain_run_id).
 */

export interface RetrainPipelineRow {
  id: string;
  name: string;
  archived: boolean;
  /** The latest saved version; null when the pipeline has none. */
  versionId: string | null;
  version: number | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A pipeline by id, or else by exact name (a live one before an archived one, the most recently
 * edited first), with its latest saved version.
 */
export async function findRetrainPipeline(
  sql: Sql,
  pipeline: string,
): Promise<RetrainPipelineRow | undefined> {
  const byId = UUID.test(pipeline) ? pipeline : null;
  const [row] = await sql<RetrainPipelineRow[]>`
    select p.id, p.name, p.archived_at is not null as archived, v.id as "versionId", v.version
    from pipelines p
    left join lateral (
      select id, version from pipeline_versions where pipeline_id = p.id order by version desc limit 1
    ) v on true
    where (${byId}::uuid is not null and p.id = ${byId}::uuid) or (${byId}::uuid is null and p.name = ${pipeline})
    order by p.archived_at is not null, p.updated_at desc
    limit 1`;
  return row;
}

/**
 * Whom a run acts for: the person who started it, the local CLI, or (for a scheduled run) the
 * schedule's owner. A run started for it acts for the same.
 */
export async function findRunOwner(
  sql: Sql,
  runId: string,
): Promise<{ userId: string | null; cli: string | null } | undefined> {
  const [row] = await sql<{ userId: string | null; cli: string | null }[]>`
    select coalesce(r.started_by, s.created_by) as "userId", r.started_by_cli as cli
    from runs r left join schedules s on s.id = r.schedule_id
    where r.id = ${runId}`;
  return row;
}

/** The account that saved a pipeline version (versions record their author's email), if it has one. */
export async function findVersionAuthor(
  sql: Sql,
  versionId: string,
): Promise<{ userId: string; role: string; banned: boolean } | undefined> {
  const [row] = await sql<{ userId: string; role: string; banned: boolean }[]>`
    select u.id as "userId", u.role, coalesce(u.banned, false) as banned
    from pipeline_versions v join users u on u.email = v.author
    where v.id = ${versionId}`;
  return row;
}

export async function runExists(sql: Sql, runId: string): Promise<boolean> {
  const [row] = await sql<
    { found: boolean }[]
  >`select exists(select 1 from runs where id = ${runId}) as found`;
  return row?.found === true;
}

/**
 * Runs `work` with the alerts' rows locked (in id order, so two steps never deadlock), given the
 * retraining run one of them already records, if any; `work` returns the run to record on every
 * alert that has none, or null to record nothing.
 */
export async function withAlertsLocked<T extends { runId: string | null }>(
  sql: Sql,
  alertIds: readonly string[],
  work: (recorded: string | null) => Promise<T>,
): Promise<T> {
  // Kept outside: postgres.js types a transaction's result by unwrapping it, which loses T.
  let result: T | undefined;
  await sql.begin(async (tx) => {
    const rows = await tx<{ retrainRunId: string | null }[]>`
      select retrain_run_id as "retrainRunId" from model_alerts
      where id = any(${[...alertIds]}::uuid[]) order by id for update`;
    const recorded = rows.find((row) => row.retrainRunId !== null)?.retrainRunId ?? null;
    const outcome = await work(recorded);
    if (outcome.runId !== null)
      await tx`
        update model_alerts set retrain_run_id = ${outcome.runId}
        where id = any(${[...alertIds]}::uuid[]) and retrain_run_id is null`;
    result = outcome;
  });
  if (!result) throw new Error('The alerts were not read');
  return result;
}

/** The alert a retraining run was started for (the first, when one check opened several). */
export async function findAlertOfRetrainRun(
  sql: Sql,
  runId: string,
): Promise<{ alertId: string; subject: string; modelName: string; state: string } | undefined> {
  const [row] = await sql<{ alertId: string; subject: string; modelName: string; state: string }[]>`
    select a.id as "alertId", a.subject, m.name as "modelName", a.state
    from model_alerts a join registered_models m on m.id = a.model_id
    where a.retrain_run_id = ${runId}
    order by a.subject = 'dataset' desc, a.opened_at, a.id
    limit 1`;
  return row;
}
