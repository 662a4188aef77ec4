import type { DriftReport } from '../monitor-drift/report-schema';

export const startLevels = ['alert', 'warn'] as const;
export type StartLevel = (typeof startLevels)[number];

const RANK = { ok: 0, warn: 1, alert: 2 } as const;

export type RetrainDecision =
  | { start: true; alertIds: string[]; subjects: string[] }
  | { start: false; reason: string };

/**
 * Whether a check starts a retraining: its state reaches the step's level, and the check opened an
 * alert at that level. An alert kept open from an earlier check is a continuing condition, which
 * started its retraining (or chose not to) when it opened: it starts none now. So a subject that
 * opened as a warning and later turns into an alert is kept, not opened, and starts nothing on
 * `alert`: a step that should retrain at the first sign starts on `warn`.
 */
export function decideRetraining(
  report: Pick<DriftReport, 'state' | 'alerts'>,
  startOn: StartLevel,
): RetrainDecision {
  if (report.state === 'ok') return { start: false, reason: 'no retraining: state ok' };
  if (RANK[report.state] < RANK[startOn])
    return { start: false, reason: `no retraining: state ${report.state}, below ${startOn}` };
  const opened = report.alerts.opened.filter((alert) => RANK[alert.state] >= RANK[startOn]);
  if (opened.length === 0)
    return {
      start: false,
      reason: `no retraining: the ${report.state} continues from an earlier check, whose alert started any retraining`,
    };
  return {
    start: true,
    alertIds: opened.map((alert) => alert.alertId),
    subjects: opened.map((alert) => alert.subject),
  };
}
