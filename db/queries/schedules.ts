import { and, asc, between, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client';
import { type ScheduleRow, schedules } from '../schedules-schema';
import { runs } from '../schema';

export type NewSchedule = typeof schedules.$inferInsert;
export type ScheduleChanges = Partial<
  Pick<
    NewSchedule,
    | 'name'
    | 'description'
    | 'timing'
    | 'parameters'
    | 'pipelineVersionId'
    | 'overlap'
    | 'catchupWindowSeconds'
    | 'paused'
    | 'note'
  >
>;

export async function insertSchedule(db: Executor, values: NewSchedule): Promise<ScheduleRow> {
  const [row] = await db.insert(schedules).values(values).returning();
  if (!row) throw new Error('schedule insert returned no row');
  return row;
}

/** A schedule that is not being deleted. */
export async function getSchedule(db: Database, scheduleId: string): Promise<ScheduleRow | undefined> {
  const [row] = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.id, scheduleId), isNull(schedules.deletedAt)));
  return row;
}

/** A pipeline's schedules, newest first; every schedule (oldest first) without a pipeline. Deleted ones are left out. */
export async function listSchedules(db: Database, pipelineId?: string): Promise<ScheduleRow[]> {
  if (pipelineId) {
    return db
      .select()
      .from(schedules)
      .where(and(eq(schedules.pipelineId, pipelineId), isNull(schedules.deletedAt)))
      .orderBy(desc(schedules.createdAt), desc(schedules.id));
  }
  return db
    .select()
    .from(schedules)
    .where(isNull(schedules.deletedAt))
    .orderBy(asc(schedules.createdAt), asc(schedules.id));
}

/**
 * A live schedule, locked until the transaction ends: two changes to one schedule happen one after
 * the other, each from the row the other left (so Temporal and the row never take different halves).
 */
export async function lockSchedule(
  tx: Executor,
  scheduleId: string,
  options: { skipLocked?: boolean } = {},
): Promise<ScheduleRow | undefined> {
  const [row] = await tx
    .select()
    .from(schedules)
    .where(and(eq(schedules.id, scheduleId), isNull(schedules.deletedAt)))
    .for('update', options.skipLocked ? { skipLocked: true } : {});
  return row;
}

/** Schedules whose delete was asked for but not finished (the process stopped between the steps). */
export async function tombstonedSchedules(db: Database): Promise<ScheduleRow[]> {
  return db.select().from(schedules).where(isNotNull(schedules.deletedAt));
}

/** The first step of a delete: from now on the schedule is gone for users and never recreated. */
export async function tombstoneSchedule(db: Executor, scheduleId: string): Promise<ScheduleRow | undefined> {
  const [row] = await db
    .update(schedules)
    .set({ deletedAt: new Date() })
    .where(and(eq(schedules.id, scheduleId), isNull(schedules.deletedAt)))
    .returning();
  return row;
}

/** Inside the transaction that holds the row (lockSchedule); `updatedAt` is the revision Temporal was given. */
export async function updateSchedule(
  db: Executor,
  scheduleId: string,
  changes: ScheduleChanges,
  updatedAt = new Date(),
): Promise<ScheduleRow | undefined> {
  const [row] = await db
    .update(schedules)
    .set({ ...changes, updatedAt })
    .where(eq(schedules.id, scheduleId))
    .returning();
  return row;
}

export async function deleteSchedule(db: Executor, scheduleId: string): Promise<boolean> {
  const deleted = await db
    .delete(schedules)
    .where(eq(schedules.id, scheduleId))
    .returning({ id: schedules.id });
  return deleted.length > 0;
}

export interface ScheduledRunSummary {
  id: string;
  status: (typeof runs.$inferSelect)['status'];
  startedAt: Date;
  finishedAt: Date | null;
}

/**
 * Each schedule's latest run (by start, then the higher id on a tie), one query for a page of
 * schedules: per schedule, a LATERAL walk of runs_schedule_started_idx (schedule_id, started_at desc
 * nulls last) that stops at its first row, where a DISTINCT ON read and sorted every run each
 * schedule ever started. The order must say NULLS LAST as the index does (a plain desc means nulls
 * first and would not match it); PostgreSQL sorts the few runs of the newest instant by id as it
 * goes (incremental sort). The query apart so a test can EXPLAIN it.
 */
export function lastScheduledRunsQuery(db: Pick<Database, 'select'>, scheduleIds: string[]) {
  const last = db
    .select({
      id: runs.id,
      status: runs.status,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
    })
    .from(runs)
    .where(eq(runs.scheduleId, schedules.id))
    .orderBy(sql`${runs.startedAt} desc nulls last`, desc(runs.id))
    .limit(1)
    .as('last_run');
  return db
    .select({
      scheduleId: schedules.id,
      id: last.id,
      status: last.status,
      startedAt: last.startedAt,
      finishedAt: last.finishedAt,
    })
    .from(schedules)
    .crossJoinLateral(last)
    .where(inArray(schedules.id, scheduleIds));
}

export async function lastScheduledRuns(
  db: Database,
  scheduleIds: string[],
): Promise<Map<string, ScheduledRunSummary>> {
  if (scheduleIds.length === 0) return new Map();
  const rows = await lastScheduledRunsQuery(db, scheduleIds);
  return new Map(rows.map(({ scheduleId, ...run }) => [scheduleId, run]));
}

/** The database's clock: runs' started_at comes from it, so a "since" compared with it must too. */
export async function databaseNow(db: Database): Promise<Date> {
  const [row] = await db.execute<{ now: Date | string }>(sql`select now() as now`);
  return row ? new Date(row.now) : new Date();
}

/**
 * The schedule's runs whose $scheduledTime lies in [from, to]: a backfill's progress. Stored times
 * are ISO 8601 in UTC (toISOString), which sort as text in time order.
 */
export async function scheduledRunsBetween(
  db: Database,
  scheduleId: string,
  from: Date,
  to: Date,
  recordedSince?: Date,
): Promise<ScheduledRunSummary[]> {
  return db
    .select({ id: runs.id, status: runs.status, startedAt: runs.startedAt, finishedAt: runs.finishedAt })
    .from(runs)
    .where(
      and(
        eq(runs.scheduleId, scheduleId),
        between(sql`${runs.parameters}->>'$scheduledTime'`, from.toISOString(), to.toISOString()),
        recordedSince ? gte(runs.startedAt, recordedSince) : undefined,
      ),
    );
}

/**
 * Runs `pass` while holding the installation's schedule-reconcile lock (transaction-scoped), so one
 * worker at a time reconciles whatever the number of workers; null when another holds it.
 */
export async function withScheduleReconcileLock<T>(db: Database, pass: () => Promise<T>): Promise<T | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.execute<{ locked: boolean }>(
      sql`select pg_try_advisory_xact_lock(hashtext('pipewright.schedule-reconcile')) as locked`,
    );
    return row?.locked ? pass() : null;
  });
}
