import { type Client, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';

/** The one system schedule that runs retention; fixed, so every worker start finds the same one. */
export const RETENTION_SCHEDULE_ID = 'system-retention';

/** Daily at 03:17 UTC: a quiet hour, off the hour when user schedules pile up. */
const RETENTION_CRON = '17 3 * * *';

function retentionSchedule(taskQueue: string) {
  return {
    spec: { cronExpressions: [RETENTION_CRON], timezone: 'UTC' },
    action: {
      type: 'startWorkflow' as const,
      // By name: the app never loads workflow code.
      workflowType: 'retentionWorkflow',
      workflowId: 'system-retention',
      taskQueue,
      args: [],
    },
    policies: {
      // A pass still going when the next is due makes the next one needless.
      overlap: ScheduleOverlapPolicy.SKIP,
      // A worker down overnight catches up within the day, not with a year of passes.
      catchupWindow: '1 day',
    },
  };
}

/**
 * Creates the retention schedule, or brings an existing one up to date (a new task queue, a changed
 * time), at worker start. Idempotent: every worker of an installation may call it.
 */
export async function ensureRetentionSchedule(
  temporal: Client,
  taskQueue: string,
): Promise<'created' | 'updated'> {
  const options = retentionSchedule(taskQueue);
  const handle = temporal.schedule.getHandle(RETENTION_SCHEDULE_ID);
  try {
    // Paused by hand (in Temporal's UI) stays paused: only what this code sets is rewritten.
    await handle.update((previous) => ({ ...options, state: previous.state }));
    return 'updated';
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  await temporal.schedule.create({ scheduleId: RETENTION_SCHEDULE_ID, ...options });
  return 'created';
}
