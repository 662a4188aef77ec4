import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client';
import {
  advanceScheduleCounts,
  recordScheduleNotification,
  seenScheduleCounts,
} from '../../db/queries/notifications';
import { listSchedules } from '../../db/queries/schedules';
import { temporalScheduleId } from '../schedules/temporal-schedule';

/**
 * Temporal counts, per schedule, the starts it skipped (overlap "skip" while a run goes) and the ones
 * it missed (later than the catch-up window, after an outage), but tells nobody. Each pass compares
 * describe()'s counts with the last ones seen, kept in PostgreSQL, and records one notification per
 * kind that grew. The first sight of a schedule, or a count that went down (the schedule was
 * recreated), only stores the counts.
 */
export async function checkScheduleCounts(deps: { db: Database; temporal: Client }): Promise<number> {
  const rows = await listSchedules(deps.db);
  const seen = await seenScheduleCounts(
    deps.db,
    rows.map((row) => row.id),
  );
  let recorded = 0;
  for (const row of rows) {
    let info: { numActionsSkippedOverlap: number; numActionsMissedCatchupWindow: number };
    try {
      info = (await deps.temporal.schedule.getHandle(temporalScheduleId(row.id)).describe()).info;
    } catch {
      // Missing in Temporal: the schedule reconciliation recreates it; nothing to count meanwhile.
      continue;
    }
    const now = { skipped: info.numActionsSkippedOverlap, missed: info.numActionsMissedCatchupWindow };
    const before = seen.get(row.id) ?? null;
    if (!(await advanceScheduleCounts(deps.db, { scheduleId: row.id, from: before, to: now }))) continue;
    if (before === null || now.skipped < before.skipped || now.missed < before.missed) continue;
    const base = { pipelineId: row.pipelineId, scheduleId: row.id };
    if (now.skipped > before.skipped) {
      const count = now.skipped - before.skipped;
      await recordScheduleNotification(deps.db, {
        ...base,
        event: 'schedule_skipped',
        message: `Schedule "${row.name}" skipped ${plural(count, 'start')}: the previous run was still going (overlap: ${row.overlap})`,
      });
      recorded++;
    }
    if (now.missed > before.missed) {
      const count = now.missed - before.missed;
      await recordScheduleNotification(deps.db, {
        ...base,
        event: 'schedule_missed',
        message: `Schedule "${row.name}" missed ${plural(count, 'start')}: later than its catch-up window of ${row.catchupWindowSeconds} s`,
      });
      recorded++;
    }
  }
  return recorded;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
