import { type ScheduleOptions, ScheduleOverlapPolicy, type ScheduleUpdateOptions } from '@temporalio/client';
import type { ScheduleOverlap, ScheduleRow } from '../../db/schedules-schema';
import type { ScheduledRunInput } from '../scheduled-run.types';
import { intervalSeconds, type Timing, timingSchema } from './timing';

/** The Temporal schedule of a row: one per row, named after it. */
export function temporalScheduleId(scheduleId: string): string {
  return `schedule-${scheduleId}`;
}

const OVERLAP_POLICIES: Record<ScheduleOverlap, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer: ScheduleOverlapPolicy.BUFFER_ONE,
  cancel: ScheduleOverlapPolicy.CANCEL_OTHER,
  allow: ScheduleOverlapPolicy.ALLOW_ALL,
};

export function overlapPolicy(overlap: ScheduleOverlap): ScheduleOverlapPolicy {
  return OVERLAP_POLICIES[overlap];
}

/** The stored timing, read back through its schema (a row is only written after it passed). */
export function timingOf(row: Pick<ScheduleRow, 'timing'>): Timing {
  return timingSchema.parse(row.timing);
}

type StartAction = ScheduleOptions['action'] & { workflowType: string };

/**
 * Everything Temporal keeps for a schedule, from its row: recreating a lost schedule and updating a
 * changed one both write all of it, so Temporal never holds a value the row lacks.
 */
export function scheduleUpdateOf(row: ScheduleRow, taskQueue: string): ScheduleUpdateOptions<StartAction> {
  const timing = timingOf(row);
  const args: [ScheduledRunInput] = [{ scheduleId: row.id, revision: revisionOf(row) }];
  return {
    spec:
      timing.kind === 'every'
        ? { intervals: [{ every: `${intervalSeconds(timing)}s` }] }
        : { cronExpressions: [timing.expression], timezone: timing.timezone },
    action: {
      type: 'startWorkflow',
      // By name: the app never loads workflow code (workflows/scheduled-run.workflow.ts).
      workflowType: 'scheduledRunWorkflow',
      // Temporal appends each start's time to this id.
      workflowId: `scheduled-${row.id}`,
      taskQueue,
      args,
    },
    policies: {
      overlap: overlapPolicy(row.overlap),
      // Set explicitly: the server's default is a year, which would replay a year of missed runs.
      catchupWindow: `${row.catchupWindowSeconds}s`,
    },
    state: { paused: row.paused, note: row.note },
  };
}

/** What Temporal carries to say which settings of the row it holds (the row's last change). */
export function revisionOf(row: Pick<ScheduleRow, 'updatedAt'>): string {
  return row.updatedAt.toISOString();
}

export function scheduleOptionsOf(row: ScheduleRow, taskQueue: string): ScheduleOptions<StartAction> {
  return { scheduleId: temporalScheduleId(row.id), ...scheduleUpdateOf(row, taskQueue) };
}
