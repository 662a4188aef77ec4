import { ScheduleNotFoundError } from '@temporalio/client';
import { recordAudit } from '../../db/queries/audit';
import { loggableMessage } from '../../db/queries/loggable-error';
import { listSchedules, lockSchedule, tombstonedSchedules } from '../../db/queries/schedules';
import type { ScheduleRow } from '../../db/schedules-schema';
import type { ScheduledRunInput } from '../scheduled-run.types';
import type { ScheduleServiceDeps } from './schedule-service';
import { finishDelete, pushToTemporal, taskQueueOf } from './schedule-service';
import { reachScheduler } from './scheduler-errors';
import { revisionOf, scheduleOptionsOf, temporalScheduleId } from './temporal-schedule';

export interface ReconciledSchedules {
  /** Schedules Temporal did not know (its database was lost, or one was deleted outside Pipewright). */
  recreated: string[];
  /** Schedules Temporal held other settings for (a change whose commit failed, or an edit in Temporal's UI). */
  rewritten: string[];
  /** Deletes a stopped process or an unreachable Temporal left half-done, now finished. */
  deleted: string[];
  /** Schedules that could not be checked or fixed this time (each logged). */
  failed: string[];
}

/**
 * PostgreSQL is the record, and Temporal is made to match it: a schedule Temporal lost is recreated
 * from its row (paused state and note included); one whose settings differ from the row's (its
 * revision, or its paused state) gets the row's settings; a delete left half-way is finished. Run at
 * the worker's start, before it polls, and every minute after (worker-process.ts).
 */
export async function reconcileSchedules(deps: ScheduleServiceDeps): Promise<ReconciledSchedules> {
  const log = deps.log ?? ((line: string) => console.warn(line));
  const result: ReconciledSchedules = { recreated: [], rewritten: [], deleted: [], failed: [] };
  // Each on its own: one that keeps failing must not hold back the others.
  for (const row of await tombstonedSchedules(deps.db)) {
    try {
      await finishDelete(deps, row);
      result.deleted.push(row.id);
    } catch (error) {
      result.failed.push(row.id);
      log(`could not finish deleting schedule ${row.id}: ${loggableMessage(error)}`);
    }
  }
  for (const listed of await listSchedules(deps.db)) {
    try {
      // Under the row's lock, as changes take it: a change in progress (Temporal told, the row not
      // yet committed) is left alone this pass rather than undone from the row as it was.
      const outcome = await deps.db.transaction(async (tx) => {
        const row = await lockSchedule(tx, listed.id, { skipLocked: true });
        return row ? reconcileOne(deps, row) : 'same';
      });
      if (outcome !== 'same') result[outcome].push(listed.id);
    } catch (error) {
      result.failed.push(listed.id);
      log(`could not reconcile schedule ${listed.id}: ${loggableMessage(error)}`);
    }
  }
  return result;
}

async function reconcileOne(
  deps: ScheduleServiceDeps,
  row: ScheduleRow,
): Promise<'same' | 'recreated' | 'rewritten'> {
  const held = await heldByTemporal(deps, row.id);
  if (held === null) {
    await reachScheduler(deps, () =>
      deps.temporal.schedule.create(scheduleOptionsOf(row, taskQueueOf(deps))),
    );
    await auditFix(deps, row, 'schedule.recreated', 'missing in Temporal');
    return 'recreated';
  }
  if (held.revision === revisionOf(row) && held.paused === row.paused) return 'same';
  await pushToTemporal(deps, row);
  await auditFix(deps, row, 'schedule.resynced', "Temporal held other settings than Pipewright's");
  return 'rewritten';
}

/** What Temporal holds of a schedule: the revision its action carries and whether it is paused; null when it has none. */
async function heldByTemporal(
  deps: ScheduleServiceDeps,
  scheduleId: string,
): Promise<{ revision: string | undefined; paused: boolean } | null> {
  try {
    const described = await reachScheduler(deps, () =>
      deps.temporal.schedule.getHandle(temporalScheduleId(scheduleId)).describe(),
    );
    const input = described.action.type === 'startWorkflow' ? described.action.args?.[0] : undefined;
    return { revision: revisionIn(input), paused: described.state.paused };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}

function revisionIn(input: unknown): ScheduledRunInput['revision'] {
  if (typeof input !== 'object' || input === null || !('revision' in input)) return undefined;
  return typeof input.revision === 'string' ? input.revision : undefined;
}

function auditFix(deps: ScheduleServiceDeps, row: ScheduleRow, action: string, reason: string) {
  return recordAudit(deps.db, {
    actorKind: 'system',
    action,
    objectType: 'schedule',
    objectId: row.id,
    objectLabel: row.name,
    details: { pipelineId: row.pipelineId, reason },
  });
}
