import { proxyActivities } from '@temporalio/workflow';
import type { PruneResult, RetentionActivities, RetentionResult } from './retention.types';

const { deleteExpiredRunFiles, pruneNotifications } = proxyActivities<RetentionActivities>({
  // A long backlog (the first pass after retention is turned on) may take a while; each attempt
  // resumes where the last heartbeat left off, so a timed-out attempt loses little.
  startToCloseTimeout: '1 hour',
  // A heartbeat comes after every slice of files: a worker killed mid-pass is noticed within this,
  // not after the hour, and the retry (on any worker) resumes from the last slice.
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/**
 * The system workflow the `system-retention` schedule starts daily: activities do the work, as
 * deleting files and reading settings are not deterministic. The period is read when it runs, so a
 * changed setting applies from the next pass without touching the schedule. The pass's time is
 * fixed here, so every retry of an activity reckons the same cutoff and marks rows with the same time.
 */
export async function retentionWorkflow(): Promise<RetentionResult & { pruned: PruneResult }> {
  const at = new Date().toISOString();
  const result = await deleteExpiredRunFiles({ at });
  const pruned = await pruneNotifications({ at });
  return { ...result, pruned };
}
