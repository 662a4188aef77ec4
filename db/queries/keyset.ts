import { type AnyColumn, and, eq, lt, lte, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Keyset pagination, newest first: rows strictly after the cursor row in (time desc, id desc) order.
 * Timestamps are stored with millisecond precision so the cursor's Date matches them exactly.
 *
 * The plain `time <= cursor` bound is implied by the "or", but PostgreSQL starts an index scan at
 * the cursor only when told so plainly: without it a page deep in a long list reads every row
 * before it.
 */
export function afterCursor(
  time: PgColumn,
  id: PgColumn,
  cursor: { at: Date; id: string | number } | undefined,
): SQL | undefined {
  if (!cursor) return undefined;
  return and(lte(time, cursor.at), or(lt(time, cursor.at), and(eq(time, cursor.at), lt(id, cursor.id))));
}

/**
 * time desc, id desc, spelt "nulls last" as the indexes are (drizzle-kit writes them so): a plain
 * "desc" means nulls first, which no index matches, and PostgreSQL would read and sort every row
 * although neither column can be null.
 */
export function newestFirst(time: AnyColumn | SQLWrapper, id: AnyColumn | SQLWrapper): SQL[] {
  return [sql`${time} desc nulls last`, sql`${id} desc nulls last`];
}
