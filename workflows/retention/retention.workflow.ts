import { proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities, RetentionResult } from './retention.types';

const { deleteExpiredRunFiles } = proxyActivities<RetentionActivities>({
  // A long backlog (the first pass after retention is turned on) may take a while.
  startToCloseTimeout: '1 hour',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/**
 * The system workflow the `system-retention` schedule starts daily: one activity does the work, as
 * deleting files and reading settings are not deterministic. The period is read when it runs, so a
 * changed setting applies from the next pass without touching the schedule.
 */
export async function retentionWorkflow(): Promise<RetentionResult> {
  return deleteExpiredRunFiles();
}
