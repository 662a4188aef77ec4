import { afterAll } from 'vitest';
import { schedules } from '../../db/schema';
import { temporalScheduleId } from '../../workflows/schedules/temporal-schedule';
import type { Fixture } from './fixture';

/**
 * After the file's tests, deletes from Temporal every schedule the file's database still lists:
 * schedules live in the shared Temporal server and would go on firing at a dropped database.
 * Call it after setUpDatabaseAndWorker, so that it runs before the worker stops.
 */
export function deleteSchedulesAfterAll(fixture: Fixture): void {
  afterAll(async () => {
    const rows = await fixture.database.db.select({ id: schedules.id }).from(schedules);
    for (const row of rows) {
      // One already gone (a test deleted it from Temporal) is what we want.
      await fixture.worker.client.schedule
        .getHandle(temporalScheduleId(row.id))
        .delete()
        .catch(() => {});
    }
  });
}
