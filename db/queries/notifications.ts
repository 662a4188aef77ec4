import { and, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../client';
import {
  modelAlerts,
  type NotificationEvent,
  notificationDeliveries,
  notificationEvents,
  notificationReads,
  notificationSettings,
  notifications,
  notificationWebhooks,
  pipelines,
  registeredModels,
  scheduleNotificationCounts,
} from '../schema';
import { logDeliveryAttempt } from './delivery-attempts';
import { capStoredText } from './text-caps';

/** The channel a new notification is announced on (payload: its id); the notifier wakes on it. */
export const NOTIFICATIONS_CHANNEL = 'pipewright_notifications';

/**
 * How an evaluate step's error starts when a gate did not hold (nodes/evaluate/run.ts). db/ may not
 * import the node, so the words are repeated here; tests/notifications.test.ts runs a real gate.
 */
const GATE_FAILURE_PREFIX = 'Failed gates:';

type Executor = Pick<Database, 'execute'>;
/** A database or a transaction, for writes a caller groups with others. */
type Writer = Pick<Database, 'execute' | 'insert' | 'update'>;

async function announce(db: Executor, id: string): Promise<void> {
  await db.execute(sql`select pg_notify(${NOTIFICATIONS_CHANNEL}, ${id})`);
}

/**
 * The notification of a run that has just ended failed: gate_blocked when an evaluate step failed on
 * its gates, run_failed otherwise. Called inside the transaction that ends the run, so the two are
 * recorded together or not at all.
 */
export async function recordRunFailure(db: Executor, runId: string, error: string | null): Promise<void> {
  const message = capStoredText(error ?? 'The run failed');
  const rows = await db.execute<{ id: string }>(sql`
    insert into ${notifications} (event, pipeline_id, run_id, schedule_id, message)
    select
      case when exists (
        select 1 from run_steps step
        where step.run_id = run.id and step.status = 'failed' and step.node_type = 'evaluate'
          and step.error like ${`${GATE_FAILURE_PREFIX}%`}
      ) then 'gate_blocked' else 'run_failed' end,
      run.pipeline_id, run.id, run.schedule_id, ${message}
    from runs run where run.id = ${runId}
    returning id`);
  for (const row of rows) await announce(db, row.id);
}

/**
 * A notification about a schedule (a skipped or missed start). Called in the transaction that
 * advances the schedule's seen counts (advanceScheduleCounts), so the two are kept together.
 */
export async function recordScheduleNotification(
  db: Writer,
  input: { pipelineId: string; scheduleId: string; event: NotificationEvent; message: string },
): Promise<void> {
  const [row] = await db
    .insert(notifications)
    .values({ ...input, message: capStoredText(input.message) })
    .returning({ id: notifications.id });
  // NOTIFY inside a transaction is sent at commit: the notifier never wakes for a rolled-back row.
  if (row) await announce(db, row.id);
}

export interface FeedItem {
  id: string;
  event: NotificationEvent;
  pipelineId: string;
  pipelineName: string;
  runId: string | null;
  scheduleId: string | null;
  /** For model_alert: the alert and its model (the link goes to the model's Monitoring tab). */
  alertId: string | null;
  modelName: string | null;
  message: string;
  createdAt: Date;
  read: boolean;
}

/** The newest notifications for one user (the feed is shared; read state is theirs), with the unread count. */
export async function listFeed(
  db: Database,
  input: { userId: string; limit: number; before?: Date },
): Promise<{ items: FeedItem[]; unread: number }> {
  const [mark] = await db
    .select({ readUntil: notificationReads.readUntil })
    .from(notificationReads)
    .where(eq(notificationReads.userId, input.userId));
  const readUntil = mark?.readUntil ?? new Date(0);
  const rows = await db
    .select({
      id: notifications.id,
      event: notifications.event,
      pipelineId: notifications.pipelineId,
      pipelineName: pipelines.name,
      runId: notifications.runId,
      scheduleId: notifications.scheduleId,
      alertId: notifications.alertId,
      modelName: registeredModels.name,
      message: notifications.message,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .innerJoin(pipelines, eq(pipelines.id, notifications.pipelineId))
    .leftJoin(modelAlerts, eq(modelAlerts.id, notifications.alertId))
    .leftJoin(registeredModels, eq(registeredModels.id, modelAlerts.modelId))
    .where(input.before ? lt(notifications.createdAt, input.before) : undefined)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(input.limit);
  const [count] = await db
    .select({ unread: sql<number>`count(*)::int` })
    .from(notifications)
    .where(gt(notifications.createdAt, readUntil));
  return {
    items: rows.map((row) => ({ ...row, read: row.createdAt <= readUntil })),
    unread: count?.unread ?? 0,
  };
}

/** Everything created until now counts as read for this user; the mark never moves back. */
export async function markFeedRead(db: Database, userId: string): Promise<void> {
  await db
    .insert(notificationReads)
    .values({ userId, readUntil: sql`now()` })
    .onConflictDoUpdate({
      target: notificationReads.userId,
      set: { readUntil: sql`greatest(${notificationReads.readUntil}, excluded.read_until)` },
    });
}

export interface StoredSettings {
  events: NotificationEvent[];
  emails: string[];
  webhooks: { id: string; display: string }[];
}

export async function readSettings(db: Database, pipelineId: string): Promise<StoredSettings> {
  const [row] = await db
    .select({ events: notificationSettings.events, emails: notificationSettings.emails })
    .from(notificationSettings)
    .where(eq(notificationSettings.pipelineId, pipelineId));
  const webhooks = await db
    .select({ id: notificationWebhooks.id, display: notificationWebhooks.display })
    .from(notificationWebhooks)
    .where(eq(notificationWebhooks.pipelineId, pipelineId))
    .orderBy(notificationWebhooks.createdAt, notificationWebhooks.id);
  return {
    events: (row?.events ?? []).filter(isEvent),
    emails: row?.emails ?? [],
    webhooks,
  };
}

function isEvent(value: string): value is NotificationEvent {
  return notificationEvents.some((event) => event === value);
}

/** Replaces a pipeline's events and emails, adds webhooks and removes the ones named, in one transaction. */
export async function writeSettings(
  db: Database,
  input: {
    pipelineId: string;
    userId: string;
    events: NotificationEvent[];
    emails: string[];
    addWebhooks: { id: string; sealedUrl: Buffer; display: string }[];
    removeWebhookIds: string[];
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(notificationSettings)
      .values({
        pipelineId: input.pipelineId,
        events: input.events,
        emails: input.emails,
        updatedBy: input.userId,
      })
      .onConflictDoUpdate({
        target: notificationSettings.pipelineId,
        set: {
          events: input.events,
          emails: input.emails,
          updatedBy: input.userId,
          updatedAt: sql`now()`,
        },
      });
    if (input.removeWebhookIds.length) {
      await tx
        .delete(notificationWebhooks)
        .where(
          and(
            eq(notificationWebhooks.pipelineId, input.pipelineId),
            inArray(notificationWebhooks.id, input.removeWebhookIds),
          ),
        );
    }
    if (input.addWebhooks.length) {
      await tx
        .insert(notificationWebhooks)
        .values(input.addWebhooks.map((webhook) => ({ ...webhook, pipelineId: input.pipelineId })));
    }
  });
}

/** A pipeline's sealed webhook URLs and emails, for a test message. */
export async function deliveryTargets(
  db: Database,
  pipelineId: string,
): Promise<{ webhooks: { id: string; sealedUrl: Buffer; signingGeneration: number }[]; emails: string[] }> {
  const webhooks = await db
    .select({
      id: notificationWebhooks.id,
      sealedUrl: notificationWebhooks.sealedUrl,
      signingGeneration: notificationWebhooks.signingGeneration,
    })
    .from(notificationWebhooks)
    .where(eq(notificationWebhooks.pipelineId, pipelineId));
  const [row] = await db
    .select({ emails: notificationSettings.emails })
    .from(notificationSettings)
    .where(eq(notificationSettings.pipelineId, pipelineId));
  return { webhooks, emails: row?.emails ?? [] };
}

/**
 * Makes the deliveries of notifications not yet fanned out: one per webhook and email of the
 * pipeline when its settings choose the event. Rows are locked (skip locked), so two notifiers never
 * fan out the same notification twice. Answers how many notifications it handled.
 */
export async function fanOutPending(db: Database, limit = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const pending = await tx.execute<{ id: string }>(sql`
      select id from ${notifications} where fanned_out_at is null
      order by created_at limit ${limit} for update skip locked`);
    const ids = pending.map((row) => row.id);
    if (ids.length === 0) return 0;
    const idList = sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    // Model alerts are sent by a Temporal workflow per delivery (workflows/notifications/
    // delivery.workflow.ts), which the notifier starts; everything else by the notifier's own loop.
    const sender = sql.raw(`case when n.event = 'model_alert' then 'temporal' else 'notifier' end`);
    await tx.execute(sql`
      insert into ${notificationDeliveries} (notification_id, channel, webhook_id, sent_by)
      select n.id, 'webhook', w.id, ${sender}
      from notifications n
      join notification_settings s on s.pipeline_id = n.pipeline_id and n.event = any(s.events)
      join notification_webhooks w on w.pipeline_id = n.pipeline_id
      where n.id in (${idList})`);
    await tx.execute(sql`
      insert into ${notificationDeliveries} (notification_id, channel, email, sent_by)
      select n.id, 'email', address, ${sender}
      from notifications n
      join notification_settings s on s.pipeline_id = n.pipeline_id and n.event = any(s.events)
      cross join lateral unnest(s.emails) address
      where n.id in (${idList})`);
    await tx.execute(sql`update ${notifications} set fanned_out_at = now() where id in (${idList})`);
    return ids.length;
  });
}

/** A delivery with what sending it needs: its webhook's sealed URL and generation, the notification. */
export interface DeliveryTarget {
  id: string;
  channel: 'webhook' | 'email';
  sealedUrl: Buffer | null;
  webhookId: string | null;
  signingGeneration: number | null;
  email: string | null;
  event: NotificationEvent;
  pipelineId: string;
  pipelineName: string;
  runId: string | null;
  details: unknown;
}

/** DeliveryTarget as the delivery queries select it (d/c, webhook w, notification n, pipeline p). */
// A type, not an interface: db.execute wants a row type it can index by name.
export type DeliveryTargetRow = {
  id: string;
  channel: 'webhook' | 'email';
  sealed_url: Buffer | null;
  webhook_id: string | null;
  signing_generation: number | null;
  email: string | null;
  event: NotificationEvent;
  pipeline_id: string;
  pipeline_name: string;
  run_id: string | null;
  details: unknown;
};

export function deliveryTargetOf(row: DeliveryTargetRow): DeliveryTarget {
  return {
    id: row.id,
    channel: row.channel,
    sealedUrl: row.sealed_url,
    webhookId: row.webhook_id,
    signingGeneration: row.signing_generation,
    email: row.email,
    event: row.event,
    pipelineId: row.pipeline_id,
    pipelineName: row.pipeline_name,
    runId: row.run_id,
    details: row.details,
  };
}

export interface DueDelivery extends DeliveryTarget {
  attempts: number;
}

/** Why a delivery whose every attempt died unrecorded was given up (its last_error). */
export const UNRECORDED_ATTEMPTS_ERROR =
  'no attempt recorded an outcome (the notifier stopped while sending each time); giving up';

/**
 * Claims deliveries that are due and have attempts left: each is leased for `leaseMs` (its next
 * attempt moved that far ahead) and its attempt counted, so a notifier that dies mid-call leaves it
 * to be tried again after the lease. A delivery whose lease ran out on its last attempt is given up
 * (failed) instead: a message that kills the notifier is not retried forever. Deliveries a
 * Temporal workflow sends (sent_by 'temporal') are never claimed here.
 */
export async function claimDueDeliveries(
  db: Database,
  input: { limit: number; leaseMs: number; maxAttempts: number },
): Promise<DueDelivery[]> {
  await db.execute(sql`
    update ${notificationDeliveries}
    set status = 'failed', last_error = ${UNRECORDED_ATTEMPTS_ERROR}
    where status = 'pending' and sent_by = 'notifier' and next_attempt_at <= now()
      and attempts >= ${input.maxAttempts}`);
  const rows = await db.execute<DeliveryTargetRow & { attempts: number }>(sql`
    with due as (
      select id from ${notificationDeliveries}
      where status = 'pending' and sent_by = 'notifier' and next_attempt_at <= now()
        and attempts < ${input.maxAttempts}
      order by next_attempt_at limit ${input.limit} for update skip locked
    ), claimed as (
      update ${notificationDeliveries} d
      set next_attempt_at = now() + make_interval(secs => ${input.leaseMs / 1000}), attempts = d.attempts + 1
      from due where d.id = due.id
      returning d.id, d.channel, d.attempts, d.webhook_id, d.email, d.notification_id
    )
    select c.id, c.channel, c.attempts, c.webhook_id, c.email, w.sealed_url, w.signing_generation,
      n.event, n.pipeline_id, p.name as pipeline_name, n.run_id, n.details
    from claimed c
    join notifications n on n.id = c.notification_id
    join pipelines p on p.id = n.pipeline_id
    left join notification_webhooks w on w.id = c.webhook_id`);
  return rows.map((row) => ({ ...deliveryTargetOf(row), attempts: row.attempts }));
}

/**
 * Records one attempt's outcome: delivered, retry at `retryAt`, or given up (retryAt null). Only
 * while the attempt still holds its lease: `attempt` is the count its claim set, and a claim after
 * the lease ran out counts another, so a late outcome never overwrites a newer attempt's. Answers
 * whether it was recorded. The attempt is logged (notification_delivery_attempts) either way: it
 * was made.
 */
export async function recordDeliveryAttempt(
  db: Database,
  input: { id: string; attempt: number; httpStatus?: number | null; durationMs?: number } & (
    | { delivered: true }
    | { delivered: false; error: string; retryAt: Date | null }
  ),
): Promise<boolean> {
  await logDeliveryAttempt(db, {
    deliveryId: input.id,
    attempt: input.attempt,
    ok: input.delivered,
    httpStatus: input.httpStatus ?? null,
    error: input.delivered ? null : input.error,
    durationMs: input.durationMs ?? 0,
  });
  const held = and(
    eq(notificationDeliveries.id, input.id),
    eq(notificationDeliveries.attempts, input.attempt),
    eq(notificationDeliveries.status, 'pending'),
  );
  const rows = await db
    .update(notificationDeliveries)
    .set(
      input.delivered
        ? { status: 'delivered', deliveredAt: sql`now()`, lastError: null }
        : {
            status: input.retryAt ? 'pending' : 'failed',
            lastError: capStoredText(input.error),
            nextAttemptAt: input.retryAt ?? sql`now()`,
          },
    )
    .where(held)
    .returning({ id: notificationDeliveries.id });
  return rows.length > 0;
}

/** The counts last seen for these schedules (absent: never checked). */
export async function seenScheduleCounts(
  db: Database,
  scheduleIds: string[],
): Promise<Map<string, { skipped: number; missed: number }>> {
  if (scheduleIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(scheduleNotificationCounts)
    .where(inArray(scheduleNotificationCounts.scheduleId, scheduleIds));
  return new Map(rows.map((row) => [row.scheduleId, { skipped: row.skipped, missed: row.missed }]));
}

/**
 * Moves a schedule's seen counts from `from` (null: none stored) to `to`; answers false when another
 * notifier moved them first, so only one of them notifies.
 */
export async function advanceScheduleCounts(
  db: Writer,
  input: {
    scheduleId: string;
    from: { skipped: number; missed: number } | null;
    to: { skipped: number; missed: number };
  },
): Promise<boolean> {
  if (input.from === null) {
    const rows = await db
      .insert(scheduleNotificationCounts)
      .values({ scheduleId: input.scheduleId, ...input.to })
      .onConflictDoNothing()
      .returning({ id: scheduleNotificationCounts.scheduleId });
    return rows.length > 0;
  }
  const rows = await db
    .update(scheduleNotificationCounts)
    .set({ ...input.to, checkedAt: sql`now()` })
    .where(
      and(
        eq(scheduleNotificationCounts.scheduleId, input.scheduleId),
        eq(scheduleNotificationCounts.skipped, input.from.skipped),
        eq(scheduleNotificationCounts.missed, input.from.missed),
      ),
    )
    .returning({ id: scheduleNotificationCounts.scheduleId });
  return rows.length > 0;
}

/**
 * Deletes up to `limit` delivered or failed deliveries of notifications made before `before`;
 * answers how many. Pending ones stay: they are still being tried.
 */
export async function pruneFinishedDeliveries(
  db: Database,
  input: { before: Date; limit: number },
): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    delete from ${notificationDeliveries} where id in (
      select d.id from ${notificationDeliveries} d
      join ${notifications} n on n.id = d.notification_id
      where d.status in ('delivered', 'failed') and n.created_at < ${input.before.toISOString()}::timestamptz
      limit ${input.limit})
    returning id`);
  return rows.length;
}

/** Deletes up to `limit` notifications made before `before`, oldest first, with their deliveries; answers how many. */
export async function pruneOldNotifications(
  db: Database,
  input: { before: Date; limit: number },
): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    delete from ${notifications} where id in (
      select id from ${notifications} where created_at < ${input.before.toISOString()}::timestamptz
      order by created_at limit ${input.limit})
    returning id`);
  return rows.length;
}
