import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { user } from './accounts-schema';
import { modelAlerts } from './monitoring-schema';
import { schedules } from './schedules-schema';
import { pipelines, runs } from './schema';

/**
 * Notifications: what a pipeline tells its people when something goes wrong, and the app's feed.
 *
 * Durability: a run's failure and its notification are written in the same transaction
 * (db/queries/notifications.ts, from endUnfinishedRun), so a failed run always has one. Deliveries
 * (webhooks, emails) are rows too, made and sent by the worker's notifier: a worker that dies
 * mid-delivery leaves the row pending and the next pass sends it.
 */

const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * run_failed: a run ended failed; gate_blocked: it failed because an evaluate gate did not hold;
 * model_alert: a monitor opened an alert on a model (or an open one rose from warn to alert).
 */
export const notificationEvents = [
  'run_failed',
  'gate_blocked',
  'schedule_skipped',
  'schedule_missed',
  'model_alert',
] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(', ')})`);

/** One row per pipeline that has settings; without a row a pipeline notifies the app feed alone. */
export const notificationSettings = pgTable('notification_settings', {
  pipelineId: uuid('pipeline_id')
    .primaryKey()
    .references(() => pipelines.id, { onDelete: 'cascade' }),
  /** The events webhooks and emails are sent for (the app feed gets every event). */
  events: text('events').array().notNull().default(sql`'{}'::text[]`),
  emails: text('emails').array().notNull().default(sql`'{}'::text[]`),
  updatedBy: text('updated_by').references(() => user.id, { onDelete: 'set null' }),
  updatedAt: time('updated_at').notNull().defaultNow(),
});

/**
 * A webhook URL often is a credential (Slack's and Teams' carry their secret in the path). It is
 * stored sealed (AES-256-GCM under deriveKey(secret, 'notifications')) and shown back only as
 * `display`: scheme, host and a hint of the path, never the whole URL.
 */
export const notificationWebhooks = pgTable(
  'notification_webhooks',
  {
    id: uuid('id').primaryKey(),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    sealedUrl: bytea('sealed_url').notNull(),
    display: text('display').notNull(),
    /**
     * Which signing secret the webhook's requests are signed with: the secret is derived from the
     * server's key, the webhook id and this number (config/webhook-signing.ts), never stored, and
     * rotating it is adding one.
     */
    signingGeneration: integer('signing_generation').notNull().default(1),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (table) => [index('notification_webhooks_pipeline_idx').on(table.pipelineId)],
);

/**
 * The app's feed, shared by everyone: every role may read every pipeline, so everyone sees the same
 * events. What each user has read is one watermark per user (notification_reads), not a row per
 * user and notification.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    event: text('event', { enum: notificationEvents }).notNull(),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    runId: uuid('run_id').references(() => runs.id, { onDelete: 'cascade' }),
    scheduleId: uuid('schedule_id').references(() => schedules.id, { onDelete: 'set null' }),
    /** For model_alert: the alert, so the feed links to the model's Monitoring tab. */
    alertId: uuid('alert_id').references(() => modelAlerts.id, { onDelete: 'set null' }),
    /** The full text, for the app's feed only: outside bodies carry `details`, never this. */
    message: text('message').notNull(),
    /**
     * What outside bodies may carry beyond event, pipeline and run: for model_alert the alert as it
     * was when it was raised (model, version, subject, the figure that crossed and its thresholds).
     */
    details: jsonb('details'),
    createdAt: time('created_at').notNull().defaultNow(),
    /** Null until the notifier has made this notification's deliveries (webhooks, emails). */
    fannedOutAt: time('fanned_out_at'),
  },
  (table) => [
    index('notifications_created_idx').on(table.createdAt.desc()),
    index('notifications_pending_idx').on(table.createdAt).where(sql`${table.fannedOutAt} is null`),
    // Deleting a model's alerts sets their notifications' alert_id null through this key.
    index('notifications_alert_idx').on(table.alertId).where(sql`${table.alertId} is not null`),
    check('notifications_event_valid', inList('event', notificationEvents)),
  ],
);

/** Per user: every notification created at or before read_until has been read. */
export const notificationReads = pgTable('notification_reads', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  readUntil: time('read_until').notNull(),
});

export const deliveryChannels = ['webhook', 'email'] as const;
/**
 * Who sends a delivery: the notifier's own retry loop, or a Temporal workflow per delivery
 * (model_alert: retried with backoff by Temporal's retry policy). The notifier claims only its own.
 */
export const deliverySenders = ['notifier', 'temporal'] as const;
export type DeliverySender = (typeof deliverySenders)[number];
export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** One webhook call or email per notification and target, retried with backoff until it succeeds or gives up. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: deliveryChannels }).notNull(),
    webhookId: uuid('webhook_id').references(() => notificationWebhooks.id, { onDelete: 'cascade' }),
    email: text('email'),
    status: text('status', { enum: deliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: time('next_attempt_at').notNull().defaultNow(),
    /** The last failure, in words without the URL (it may hold a secret). */
    lastError: text('last_error'),
    deliveredAt: time('delivered_at'),
    sentBy: text('sent_by', { enum: deliverySenders }).notNull().default('notifier'),
    /** For sent_by 'temporal': when its workflow was started (null: not yet; the notifier starts it). */
    workflowStartedAt: time('workflow_started_at'),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('notification_deliveries_due_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('notification_deliveries_unstarted_idx')
      .on(table.createdAt)
      .where(
        sql`${table.sentBy} = 'temporal' and ${table.workflowStartedAt} is null and ${table.status} = 'pending'`,
      ),
    /** A webhook's delivery log, newest first. */
    index('notification_deliveries_webhook_idx').on(table.webhookId, table.createdAt.desc()),
    /** Pruning old notifications deletes their deliveries through this key. */
    index('notification_deliveries_notification_idx').on(table.notificationId),
    check('notification_deliveries_channel_valid', inList('channel', deliveryChannels)),
    check('notification_deliveries_status_valid', inList('status', deliveryStatuses)),
    check('notification_deliveries_sender_valid', inList('sent_by', deliverySenders)),
    check(
      'notification_deliveries_target',
      sql`(channel = 'webhook' and webhook_id is not null) or (channel = 'email' and email is not null)`,
    ),
  ],
);

/**
 * Every attempt at a delivery, by either sender: when, whether it worked, the HTTP status when a
 * receiver answered, the failure in our words (never the URL: it may hold a secret), how long it took.
 */
export const notificationDeliveryAttempts = pgTable(
  'notification_delivery_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => notificationDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    at: time('at').notNull().defaultNow(),
    ok: boolean('ok').notNull(),
    httpStatus: integer('http_status'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (table) => [
    // A retried activity that had already logged its attempt logs it once.
    uniqueIndex('notification_delivery_attempts_key').on(table.deliveryId, table.attempt),
    check('notification_delivery_attempts_attempt_valid', sql`${table.attempt} >= 1`),
  ],
);

/** The schedule counters last seen by the notifier: a higher count in describe() is a new skip or miss. */
export const scheduleNotificationCounts = pgTable('schedule_notification_counts', {
  scheduleId: uuid('schedule_id')
    .primaryKey()
    .references(() => schedules.id, { onDelete: 'cascade' }),
  skipped: integer('skipped').notNull(),
  missed: integer('missed').notNull(),
  checkedAt: time('checked_at').notNull().defaultNow(),
});

export type NotificationRow = typeof notifications.$inferSelect;
