import { ScheduleNotFoundError } from '@temporalio/client';
import { recordAudit } from '../../db/queries/audit';
import { loggableMessage } from '../../db/queries/loggable-error';
import { listSchedules } from '../../db/queries/schedules';
import type { ScheduleServiceDeps } from './schedule-service';
import { taskQueueOf } from './schedule-service';
import { scheduleOptionsOf, temporalScheduleId } from './temporal-schedule';

export interface ReconciledSchedules {
  /** Schedules Temporal did not know (its database was lost, or one was deleted outside Pipewright). */
  recreated: string[];
  /** Schedules that could not be checked or recreated this time (each logged). */
  failed: string[];
}

/**
 * PostgreSQL is the record: every schedule row missing in Temporal is recreated from it, paused
 * state and note included. Schedules Temporal knows are left as they are (a change writes both).
 * Run at the worker's start (workflows/worker-process.ts), before it polls.
 */
export async function reconcileSchedules(deps: ScheduleServiceDeps): Promise<ReconciledSchedules> {
  const log = deps.log ?? ((line: string) => console.warn(line));
  const result: ReconciledSchedules = { recreated: [], failed: [] };
  for (const row of await listSchedules(deps.db)) {
    // Each on its own: one that keeps failing must not hold back the others.
    try {
      if (await knownToTemporal(deps, row.id)) continue;
      await deps.temporal.schedule.create(scheduleOptionsOf(row, taskQueueOf(deps)));
      result.recreated.push(row.id);
      await recordAudit(deps.db, {
        actorKind: 'system',
        action: 'schedule.recreated',
        objectType: 'schedule',
        objectId: row.id,
        objectLabel: row.name,
        details: { pipelineId: row.pipelineId, reason: 'missing in Temporal' },
      });
    } catch (error) {
      result.failed.push(row.id);
      log(`could not reconcile schedule ${row.id}: ${loggableMessage(error)}`);
    }
  }
  return result;
}

async function knownToTemporal(deps: ScheduleServiceDeps, scheduleId: string): Promise<boolean> {
  try {
    await deps.temporal.schedule.getHandle(temporalScheduleId(scheduleId)).describe();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}
