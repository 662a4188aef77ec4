import { z } from 'zod';
import type { Transaction } from '../client';
import { NOTIFICATIONS_CHANNEL } from './notifications';
import { capStoredText } from './text-caps';

/**
 * The model_alert notifications of a monitor step's alert sync, written in its transaction: an
 * alert that opens, or an open one that rises from warn to alert, is told once. A kept condition
 * tells nothing new (the issue: "a condition that continues raises no second alert"), and neither
 * does a close: the Monitoring tab shows it, and a feature that flaps around its threshold would
 * otherwise send two messages per check.
 */

/** The figure behind an alert, as the check measured it. */
const figureSchema = z.object({
  name: z.string(),
  value: z.number().nullable(),
  warn: z.number().nullable(),
  alert: z.number().nullable(),
});

/** What a model_alert notification keeps (notifications.details) and outside bodies carry. */
export const alertDetailsSchema = z.object({
  model: z.string(),
  version: z.number().nullable(),
  subject: z.string(),
  kind: z.enum(['drift', 'performance']),
  state: z.enum(['warn', 'alert']),
  escalated: z.boolean(),
  figure: figureSchema.nullable(),
  openedAt: z.string(),
});
export type AlertDetails = z.infer<typeof alertDetailsSchema>;

/** The parts of a check's jsonb this reads; anything else in them is ignored. */
const featureFiguresSchema = z.array(
  z.object({
    feature: z.string(),
    state: z.string(),
    psi: z.number().nullable().optional(),
    thresholds: z.object({ psiWarn: z.number(), psiAlert: z.number() }).optional(),
  }),
);
const performanceFiguresSchema = z.object({
  checks: z.array(
    z.object({
      metric: z.string(),
      value: z.number().nullable(),
      threshold: z.number().nullable(),
    }),
  ),
});

export interface RaisedAlert {
  alertId: string;
  /** True when it was open already, in warn, and is now in alert. */
  escalated: boolean;
}

interface AlertFacts {
  id: string;
  pipelineId: string;
  subject: string;
  kind: 'drift' | 'performance';
  state: 'warn' | 'alert';
  openedAt: Date | string;
  model: string;
  version: number | null;
  runId: string | null;
  features: unknown;
  performance: unknown;
}

export async function recordAlertNotifications(
  tx: Transaction,
  raised: readonly RaisedAlert[],
): Promise<void> {
  if (raised.length === 0) return;
  const escalated = new Set(raised.filter((alert) => alert.escalated).map((alert) => alert.alertId));
  const rows = await tx<AlertFacts[]>`
    select a.id, a.pipeline_id as "pipelineId", a.subject, a.kind, a.state, a.opened_at as "openedAt",
      m.name as model, c.version, c.run_id as "runId", c.features, c.performance
    from model_alerts a
    join registered_models m on m.id = a.model_id
    join monitor_checks c on c.id = a.last_check_id
    where a.id = any(${raised.map((alert) => alert.alertId)}::uuid[])
    order by a.subject`;
  for (const row of rows) {
    const details: AlertDetails = {
      model: row.model,
      version: row.version,
      subject: row.subject,
      kind: row.kind,
      state: row.state,
      escalated: escalated.has(row.id),
      figure: figureOf(row),
      openedAt: new Date(row.openedAt).toISOString(),
    };
    const [notification] = await tx<{ id: string }[]>`
      insert into notifications (event, pipeline_id, run_id, alert_id, message, details)
      values ('model_alert', ${row.pipelineId}, ${row.runId}, ${row.id}, ${capStoredText(alertMessage(details))},
        ${JSON.stringify(details)}::jsonb)
      returning id`;
    // Sent at commit: the notifier never wakes for a rolled-back alert.
    if (notification) await tx`select pg_notify(${NOTIFICATIONS_CHANNEL}, ${notification.id})`;
  }
}

function figureOf(row: AlertFacts): AlertDetails['figure'] {
  if (row.kind === 'performance') {
    const performance = performanceFiguresSchema.safeParse(row.performance);
    const check = performance.success
      ? performance.data.checks.find((candidate) => candidate.metric === row.subject)
      : undefined;
    return check ? { name: check.metric, value: check.value, warn: null, alert: check.threshold } : null;
  }
  const features = featureFiguresSchema.safeParse(row.features);
  if (!features.success) return null;
  if (row.subject === 'dataset') {
    const drifted = features.data.filter((feature) => feature.state === 'alert').length;
    return { name: 'drifted features', value: drifted, warn: null, alert: null };
  }
  const feature = features.data.find((candidate) => candidate.feature === row.subject);
  if (!feature) return null;
  return {
    name: 'psi',
    value: feature.psi ?? null,
    warn: feature.thresholds?.psiWarn ?? null,
    alert: feature.thresholds?.psiAlert ?? null,
  };
}

/** The alert in plain words, e.g. "Model churn v3: input drift alert on tenure (PSI 0.31, alerts at 0.2)". */
export function alertMessage(details: AlertDetails): string {
  const model =
    details.version === null ? `Model ${details.model}` : `Model ${details.model} v${details.version}`;
  const what = details.kind === 'drift' ? 'input drift' : 'performance';
  const level = details.state === 'alert' ? 'alert' : 'warning';
  const on = details.subject === 'dataset' ? 'the inputs as a whole' : details.subject;
  const rose = details.escalated ? ' (rose from warning)' : '';
  return `${model}: ${what} ${level} on ${on}${figureText(details)}${rose}`;
}

function figureText(details: AlertDetails): string {
  const figure = details.figure;
  if (!figure || figure.value === null) return '';
  if (figure.name === 'psi') {
    const limit = details.state === 'alert' ? figure.alert : figure.warn;
    const verb = details.state === 'alert' ? 'alerts' : 'warns';
    return ` (PSI ${round(figure.value)}${limit === null ? '' : `, ${verb} at ${limit}`})`;
  }
  if (figure.name === 'drifted features') {
    const count = figure.value;
    return ` (${count} ${count === 1 ? 'feature' : 'features'} drifted)`;
  }
  return ` (${figure.name} ${round(figure.value)}${figure.alert === null ? '' : `, threshold ${round(figure.alert)}`})`;
}

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
