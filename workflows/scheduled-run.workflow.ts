import { executeChild, proxyActivities, uuid4, workflowInfo } from '@temporalio/workflow';
import type { PipelineWorkflowInput, RunResult } from './pipeline.types';
import type { ScheduleActivities, ScheduledRunInput } from './scheduled-run.types';

/** pipelineWorkflow's signature: started by name, as the run service starts it. */
type PipelineWorkflow = (input: PipelineWorkflowInput) => Promise<RunResult>;

const { prepareScheduledRun } = proxyActivities<ScheduleActivities>({
  startToCloseTimeout: '1 minute',
  // A database outage is ridden out for hours (under "skip" the firings meanwhile are skipped, which
  // notifies); a schedule whose row is gone or whose pipeline does not compile fails at once (the
  // activity says so with a non-retryable failure).
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * What a schedule starts each time it fires. A schedule starts workflows with fixed arguments, but a
 * run is compiled and recorded before it runs: so this resolves the version, compiles and records
 * the run (trigger "schedule", $scheduledTime) in an activity, then runs the pipeline as a child
 * workflow. A child, not a separate start: this workflow stays open while the run goes, which is
 * what the schedule's overlap policy (skip, buffer, cancel) watches; cancelling it cancels the run.
 */
export async function scheduledRunWorkflow(input: ScheduledRunInput): Promise<RunResult> {
  const runId = uuid4();
  const prepared = await prepareScheduledRun({
    scheduleId: input.scheduleId,
    runId,
    scheduledTime: scheduledTime().toISOString(),
  });
  return executeChild<PipelineWorkflow>('pipelineWorkflow', {
    workflowId: prepared.workflowId,
    args: [{ runId, plan: prepared.plan }],
  });
}

/**
 * The time the run was due: the server sets TemporalScheduledStartTime on every scheduled and
 * backfilled start. A start without it (the workflow started by hand) uses its own start time.
 */
function scheduledTime(): Date {
  const info = workflowInfo();
  const pair = info.typedSearchAttributes
    .getAll()
    .find((candidate) => candidate.key.name === 'TemporalScheduledStartTime');
  return pair?.value instanceof Date ? pair.value : info.startTime;
}
