import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { notificationDeliveries } from '../schema';
import { logDeliveryAttempt } from './delivery-attempts';
import { type DeliveryTarget, type DeliveryTargetRow, deliveryTargetOf } from './notifications';
import { capStoredText } from './text-caps';

/**
 * Deliveries a Temporal workflow sends (sent_by 'temporal', model alerts): the notifier starts a
 * workflow for each new one and marks it started; the workflow's activity reads it, makes one
 * attempt, logs it and records the outcome. Temporal's retry policy brings the next attempt.
 */

/** Pending temporal deliveries whose workflow has not been marked started, oldest first. */
export async function unstartedTemporalDeliveries(db: Database, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: notificationDeliveries.id })
    .from(notificationDeliveries)
    .where(
      and(
        eq(notificationDeliveries.sentBy, 'temporal'),
        eq(notificationDeliveries.status, 'pending'),
        sql`${notificationDeliveries.workflowStartedAt} is null`,
      ),
    )
    .orderBy(notificationDeliveries.createdAt)
    .limit(limit);
  return rows.map((row) => row.id);
}

export async function markWorkflowStarted(db: Database, id: string): Promise<void> {
  await db
    .update(notificationDeliveries)
    .set({ workflowStartedAt: sql`now()` })
    .where(and(eq(notificationDeliveries.id, id), sql`${notificationDeliveries.workflowStartedAt} is null`));
}

export interface TemporalDelivery extends DeliveryTarget {
  status: 'pending' | 'delivered' | 'failed';
}

/** A delivery with what sending it needs (its webhook's sealed URL and generation, the notification). */
export async function findTemporalDelivery(db: Database, id: string): Promise<TemporalDelivery | undefined> {
  const [row] = await db.execute<DeliveryTargetRow & { status: TemporalDelivery['status'] }>(sql`
    select d.id, d.status, d.channel, d.webhook_id, d.email, w.sealed_url, w.signing_generation,
      n.event, n.pipeline_id, p.name as pipeline_name, n.run_id, n.details
    from ${notificationDeliveries} d
    join notifications n on n.id = d.notification_id
    join pipelines p on p.id = n.pipeline_id
    left join notification_webhooks w on w.id = d.webhook_id
    where d.id = ${id}`);
  if (!row) return undefined;
  return { ...deliveryTargetOf(row), status: row.status };
}

export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'retrying'; error: string }
  | { kind: 'failed'; error: string };

/**
 * Logs attempt `attempt` (Temporal's attempt number) and brings the delivery row in line: delivered,
 * still pending with its last error, or failed. A delivery already finished is left as it is.
 */
export async function recordTemporalAttempt(
  db: Database,
  input: {
    id: string;
    attempt: number;
    httpStatus: number | null;
    durationMs: number;
    outcome: AttemptOutcome;
  },
): Promise<void> {
  const { outcome } = input;
  await db.transaction(async (tx) => {
    await logDeliveryAttempt(tx, {
      deliveryId: input.id,
      attempt: input.attempt,
      ok: outcome.kind === 'delivered',
      httpStatus: input.httpStatus,
      error: outcome.kind === 'delivered' ? null : outcome.error,
      durationMs: input.durationMs,
    });
    await tx
      .update(notificationDeliveries)
      .set(
        outcome.kind === 'delivered'
          ? { status: 'delivered', deliveredAt: sql`now()`, lastError: null, attempts: input.attempt }
          : {
              status: outcome.kind === 'failed' ? 'failed' : 'pending',
              lastError: capStoredText(outcome.error),
              attempts: input.attempt,
            },
      )
      .where(and(eq(notificationDeliveries.id, input.id), eq(notificationDeliveries.status, 'pending')));
  });
}

/** Why a temporal delivery was given up when its workflow's attempts ran out with none recorded. */
export const NO_OUTCOME_ERROR = 'no attempt recorded an outcome (each was cut short); giving up';

/** Ends a delivery still pending as failed (its workflow's attempts ran out), keeping its last error. */
export async function giveUpTemporalDelivery(db: Database, id: string): Promise<void> {
  await db
    .update(notificationDeliveries)
    .set({
      status: 'failed',
      lastError: sql`coalesce(${notificationDeliveries.lastError}, ${NO_OUTCOME_ERROR})`,
    })
    .where(and(eq(notificationDeliveries.id, id), eq(notificationDeliveries.status, 'pending')));
}
