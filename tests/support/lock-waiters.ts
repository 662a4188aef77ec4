import { expect, vi } from 'vitest';
import type { Sql } from '../../db/client';

/**
 * Waits until `count` sessions of this test database wait for a lock: how a test makes two
 * operations really overlap (one transaction holds a row until the others queue behind it),
 * without sleeping.
 */
export async function lockWaiters(sql: Sql, count: number): Promise<void> {
  await vi.waitFor(
    async () => {
      const [row] = await sql<{ waiting: number }[]>`
        select count(*)::int as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`;
      expect(row?.waiting).toBe(count);
    },
    { timeout: 10_000, interval: 20 },
  );
}
