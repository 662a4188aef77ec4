/** Shapes shared by the schedule's workflow and its activity. Types only: the workflow imports them. */
import type { Plan } from './pipeline.types';

/** What a Temporal schedule starts the workflow with: the schedule's id (the row has the rest). */
export interface ScheduledRunInput {
  scheduleId: string;
  /**
   * The row's updatedAt (ISO 8601) when Temporal was last given its settings: reconcileSchedules
   * compares it with the row to find a schedule Temporal holds other settings for. Unused by the run.
   */
  revision?: string;
}

export interface PrepareScheduledRunInput {
  scheduleId: string;
  /** Made in the workflow (deterministic), so a retried activity finds the run it recorded. */
  runId: string;
  /** ISO 8601: when the run was due (TemporalScheduledStartTime), or when the workflow started. */
  scheduledTime: string;
}

export interface PreparedScheduledRun {
  workflowId: string;
  plan: Plan;
}

export interface ScheduleActivities {
  prepareScheduledRun(input: PrepareScheduledRunInput): Promise<PreparedScheduledRun>;
}
