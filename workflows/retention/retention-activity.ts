import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { Database } from '../../db/client';
import { pruneNotifications } from './prune-notifications';
import type { RetentionActivities } from './retention.types';
import { type RetentionProgress, retentionProgressSchema } from './retention-progress';
import { deleteExpiredRunFiles } from './retention-sweep';

export interface RetentionActivityDeps {
  db: Database;
  /** DATA_DIR: the run files are under its artifacts folder. */
  dataDir: string;
}

export function createRetentionActivities(deps: RetentionActivityDeps): RetentionActivities {
  return {
    deleteExpiredRunFiles: (input) => {
      const context = Context.current();
      return deleteExpiredRunFiles(deps.db, path.join(deps.dataDir, 'artifacts'), {
        // Without `at` (a workflow started by older code), the first attempt's scheduled time.
        at: input ? new Date(input.at) : new Date(context.info.scheduledTimestampMs),
        resume: progressOf(context.info.heartbeatDetails),
        retried: context.info.attempt > 1,
        progress: (progress) => context.heartbeat(progress),
      });
    },
    pruneNotifications: (input) => {
      const context = Context.current();
      return pruneNotifications(deps.db, input ? new Date(input.at) : new Date(), () => context.heartbeat());
    },
  };
}

/** The last heartbeat of an earlier attempt, when it has the shape this code heartbeats. */
function progressOf(details: unknown): RetentionProgress | null {
  const parsed = retentionProgressSchema.safeParse(details);
  return parsed.success ? parsed.data : null;
}
