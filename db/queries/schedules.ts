import { asc, desc, eq } from 'drizzle-orm';
import type { Database } from '../client';
import { type ScheduleRow, schedules } from '../schedules-schema';

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

export async function insertSchedule(db: Database, values: NewSchedule): Promise<ScheduleRow> {
  const [row] = await db.insert(schedules).values(values).returning();
  if (!row) throw new Error('schedule insert returned no row');
  return row;
}

export async function getSchedule(db: Database, scheduleId: string): Promise<ScheduleRow | undefined> {
  const [row] = await db.select().from(schedules).where(eq(schedules.id, scheduleId));
  return row;
}

/** A pipeline's schedules, newest first; every schedule (oldest first) without a pipeline. */
export async function listSchedules(db: Database, pipelineId?: string): Promise<ScheduleRow[]> {
  if (pipelineId) {
    return db
      .select()
      .from(schedules)
      .where(eq(schedules.pipelineId, pipelineId))
      .orderBy(desc(schedules.createdAt), desc(schedules.id));
  }
  return db.select().from(schedules).orderBy(asc(schedules.createdAt), asc(schedules.id));
}

export async function updateSchedule(
  db: Database,
  scheduleId: string,
  changes: ScheduleChanges,
): Promise<ScheduleRow | undefined> {
  const [row] = await db
    .update(schedules)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(schedules.id, scheduleId))
    .returning();
  return row;
}

export async function deleteSchedule(db: Database, scheduleId: string): Promise<boolean> {
  const deleted = await db
    .delete(schedules)
    .where(eq(schedules.id, scheduleId))
    .returning({ id: schedules.id });
  return deleted.length > 0;
}
