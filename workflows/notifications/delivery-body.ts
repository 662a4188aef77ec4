import { alertDetailsSchema } from '../../db/queries/alert-notifications';
import type { WebhookBody } from './webhook-delivery';

/**
 * What leaves the installation about a notification (webhook bodies, emails): the event and its
 * title, the pipeline, the run and where to look, and for a model alert its structured figures.
 * Never the notification's message: a run's error text may quote SQL, file names or data, and is
 * for the app's feed (behind sign-in) only.
 */

const EVENT_TITLES: Record<string, string> = {
  run_failed: 'Run failed',
  gate_blocked: 'Gate blocked a run',
  schedule_skipped: 'Schedule skipped a run',
  schedule_missed: 'Schedule missed a run',
  model_alert: 'Model alert',
  test: 'Test notification',
};

export function eventTitle(event: string): string {
  return EVENT_TITLES[event] ?? event;
}

export interface BodySource {
  /** A NotificationEvent, or 'test'. */
  event: string;
  pipelineId: string;
  pipelineName: string;
  runId: string | null;
  /** notifications.details: for model_alert, the alert (alert-notifications.ts). */
  details: unknown;
}

export function deliveryBody(source: BodySource, publicUrl: URL): WebhookBody {
  const pipelineUrl = new URL(`/pipelines/${source.pipelineId}`, publicUrl);
  const runUrl = source.runId ? new URL(`?run=${source.runId}`, pipelineUrl).toString() : null;
  const body: WebhookBody = {
    event: source.event,
    title: eventTitle(source.event),
    pipeline: { id: source.pipelineId, name: source.pipelineName },
    run: source.runId && runUrl ? { id: source.runId, url: runUrl } : null,
    url: runUrl ?? pipelineUrl.toString(),
  };
  const alert = source.event === 'model_alert' ? alertDetailsSchema.safeParse(source.details) : null;
  if (!alert?.success) return body;
  const url = new URL(`/models/${encodeURIComponent(alert.data.model)}?tab=monitoring`, publicUrl).toString();
  return { ...body, alert: { ...alert.data, url }, url };
}
