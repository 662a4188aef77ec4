import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Keyset pagination, newest first: rows strictly after the cursor row in (time desc, id desc) order.
 * Timestamps are stored with millisecond precision so the cursor's Date matches them exactly.
 */
export function afterCursor(
  time: PgColumn,
  id: PgColumn,
  cursor: { at: Date; id: string | number } | undefined,
): SQL | undefined {
  if (!cursor) return undefined;
  return or(lt(time, cursor.at), and(eq(time, cursor.at), lt(id, cursor.id)));
}
