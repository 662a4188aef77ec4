import type { DriftReport } from '../monitor-drift/report-schema';

export const startLevels = ['alert', 'warn'] as const;
export type StartLevel = (typeof startLevels)[number];

const RANK = { ok: 0, warn: 1, alert: 2 } as const;

export type RetrainDecision =
  | { start: true; alertIds: string[]; subjects: string[] }
  | { start: false; reason: string };

/**
 * Whether a check may start a retraining: its state reaches the step's level, and it has open
 * alerts at that level, opened now or kept from an earlier check. Each alert starts at most one
 * retraining: the port records the run on the alerts and answers "already" for an alert that has
 * one, so a continuing condition starts nothing new. Kept alerts count too, so that a subject that
 * opened as a warning and rose to an alert later retrains on `alert`, and a retried check (whose
 * first attempt already opened its alerts, which the retry sees as kept) still retrains.
 */
export function decideRetraining(
  report: Pick<DriftReport, 'state' | 'alerts'>,
  startOn: StartLevel,
): RetrainDecision {
  if (report.state === 'ok') return { start: false, reason: 'no retraining: state ok' };
  if (RANK[report.state] < RANK[startOn])
    return { start: false, reason: `no retraining: state ${report.state}, below ${startOn}` };
  const open = [...report.alerts.opened, ...report.alerts.kept].filter(
    (alert) => RANK[alert.state] >= RANK[startOn],
  );
  if (open.length === 0)
    return { start: false, reason: `no retraining: no open alert at ${startOn} or above` };
  return {
    start: true,
    alertIds: open.map((alert) => alert.alertId),
    subjects: open.map((alert) => alert.subject),
  };
}
