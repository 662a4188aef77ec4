import type { Client } from '@temporalio/client';
import type { Database, Sql } from '../../db/client';
import type { RunChangeFeed } from './run-changes';

/** What procedures need from the outside world; tests hand in their own database and Temporal. */
export interface Services {
  db: Database;
  sql: Sql;
  temporal: () => Promise<Client>;
  taskQueue: string;
  changes: RunChangeFeed;
  /** DATA_DIR: previews and reports read only inside its artifacts/ folder, and answers name it, not its path. */
  dataDir: string;
}
