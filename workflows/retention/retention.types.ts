/** Shapes shared by the retention workflow and its activity. Types only: the workflow imports them. */

/** What one retention pass did, for the workflow's result and the worker's log. */
export interface RetentionResult {
  /** The period applied; null when retention is off and nothing was looked at. */
  days: number | null;
  /** Artifacts whose files were deleted (and marked so in PostgreSQL). */
  deleted: number;
  /** Bytes those files and the files beside them held, as their rows recorded. */
  bytes: number;
  /** Artifacts left alone because their file lies outside the artifact folder (not retention's to delete). */
  outside: number;
}

/** What one notification pruning removed (prune-notifications.ts). */
export interface PruneResult {
  notifications: number;
  deliveries: number;
}

export interface RetentionActivities {
  /**
   * Deletes the files of runs older than the retention period (retention-sweep.ts). `at` is the
   * pass's time, given by the workflow so every retry of the activity reckons and marks with the same.
   */
  deleteExpiredRunFiles(input?: { at: string }): Promise<RetentionResult>;
  /** Deletes old notifications and finished deliveries (prune-notifications.ts). */
  pruneNotifications(input?: { at: string }): Promise<PruneResult>;
}
