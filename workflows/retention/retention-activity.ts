import path from 'node:path';
import type { Database } from '../../db/client';
import type { RetentionActivities } from './retention.types';
import { deleteExpiredRunFiles } from './retention-sweep';

export interface RetentionActivityDeps {
  db: Database;
  /** DATA_DIR: the run files are under its artifacts folder. */
  dataDir: string;
}

export function createRetentionActivities(deps: RetentionActivityDeps): RetentionActivities {
  return {
    deleteExpiredRunFiles: () =>
      deleteExpiredRunFiles(deps.db, path.join(deps.dataDir, 'artifacts'), new Date()),
  };
}
