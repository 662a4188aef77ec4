import type { Client } from '@temporalio/client';
import type { Database, Sql } from '../../db/client';
import type { SpecLookup } from '../../pipeline/graph-checks';
import type { Auth } from '../../runtime/auth/auth';
import type { RunChangeFeed } from './run-changes';

/** What procedures need from the outside world; tests hand in their own database and Temporal. */
export interface Services {
  db: Database;
  /** Sessions, passwords and API keys (better-auth), made on first use: it needs the secret key. */
  auth: () => Auth;
  sql: Sql;
  /** The installation's secret key (stored connection passwords are sealed under a key derived from it). */
  secretKey: () => Buffer;
  temporal: () => Promise<Client>;
  taskQueue: string;
  changes: RunChangeFeed;
  /** The node types pipelines may use; production's when unset. Only tests set it (to add test nodes). */
  specOf?: SpecLookup;
  /** DATA_DIR: previews and reports read only inside its artifacts/ folder, and answers name it, not its path. */
  dataDir: string;
}
