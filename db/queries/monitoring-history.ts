import type { Sql } from '../client';
import type { AlertKind, AlertState, MonitorState } from '../monitoring-schema';
import { dateOf } from './pool-dates';

/**
 * Monitoring as the app reads it back: a model's checks over a time range (for the Monitoring tab's
 * charts), its alerts with the retraining run each started and the monitoring pipeline that raised
 * it, and the open alerts counted for the navigation's badge and the Models list. The jsonb columns
 * come back as stored (unknown): the caller parses them with the drift report's schemas.
 */

export interface StoredCheck {
  id: string;
  runId: string | null;
  nodeId: string;
  version: number | null;
  windowFrom: Date | null;
  windowTo: Date | null;
  referenceRows: number;
  currentRows: number;
  state: MonitorState;
  features: unknown;
  modelStats: unknown;
  performance: unknown;
  createdAt: Date;
}

/**
 * A model's checks made in [from, to), oldest first (a chart's order): the newest `limit` of them,
 * read newest first along monitor_checks_model_created_idx and turned round.
 */
export async function listChecksInRange(
  sql: Sql,
  modelId: string,
  range: { from: Date; to: Date; limit: number },
): Promise<StoredCheck[]> {
  const rows = await sql<StoredCheck[]>`
    select id, run_id as "runId", node_id as "nodeId", version, window_from as "windowFrom",
      window_to as "windowTo", reference_rows as "referenceRows", current_rows as "currentRows", state,
      features, model_stats as "modelStats", performance, created_at as "createdAt"
    from monitor_checks
    where model_id = ${modelId}
      and created_at >= ${range.from.toISOString()}::timestamptz
      and created_at < ${range.to.toISOString()}::timestamptz
    order by created_at desc, id desc
    limit ${range.limit}`;
  return rows
    .map((row) => ({
      ...row,
      windowFrom: dateOf(row.windowFrom),
      windowTo: dateOf(row.windowTo),
      createdAt: dateOf(row.createdAt),
    }))
    .reverse();
}

/** How many checks a model has in all (the tab tells "no checks yet" from "none in this range"). */
export async function countModelChecks(sql: Sql, modelId: string): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from monitor_checks where model_id = ${modelId}`;
  return row?.count ?? 0;
}

export interface AlertWithRuns {
  id: string;
  subject: string;
  kind: AlertKind;
  state: AlertState;
  openedAt: Date;
  closedAt: Date | null;
  /** The monitoring pipeline and its step that raised the alert. */
  pipelineId: string;
  pipelineName: string;
  nodeId: string;
  /** The run of the monitoring pipeline whose check opened the alert; null once that run is deleted. */
  openedRunId: string | null;
  /** The retraining run the alert started, its pipeline and status; null when it started none. */
  retrain: { runId: string; pipelineId: string; pipelineName: string; status: string } | null;
}

interface AlertRow extends Omit<AlertWithRuns, 'retrain' | 'openedAt' | 'closedAt'> {
  openedAt: Date | string;
  closedAt: Date | string | null;
  retrainRunId: string | null;
  retrainPipelineId: string | null;
  retrainPipelineName: string | null;
  retrainStatus: string | null;
}

/**
 * A model's alerts: the open ones first (newest first), then the most recently opened closed ones,
 * `limit` in all; each with the monitoring pipeline that raised it and the retraining run it started.
 */
export async function listAlertsWithRuns(sql: Sql, modelId: string, limit: number): Promise<AlertWithRuns[]> {
  const rows = await sql<AlertRow[]>`
    select a.id, a.subject, a.kind, a.state, a.opened_at as "openedAt", a.closed_at as "closedAt",
      a.pipeline_id as "pipelineId", p.name as "pipelineName", a.node_id as "nodeId",
      c.run_id as "openedRunId",
      r.id as "retrainRunId", r.pipeline_id as "retrainPipelineId", rp.name as "retrainPipelineName",
      r.status as "retrainStatus"
    from model_alerts a
    join pipelines p on p.id = a.pipeline_id
    join monitor_checks c on c.id = a.opened_check_id
    left join runs r on r.id = a.retrain_run_id
    left join pipelines rp on rp.id = r.pipeline_id
    where a.model_id = ${modelId}
    order by (a.closed_at is null) desc, a.opened_at desc, a.id desc
    limit ${limit}`;
  return rows.map(
    ({ retrainRunId, retrainPipelineId, retrainPipelineName, retrainStatus, ...row }): AlertWithRuns => ({
      ...row,
      openedAt: dateOf(row.openedAt),
      closedAt: dateOf(row.closedAt),
      retrain:
        retrainRunId !== null && retrainPipelineId !== null
          ? {
              runId: retrainRunId,
              pipelineId: retrainPipelineId,
              pipelineName: retrainPipelineName ?? '',
              status: retrainStatus ?? 'queued',
            }
          : null,
    }),
  );
}

export interface OpenAlertCount {
  /** Open alerts in alert state and in warn state. */
  alert: number;
  warn: number;
}

/** Open alerts over every model (the navigation's badge). */
export async function countOpenAlerts(sql: Sql): Promise<OpenAlertCount> {
  const [row] = await sql<OpenAlertCount[]>`
    select count(*) filter (where state = 'alert')::int as alert,
      count(*) filter (where state = 'warn')::int as warn
    from model_alerts where closed_at is null`;
  return row ?? { alert: 0, warn: 0 };
}

export interface ModelOpenAlerts extends OpenAlertCount {
  modelId: string;
  name: string;
}

/** The models that have open alerts, with their counts, by name (the Models list marks them). */
export async function listModelsWithOpenAlerts(sql: Sql): Promise<ModelOpenAlerts[]> {
  return sql<ModelOpenAlerts[]>`
    select m.id as "modelId", m.name,
      count(*) filter (where a.state = 'alert')::int as alert,
      count(*) filter (where a.state = 'warn')::int as warn
    from model_alerts a join registered_models m on m.id = a.model_id
    where a.closed_at is null
    group by m.id, m.name
    order by m.name`;
}

/** One model's open alerts (the model page's header and its Monitoring tab's label). */
export async function countModelOpenAlerts(sql: Sql, modelId: string): Promise<OpenAlertCount> {
  const [row] = await sql<OpenAlertCount[]>`
    select count(*) filter (where state = 'alert')::int as alert,
      count(*) filter (where state = 'warn')::int as warn
    from model_alerts where model_id = ${modelId} and closed_at is null`;
  return row ?? { alert: 0, warn: 0 };
}
