/** Words for each notification event, as the bell's list and a pipeline's settings show them. */
export const EVENT_LABELS = {
  run_failed: 'Run failed',
  gate_blocked: 'Gate blocked a run',
  schedule_skipped: 'Schedule skipped a start',
  schedule_missed: 'Schedule missed a start',
  model_alert: 'Model alert',
} as const;

export type NotificationEventName = keyof typeof EVENT_LABELS;

export const EVENT_NAMES: NotificationEventName[] = [
  'run_failed',
  'gate_blocked',
  'schedule_skipped',
  'schedule_missed',
  'model_alert',
];
