import type { Sql } from '../client';
import type { AlertKind, AlertState, MonitorState } from '../monitoring-schema';
import { recordAlertNotifications } from './alert-notifications';
import { jsonText } from './json-text';
import { dateOf } from './pool-dates';

/**
 * Monitoring's records: the checks monitor steps make (monitor_checks) and the alerts they keep
 * (model_alerts). One open alert per monitor step and subject; a check keeps it open, updates its
 * state and points it at itself, or closes it.
 */

/** The facts a monitor step takes from its run: the monitoring pipeline, and when the run started. */
export async function findMonitorRun(
  sql: Sql,
  runId: string,
): Promise<{ pipelineId: string; startedAt: Date } | undefined> {
  const [row] = await sql<{ pipelineId: string; startedAt: Date | string }[]>`
    select pipeline_id as "pipelineId", started_at as "startedAt" from runs where id = ${runId}`;
  return row && { pipelineId: row.pipelineId, startedAt: new Date(row.startedAt) };
}

/** The end of the window of a monitor step's latest check in an earlier run of its pipeline. */
export async function findLastCheckEnd(
  sql: Sql,
  step: { pipelineId: string; nodeId: string; runId: string },
): Promise<Date | null> {
  const [row] = await sql<{ windowTo: Date | string }[]>`
    select c.window_to as "windowTo" from monitor_checks c join runs r on r.id = c.run_id
    where r.pipeline_id = ${step.pipelineId} and c.node_id = ${step.nodeId} and c.run_id <> ${step.runId}
      and c.window_to is not null
    order by c.window_to desc limit 1`;
  return row ? dateOf(row.windowTo) : null;
}

export interface NewMonitorCheck {
  runId: string;
  nodeId: string;
  modelId: string;
  version: number | null;
  windowFrom: Date | null;
  windowTo: Date | null;
  referenceRows: number;
  currentRows: number;
  state: MonitorState;
  features: unknown;
  modelStats: unknown;
  /** Quality on the window's predictions with feedback; null when not measured. */
  performance: unknown;
}

/**
 * Records a check (times are sent as ISO text: the worker's pool is shared with drizzle, whose
 * postgres.js driver serialises no Date). The same run and step writing again (a retried attempt) replaces its first
 * check in place, so alerts pointing at it stay valid and there is one check per step of a run.
 */
export async function recordMonitorCheck(sql: Sql, check: NewMonitorCheck): Promise<{ id: string }> {
  const [row] = await sql<{ id: string }[]>`
    insert into monitor_checks (run_id, node_id, model_id, version, window_from, window_to,
      reference_rows, current_rows, state, features, model_stats, performance)
    values (${check.runId}, ${check.nodeId}, ${check.modelId}, ${check.version},
      ${check.windowFrom?.toISOString() ?? null}::timestamptz, ${check.windowTo?.toISOString() ?? null}::timestamptz,
      ${check.referenceRows}, ${check.currentRows}, ${check.state},
      ${jsonText(check.features)}::jsonb, ${jsonText(check.modelStats)}::jsonb,
      ${check.performance === null ? null : jsonText(check.performance)}::jsonb)
    on conflict (run_id, node_id) where run_id is not null do update set
      model_id = excluded.model_id, version = excluded.version, window_from = excluded.window_from,
      window_to = excluded.window_to, reference_rows = excluded.reference_rows,
      current_rows = excluded.current_rows, state = excluded.state, features = excluded.features,
      model_stats = excluded.model_stats, performance = excluded.performance, created_at = now()
    returning id`;
  if (!row) throw new Error('The monitor check was not written');
  return row;
}

export interface AlertSubjectState {
  subject: string;
  kind: AlertKind;
  state: MonitorState;
}

export interface AlertSyncInput {
  pipelineId: string;
  nodeId: string;
  modelId: string;
  checkId: string;
  subjects: readonly AlertSubjectState[];
  /** Kinds the check could not judge: their open alerts are left as they are. */
  unjudgedKinds?: readonly AlertKind[];
}

export interface AlertTouched {
  alertId: string;
  subject: string;
  kind: AlertKind;
  state: AlertState;
}

/**
 * Brings a monitor step's open alerts in line with its latest check, in one transaction: alerts
 * of subjects now ok or absent (or of another model: the step was pointed elsewhere) are closed;
 * each subject in warn or alert keeps its open alert (state and last check updated) or opens one.
 * The open-or-keep is one upsert on the partial unique index, so two checks racing still leave one
 * open alert per subject. An alert that opens, or rises from warn to alert, is told in the same
 * transaction (a model_alert notification: alert-notifications.ts).
 */
export async function syncModelAlerts(
  sql: Sql,
  input: AlertSyncInput,
): Promise<{ opened: AlertTouched[]; kept: AlertTouched[]; closed: AlertTouched[] }> {
  const raised = input.subjects.filter(
    (subject): subject is AlertSubjectState & { state: AlertState } => subject.state !== 'ok',
  );
  // A subject is its kind and name together (a feature and a metric may share a name).
  const key = (subject: { kind: string; subject: string }) => `${subject.kind}:${subject.subject}`;
  const raisedKeys = raised.map(key);
  return sql.begin(async (tx) => {
    const closed = await tx<AlertTouched[]>`
      update model_alerts set closed_at = now(), last_check_id = ${input.checkId}
      where pipeline_id = ${input.pipelineId} and node_id = ${input.nodeId} and closed_at is null
        and (model_id <> ${input.modelId} or (kind || ':' || subject <> all(${raisedKeys}::text[])
          and kind <> all(${[...(input.unjudgedKinds ?? [])]}::text[])))
      returning id as "alertId", subject, kind, state`;
    // The states before this check, locked, to tell an alert that rises from warn to alert.
    const prior = await tx<{ subject: string; kind: AlertKind; state: AlertState }[]>`
      select subject, kind, state from model_alerts
      where pipeline_id = ${input.pipelineId} and node_id = ${input.nodeId} and closed_at is null
      for update`;
    const priorState = new Map(prior.map((row) => [key(row), row.state]));
    const opened: AlertTouched[] = [];
    const kept: AlertTouched[] = [];
    for (const subject of raised) {
      const [row] = await tx<(AlertTouched & { inserted: boolean })[]>`
        insert into model_alerts (model_id, pipeline_id, node_id, subject, kind, state,
          opened_check_id, last_check_id)
        values (${input.modelId}, ${input.pipelineId}, ${input.nodeId}, ${subject.subject}, ${subject.kind},
          ${subject.state}, ${input.checkId}, ${input.checkId})
        on conflict (pipeline_id, node_id, kind, subject) where closed_at is null do update set
          state = excluded.state, last_check_id = excluded.last_check_id
        returning id as "alertId", subject, kind, state, (xmax = 0) as inserted`;
      if (!row) throw new Error(`The alert on ${subject.subject} was not written`);
      const { inserted, ...alert } = row;
      (inserted ? opened : kept).push(alert);
    }
    await recordAlertNotifications(tx, [
      ...opened.map((alert) => ({ alertId: alert.alertId, escalated: false })),
      ...kept
        .filter((alert) => alert.state === 'alert' && priorState.get(key(alert)) === 'warn')
        .map((alert) => ({ alertId: alert.alertId, escalated: true })),
    ]);
    return { opened, kept, closed };
  });
}

export interface ModelAlert {
  id: string;
  modelId: string;
  pipelineId: string;
  nodeId: string;
  subject: string;
  kind: AlertKind;
  state: AlertState;
  openedAt: Date;
  openedCheckId: string;
  lastCheckId: string;
  closedAt: Date | null;
  retrainRunId: string | null;
}

/** A model's alerts, newest first (open and closed). */
export async function listModelAlerts(sql: Sql, modelId: string, limit = 200): Promise<ModelAlert[]> {
  const rows = await sql<ModelAlert[]>`
    select id, model_id as "modelId", pipeline_id as "pipelineId", node_id as "nodeId", subject, kind,
      state, opened_at as "openedAt", opened_check_id as "openedCheckId", last_check_id as "lastCheckId",
      closed_at as "closedAt", retrain_run_id as "retrainRunId"
    from model_alerts where model_id = ${modelId}
    order by opened_at desc, id desc limit ${limit}`;
  return rows.map((row) => ({ ...row, openedAt: dateOf(row.openedAt), closedAt: dateOf(row.closedAt) }));
}

export interface MonitorCheck extends Omit<NewMonitorCheck, 'runId'> {
  id: string;
  /** Null once the run is deleted. */
  runId: string | null;
  createdAt: Date;
}

/** A model's checks, newest first, along the (model_id, created_at) index. */
export async function listMonitorChecks(sql: Sql, modelId: string, limit = 200): Promise<MonitorCheck[]> {
  const rows = await sql<MonitorCheck[]>`
    select id, run_id as "runId", node_id as "nodeId", model_id as "modelId", version,
      window_from as "windowFrom", window_to as "windowTo", reference_rows as "referenceRows",
      current_rows as "currentRows", state, features, model_stats as "modelStats", performance,
      created_at as "createdAt"
    from monitor_checks where model_id = ${modelId}
    order by created_at desc, id desc limit ${limit}`;
  return rows.map((row) => ({
    ...row,
    windowFrom: dateOf(row.windowFrom),
    windowTo: dateOf(row.windowTo),
    createdAt: dateOf(row.createdAt),
  }));
}
