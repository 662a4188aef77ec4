import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './accounts-schema';
import { pipelines, pipelineVersions } from './schema';

/**
 * Schedules: each row is the record of one Temporal schedule (id `schedule-<id>`). Temporal's
 * describe() never returns the cron expression it was given, and a dev server loses its schedules
 * with its database, so the timing and everything else needed to recreate it live here.
 */

const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** skip: drop a start while a run goes; buffer: keep one; cancel: cancel the running one; allow: run all. */
export const scheduleOverlaps = ['skip', 'buffer', 'cancel', 'allow'] as const;
export type ScheduleOverlap = (typeof scheduleOverlaps)[number];

export const schedules = pgTable(
  'schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** {kind:'every', amount, unit} or {kind:'cron', expression, timezone} (workflows/schedules/timing.ts). */
    timing: jsonb('timing').notNull(),
    /** Parameter values by name the runs get (besides the built-in $scheduledTime). */
    parameters: jsonb('parameters').notNull().default({}),
    /** Null: the latest saved version when it fires. */
    pipelineVersionId: uuid('pipeline_version_id').references(() => pipelineVersions.id, {
      onDelete: 'restrict',
    }),
    overlap: text('overlap', { enum: scheduleOverlaps }).notNull().default('skip'),
    /** How late a missed start may still run (after a server outage); Temporal's default is a year. */
    catchupWindowSeconds: integer('catchup_window_seconds').notNull().default(300),
    paused: boolean('paused').notNull().default(false),
    /** Why it was last paused or resumed. */
    note: text('note').notNull().default(''),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
    /**
     * Set when a delete is asked for, before Temporal is told: a row with it is never recreated in
     * Temporal, and the reconciler finishes the delete should the process stop half-way.
     */
    deletedAt: time('deleted_at'),
  },
  (table) => [
    index('schedules_pipeline_idx').on(table.pipelineId, table.createdAt.desc()),
    check('schedules_name_not_blank', sql`length(trim(${table.name})) > 0`),
    check(
      'schedules_overlap_valid',
      sql.raw(`overlap in (${scheduleOverlaps.map((value) => `'${value}'`).join(', ')})`),
    ),
    check('schedules_catchup_positive', sql`${table.catchupWindowSeconds} >= 10`),
  ],
);

export type ScheduleRow = typeof schedules.$inferSelect;
