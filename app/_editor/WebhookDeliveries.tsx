'use client';

import { useQuery } from '@tanstack/react-query';
import { EVENT_LABELS } from '../_components/notification-events';
import { useTRPC } from '../_trpc/client';

/** Fresh enough to watch a retry land while the log is open. */
const REFRESH_MS = 10_000;

/**
 * One webhook's latest deliveries, newest first: event, when, how it ended and how many attempts,
 * each opening to its attempts (time, outcome, HTTP status, error, duration). Errors are in our
 * words and never hold the URL, which is shown nowhere but as the webhook's hint.
 */
export function WebhookDeliveries({ pipelineId, webhookId }: { pipelineId: string; webhookId: string }) {
  const trpc = useTRPC();
  const log = useQuery({
    ...trpc.notifications.deliveries.queryOptions({ pipelineId, webhookId, limit: 20 }),
    refetchInterval: REFRESH_MS,
  });
  if (!log.data) return <p className="panel-note">{log.error ? log.error.message : 'Loading…'}</p>;
  if (log.data.deliveries.length === 0)
    return <p className="panel-note">Nothing sent yet. Each delivery and its attempts show here.</p>;
  return (
    <ul className="delivery-log" aria-label="Deliveries">
      {log.data.deliveries.map((delivery) => (
        <li key={delivery.id}>
          <details>
            <summary>
              <span className="delivery-event">{EVENT_LABELS[delivery.event]}</span>
              <span className={`delivery-status delivery-${delivery.status}`}>{delivery.status}</span>
              <span className="delivery-when">{delivery.createdAt.toLocaleString()}</span>
              <span className="delivery-attempts">
                {delivery.attempts.length} {delivery.attempts.length === 1 ? 'attempt' : 'attempts'}
              </span>
            </summary>
            <table className="attempt-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Time</th>
                  <th>Outcome</th>
                  <th>HTTP</th>
                  <th>Took</th>
                </tr>
              </thead>
              <tbody>
                {delivery.attempts.map((attempt) => (
                  <tr key={attempt.attempt}>
                    <td>{attempt.attempt}</td>
                    <td>{attempt.at.toLocaleTimeString()}</td>
                    <td className={attempt.ok ? 'test-ok' : 'test-failed'} title={attempt.error ?? undefined}>
                      {attempt.ok ? 'ok' : (attempt.error ?? 'failed')}
                    </td>
                    <td>{attempt.httpStatus ?? '—'}</td>
                    <td>{attempt.durationMs} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </li>
      ))}
    </ul>
  );
}
