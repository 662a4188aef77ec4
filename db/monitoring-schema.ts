import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { registeredModels } from './registry-schema';
import { pipelines, runs } from './schema';

/**
 * Monitoring: every check a monitor step made of a model (what it compared, per-feature statistics,
 * the model's prediction drift, volume and latency), and the alerts those checks opened. An alert
 * stays open while its condition lasts, so a continuing drift raises one alert, not one per check.
 */

const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const monitorStates = ['ok', 'warn', 'alert'] as const;
export type MonitorState = (typeof monitorStates)[number];
export const alertStates = ['warn', 'alert'] as const;
export type AlertState = (typeof alertStates)[number];
export const alertKinds = ['drift', 'performance'] as const;
export type AlertKind = (typeof alertKinds)[number];

function oneOf(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(', ')})`);
}

export const monitorChecks = pgTable(
  'monitor_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The run and step that made the check; the run may be deleted later, the check stays. */
    runId: uuid('run_id').references(() => runs.id, { onDelete: 'set null' }),
    nodeId: text('node_id').notNull(),
    modelId: uuid('model_id')
      .notNull()
      .references(() => registeredModels.id, { onDelete: 'cascade' }),
    /** The version watched: its inputs are the features compared (and its reference, unless a dataset). */
    version: integer('version'),
    /** The current window [from, to); null when the current side was a dataset input. */
    windowFrom: time('window_from'),
    windowTo: time('window_to'),
    referenceRows: integer('reference_rows').notNull(),
    currentRows: integer('current_rows').notNull(),
    state: text('state', { enum: monitorStates }).notNull(),
    /** Per feature: ml/drift's statistics and state, with the thresholds used. */
    features: jsonb('features').notNull(),
    /** Prediction drift, request volume and latency percentiles (p50/p95/p99). */
    modelStats: jsonb('model_stats').notNull(),
    /**
     * The model's quality on the window's predictions that have feedback (their true labels or
     * values), against the version's test metrics; null when the step does not measure it.
     */
    performance: jsonb('performance'),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('monitor_checks_model_created_idx').on(table.modelId, table.createdAt.desc()),
    // One check per run and step: a retried attempt replaces its earlier attempt's check.
    uniqueIndex('monitor_checks_run_step_key')
      .on(table.runId, table.nodeId)
      .where(sql`${table.runId} is not null`),
    check('monitor_checks_state_valid', oneOf('state', monitorStates)),
    check('monitor_checks_rows_valid', sql`${table.referenceRows} >= 0 and ${table.currentRows} >= 0`),
  ],
);

export const modelAlerts = pgTable(
  'model_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    modelId: uuid('model_id')
      .notNull()
      .references(() => registeredModels.id, { onDelete: 'cascade' }),
    /** The monitoring pipeline and its step: each monitor keeps its own alerts. */
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    /** 'dataset', a feature's name, or a metric's. */
    subject: text('subject').notNull(),
    kind: text('kind', { enum: alertKinds }).notNull(),
    /** The latest check's state for the subject while open (warn may turn into alert and back). */
    state: text('state', { enum: alertStates }).notNull(),
    openedAt: time('opened_at').notNull().defaultNow(),
    openedCheckId: uuid('opened_check_id')
      .notNull()
      .references(() => monitorChecks.id, { onDelete: 'cascade' }),
    lastCheckId: uuid('last_check_id')
      .notNull()
      .references(() => monitorChecks.id, { onDelete: 'cascade' }),
    closedAt: time('closed_at'),
    /** The retraining run the alert started, once the retraining step exists. */
    retrainRunId: uuid('retrain_run_id').references(() => runs.id, { onDelete: 'set null' }),
  },
  (table) => [
    // One open alert per monitor step, kind and subject: a continuing condition raises no second
    // alert. The kind is part of it because a feature may share its name with a metric (f1, mae).
    uniqueIndex('model_alerts_open_subject_key')
      .on(table.pipelineId, table.nodeId, table.kind, table.subject)
      .where(sql`${table.closedAt} is null`),
    index('model_alerts_model_opened_idx').on(table.modelId, table.openedAt.desc()),
    // A run's page finds the alert that started it (trigger 'monitor') through this key.
    index('model_alerts_retrain_run_idx')
      .on(table.retrainRunId)
      .where(sql`${table.retrainRunId} is not null`),
    check('model_alerts_kind_valid', oneOf('kind', alertKinds)),
    check('model_alerts_state_valid', oneOf('state', alertStates)),
    check('model_alerts_subject_not_blank', sql`length(${table.subject}) > 0`),
  ],
);

export type MonitorCheckRow = typeof monitorChecks.$inferSelect;
export type ModelAlertRow = typeof modelAlerts.$inferSelect;
