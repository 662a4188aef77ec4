import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';

/**
 * App-wide settings an admin changes in the UI: one row (the `single` key allows no other). Only the
 * retention period lives here today; a new setting is a new column with a default. Who changed a
 * setting is in the audit log.
 */
export const appSettings = pgTable(
  'app_settings',
  {
    /** Always true: the primary key that allows one row. */
    single: boolean('single').primaryKey().default(true),
    /**
     * Days after a run finishes before the retention workflow deletes its files (datasets,
     * unregistered models). Null: keep them forever.
     */
    retentionDays: integer('retention_days'),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    check('app_settings_one_row', sql`${table.single}`),
    check(
      'app_settings_retention_days_range',
      sql`${table.retentionDays} is null or ${table.retentionDays} between 1 and 36500`,
    ),
  ],
);
