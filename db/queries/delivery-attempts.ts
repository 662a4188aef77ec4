import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client';
import {
  type DeliveryStatus,
  type NotificationEvent,
  notificationDeliveries,
  notificationDeliveryAttempts,
  notifications,
  notificationWebhooks,
} from '../schema';
import { capStoredText } from './text-caps';

/**
 * The log of delivery attempts (notification_delivery_attempts), written by both senders, and a
 * webhook's delivery log as the editor's Notify panel shows it.
 */

type Inserter = Pick<Database, 'insert'>;

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  ok: boolean;
  httpStatus: number | null;
  /** In our words, never the URL. */
  error: string | null;
  durationMs: number;
}

/** Logs one attempt; the same attempt logged again (a retried activity) is kept once. */
export async function logDeliveryAttempt(db: Inserter, record: AttemptRecord): Promise<void> {
  await db
    .insert(notificationDeliveryAttempts)
    .values({ ...record, error: record.error === null ? null : capStoredText(record.error) })
    .onConflictDoNothing();
}

export interface LoggedAttempt {
  attempt: number;
  at: Date;
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  id: string;
  event: NotificationEvent;
  createdAt: Date;
  status: DeliveryStatus;
  attempts: LoggedAttempt[];
}

/**
 * A webhook's latest deliveries, newest first, each with its attempts in order. Answers null when
 * the webhook is not the pipeline's. Never the URL: the panel names the webhook by its display.
 */
export async function listWebhookDeliveries(
  db: Database,
  input: { pipelineId: string; webhookId: string; limit: number },
): Promise<WebhookDelivery[] | null> {
  const [webhook] = await db
    .select({ id: notificationWebhooks.id })
    .from(notificationWebhooks)
    .where(
      and(
        eq(notificationWebhooks.id, input.webhookId),
        eq(notificationWebhooks.pipelineId, input.pipelineId),
      ),
    );
  if (!webhook) return null;
  const deliveries = await db
    .select({
      id: notificationDeliveries.id,
      event: notifications.event,
      createdAt: notificationDeliveries.createdAt,
      status: notificationDeliveries.status,
    })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .where(eq(notificationDeliveries.webhookId, input.webhookId))
    .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id))
    .limit(input.limit);
  if (deliveries.length === 0) return [];
  const attempts = await db
    .select()
    .from(notificationDeliveryAttempts)
    .where(
      inArray(
        notificationDeliveryAttempts.deliveryId,
        deliveries.map((delivery) => delivery.id),
      ),
    )
    .orderBy(notificationDeliveryAttempts.attempt);
  return deliveries.map((delivery) => ({
    ...delivery,
    attempts: attempts
      .filter((attempt) => attempt.deliveryId === delivery.id)
      .map(({ attempt, at, ok, httpStatus, error, durationMs }) => ({
        attempt,
        at,
        ok,
        httpStatus,
        error,
        durationMs,
      })),
  }));
}

/** A webhook's signing generation, or null when it is not the pipeline's. */
export async function webhookSigningGeneration(
  db: Executor,
  input: { pipelineId: string; webhookId: string },
): Promise<{ generation: number; display: string } | null> {
  const [row] = await db
    .select({ generation: notificationWebhooks.signingGeneration, display: notificationWebhooks.display })
    .from(notificationWebhooks)
    .where(
      and(
        eq(notificationWebhooks.id, input.webhookId),
        eq(notificationWebhooks.pipelineId, input.pipelineId),
      ),
    );
  return row ?? null;
}

/** Moves a webhook to its next signing generation; answers the new one, or null when not the pipeline's. */
export async function rotateWebhookSigning(
  db: Executor,
  input: { pipelineId: string; webhookId: string },
): Promise<{ generation: number; display: string } | null> {
  const [row] = await db
    .update(notificationWebhooks)
    .set({ signingGeneration: sql`${notificationWebhooks.signingGeneration} + 1` })
    .where(
      and(
        eq(notificationWebhooks.id, input.webhookId),
        eq(notificationWebhooks.pipelineId, input.pipelineId),
      ),
    )
    .returning({ generation: notificationWebhooks.signingGeneration, display: notificationWebhooks.display });
  return row ?? null;
}
