import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type {
  ArtifactRef,
  PipelineActivities,
  PipelineWorkflowInput,
  PlanStep,
  RunResult,
  RunStatusSnapshot,
  StepState,
} from './pipeline.types';

export const statusQuery = defineQuery<RunStatusSnapshot>('status');

/** Bookkeeping activities: short, retried until the database answers. */
const bookkeeping = proxyActivities<PipelineActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * Interprets a compiled plan: starts every step whose inputs are ready (up to plan.maxParallel at
 * once), passes artifact references along, skips what lies downstream of a failure, and on
 * cancellation cancels running steps and ends the run cancelled.
 */
export async function pipelineWorkflow(input: PipelineWorkflowInput): Promise<RunResult> {
  const { runId, plan } = input;
  const states = new Map<string, StepState>(plan.steps.map((step) => [step.nodeId, 'pending']));
  const outputs = new Map<string, Record<string, ArtifactRef>>();
  const errors = new Map<string, string>();
  setHandler(statusQuery, () => ({ steps: Object.fromEntries(states) }));

  try {
    await CancellationScope.cancellable(async () => {
      await bookkeeping.markRun({ runId, status: 'running' });
      await applyReuse(input, states, outputs);
      await runReadySteps(input, states, outputs, errors);
    });
  } catch (error) {
    if (!isCancellation(error)) throw error;
    return CancellationScope.nonCancellable(() => finishCancelled(runId, states));
  }
  const failed = [...errors.entries()];
  const result: RunResult = failed.length
    ? {
        status: 'failed',
        error: failed.map(([, message]) => message).join('\n'),
        steps: Object.fromEntries(states),
      }
    : { status: 'succeeded', steps: Object.fromEntries(states) };
  await bookkeeping.markRun({ runId, status: result.status, error: result.error });
  return result;
}

/** Steps whose outputs an earlier run already produced with the same hash are not run again. */
async function applyReuse(
  input: PipelineWorkflowInput,
  states: Map<string, StepState>,
  outputs: Map<string, Record<string, ArtifactRef>>,
): Promise<void> {
  const bySource = new Map<string, string[]>();
  for (const [nodeId, reused] of Object.entries(input.reuse ?? {})) {
    if (!states.has(nodeId)) continue;
    states.set(nodeId, 'cached');
    outputs.set(nodeId, reused.outputs);
    bySource.set(reused.fromRunId, [...(bySource.get(reused.fromRunId) ?? []), nodeId]);
  }
  for (const [fromRunId, nodeIds] of bySource) {
    await bookkeeping.markSteps({
      runId: input.runId,
      nodeIds,
      status: 'cached',
      reusedFromRunId: fromRunId,
      message: 'Reused the outputs of an earlier run (unchanged inputs and settings)',
    });
  }
}

async function runReadySteps(
  input: PipelineWorkflowInput,
  states: Map<string, StepState>,
  outputs: Map<string, Record<string, ArtifactRef>>,
  errors: Map<string, string>,
): Promise<void> {
  const running = new Map<string, Promise<void>>();
  for (;;) {
    for (const step of input.plan.steps) {
      if (running.size >= input.plan.maxParallel) break;
      if (states.get(step.nodeId) !== 'pending' || !step.dependsOn.every((id) => isDone(states.get(id))))
        continue;
      states.set(step.nodeId, 'running');
      const execution = executeStep(input.runId, step, outputs)
        .then((stepOutputs) => {
          states.set(step.nodeId, 'succeeded');
          outputs.set(step.nodeId, stepOutputs);
        })
        .catch(async (error: unknown) => {
          if (isCancellation(error)) throw error;
          states.set(step.nodeId, 'failed');
          const message = `Step "${step.label}" (${step.nodeId}) failed: ${failureMessage(error)}`;
          errors.set(step.nodeId, message);
          await bookkeeping.markSteps({
            runId: input.runId,
            nodeIds: [step.nodeId],
            status: 'failed',
            message: failureMessage(error),
          });
          await skipDownstream(input, step.nodeId, states);
        })
        .finally(() => running.delete(step.nodeId));
      running.set(step.nodeId, execution);
    }
    if (running.size === 0) return;
    try {
      await Promise.race(running.values());
    } catch (error) {
      // Cancelled: let every running step acknowledge before the run is marked cancelled.
      await Promise.allSettled(running.values());
      throw error;
    }
  }
}

function executeStep(runId: string, step: PlanStep, outputs: Map<string, Record<string, ArtifactRef>>) {
  const { runNode } = proxyActivities<PipelineActivities>({
    startToCloseTimeout: step.activity.startToClose,
    heartbeatTimeout: step.activity.heartbeat,
    retry: { maximumAttempts: step.activity.maxAttempts, initialInterval: '1 second', backoffCoefficient: 2 },
    // Wait for the step to acknowledge cancellation, so "cancelled" means it has really stopped.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const inputs: Record<string, ArtifactRef> = {};
  for (const [port, source] of Object.entries(step.inputs)) {
    const ref = outputs.get(source.nodeId)?.[source.port];
    if (ref) inputs[port] = ref;
  }
  return runNode({ runId, step, inputs }).then((outcome) => outcome.outputs);
}

async function skipDownstream(
  input: PipelineWorkflowInput,
  failedId: string,
  states: Map<string, StepState>,
) {
  const skipped: string[] = [];
  const blocked = new Set([failedId]);
  // Plan steps are in topological order, so one pass reaches the whole downstream.
  for (const step of input.plan.steps) {
    if (states.get(step.nodeId) !== 'pending' || !step.dependsOn.some((id) => blocked.has(id))) continue;
    blocked.add(step.nodeId);
    states.set(step.nodeId, 'skipped');
    skipped.push(step.nodeId);
  }
  if (skipped.length === 0) return;
  await bookkeeping.markSteps({
    runId: input.runId,
    nodeIds: skipped,
    status: 'skipped',
    message: `Skipped because "${failedId}" failed`,
  });
}

async function finishCancelled(runId: string, states: Map<string, StepState>): Promise<RunResult> {
  const unfinished = [...states]
    .filter(([, state]) => state === 'pending' || state === 'running')
    .map(([id]) => id);
  for (const id of unfinished) states.set(id, 'cancelled');
  if (unfinished.length) {
    await bookkeeping.markSteps({
      runId,
      nodeIds: unfinished,
      status: 'cancelled',
      message: 'Run cancelled',
    });
  }
  await bookkeeping.markRun({ runId, status: 'cancelled', error: 'Run cancelled' });
  return { status: 'cancelled', error: 'Run cancelled', steps: Object.fromEntries(states) };
}

function isDone(state: StepState | undefined): boolean {
  return state === 'succeeded' || state === 'cached';
}

/** The innermost message: an activity failure wraps the step's own error. */
function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return failureMessage(error.cause);
  if (error instanceof ApplicationFailure) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
