import type { Client } from '@temporalio/client';
import type { Database } from '../../db/client';
import {
  advanceScheduleCounts,
  recordScheduleNotification,
  seenScheduleCounts,
} from '../../db/queries/notifications';
import { listSchedules } from '../../db/queries/schedules';
import { temporalScheduleId } from '../schedules/temporal-schedule';

type ScheduleRow = Awaited<ReturnType<typeof listSchedules>>[number];

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
    // One transaction: a crash between moving the counts and recording what they showed would lose
    // the notification (the next check would see nothing new).
    recorded += await deps.db.transaction(async (tx) => {
      if (!(await advanceScheduleCounts(tx, { scheduleId: row.id, from: before, to: now }))) return 0;
      return notifyGrowth(tx, row, before, now);
    });
  }
  return recorded;
}

type Counts = { skipped: number; missed: number };
type Writer = Parameters<typeof recordScheduleNotification>[0];

/** Records one notification per count that grew; answers how many. */
async function notifyGrowth(
  tx: Writer,
  row: ScheduleRow,
  before: Counts | null,
  now: Counts,
): Promise<number> {
  if (before === null || now.skipped < before.skipped || now.missed < before.missed) return 0;
  const base = { pipelineId: row.pipelineId, scheduleId: row.id };
  let made = 0;
  if (now.skipped > before.skipped) {
    const count = now.skipped - before.skipped;
    await recordScheduleNotification(tx, {
      ...base,
      event: 'schedule_skipped',
      message: `Schedule "${row.name}" skipped ${plural(count, 'start')}: the previous run was still going (overlap: ${row.overlap})`,
    });
    made++;
  }
  if (now.missed > before.missed) {
    const count = now.missed - before.missed;
    await recordScheduleNotification(tx, {
      ...base,
      event: 'schedule_missed',
      message: `Schedule "${row.name}" missed ${plural(count, 'start')}: later than its catch-up window of ${row.catchupWindowSeconds} s`,
    });
    made++;
  }
  return made;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
