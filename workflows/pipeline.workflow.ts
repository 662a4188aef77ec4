import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities, PipelineWorkflowInput, RunOutcome } from './pipeline.types';

const { markRunStarted, runStep, markRunFinished } = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 3 },
});

/** Runs the steps of a plan in the order given (the compiler sorts them topologically). */
export async function pipelineWorkflow(input: PipelineWorkflowInput): Promise<RunOutcome> {
  await markRunStarted(input.runId);
  let outcome: RunOutcome = { status: 'succeeded' };
  try {
    for (const step of input.steps) await runStep({ runId: input.runId, step });
  } catch (error) {
    outcome = { status: 'failed', error: failureMessage(error) };
  }
  await markRunFinished({ runId: input.runId, outcome });
  return outcome;
}

function failureMessage(error: unknown): string {
  if (error instanceof ApplicationFailure) return error.message;
  if (error instanceof Error) return error.cause instanceof Error ? error.cause.message : error.message;
  return String(error);
}
