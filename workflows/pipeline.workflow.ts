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

/**
 * Bookkeeping attempts (markRun, markSteps) before the run gives up on recording its progress.
 * With the backoff below they span about two and a half minutes: enough to ride out a database
 * restart, and bounded, so a write the database always refuses cannot keep a run "running" forever.
 */
export const BOOKKEEPING_ATTEMPTS = 10;

function bookkeepingActivities(maximumAttempts: number) {
  return proxyActivities<PipelineActivities>({
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '1 second',
      maximumInterval: '30 seconds',
      backoffCoefficient: 2,
      maximumAttempts,
    },
  });
}

/** What one run of the interpreter keeps: its input, each step's state and outputs, and failures. */
interface RunContext {
  input: PipelineWorkflowInput;
  states: Map<string, StepState>;
  outputs: Map<string, Record<string, ArtifactRef>>;
  errors: Map<string, string>;
  bookkeeping: Pick<PipelineActivities, 'markRun' | 'markSteps'>;
}

/**
 * Interprets a compiled plan: starts every step whose inputs are ready (up to plan.maxParallel at
 * once), passes artifact references along, skips what lies downstream of a failure, and on
 * cancellation cancels running steps and ends the run cancelled. When the run's own bookkeeping
 * cannot be written after every retry, the run ends failed saying so.
 */
export async function pipelineWorkflow(input: PipelineWorkflowInput): Promise<RunResult> {
  const run: RunContext = {
    input,
    states: new Map(input.plan.steps.map((step) => [step.nodeId, 'pending'])),
    outputs: new Map(),
    errors: new Map(),
    bookkeeping: bookkeepingActivities(input.bookkeepingAttempts ?? BOOKKEEPING_ATTEMPTS),
  };
  setHandler(statusQuery, () => ({ steps: Object.fromEntries(run.states) }));

  try {
    // Everything, the final status included, is inside the scope a cancel reaches: a cancel that
    // arrives while the end is being recorded still ends the row, as cancelled.
    return await CancellationScope.cancellable(() => runToEnd(run));
  } catch (error) {
    if (isCancellation(error)) return CancellationScope.nonCancellable(() => finishCancelled(run));
    // Steps' own failures are handled where they happen; an activity failure reaching here is a
    // bookkeeping write that failed on every attempt.
    if (error instanceof ActivityFailure)
      return CancellationScope.nonCancellable(() => finishUnrecorded(run, error));
    throw error;
  }
}

async function runToEnd(run: RunContext): Promise<RunResult> {
  const { runId } = run.input;
  await run.bookkeeping.markRun({ runId, status: 'running' });
  await applyReuse(run);
  await runReadySteps(run);
  const failed = [...run.errors.values()];
  const result: RunResult = failed.length
    ? { status: 'failed', error: failed.join('\n'), steps: Object.fromEntries(run.states) }
    : { status: 'succeeded', steps: Object.fromEntries(run.states) };
  await run.bookkeeping.markRun({ runId, status: result.status, error: result.error });
  return result;
}

/** Steps whose outputs an earlier run already produced with the same hash are not run again. */
async function applyReuse(run: RunContext): Promise<void> {
  const { input, states, outputs } = run;
  const bySource = new Map<string, string[]>();
  for (const [nodeId, reused] of Object.entries(input.reuse ?? {})) {
    if (!states.has(nodeId)) continue;
    states.set(nodeId, 'cached');
    outputs.set(nodeId, reused.outputs);
    bySource.set(reused.fromRunId, [...(bySource.get(reused.fromRunId) ?? []), nodeId]);
  }
  for (const [fromRunId, nodeIds] of bySource) {
    await run.bookkeeping.markSteps({
      runId: input.runId,
      nodeIds,
      status: 'cached',
      reusedFromRunId: fromRunId,
      message: 'Reused the outputs of an earlier run (unchanged inputs and settings)',
    });
  }
}

async function runReadySteps(run: RunContext): Promise<void> {
  const { input, states, outputs, errors } = run;
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
          await run.bookkeeping.markSteps({
            runId: input.runId,
            nodeIds: [step.nodeId],
            status: 'failed',
            message: failureMessage(error),
          });
          await skipDownstream(run, step.nodeId);
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

async function skipDownstream(run: RunContext, failedId: string) {
  const { input, states } = run;
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
  await run.bookkeeping.markSteps({
    runId: input.runId,
    nodeIds: skipped,
    status: 'skipped',
    message: `Skipped because "${failedId}" failed`,
  });
}

async function finishCancelled(run: RunContext): Promise<RunResult> {
  const { runId } = run.input;
  const unfinished = markUnfinished(run.states);
  if (unfinished.length) {
    await run.bookkeeping.markSteps({
      runId,
      nodeIds: unfinished,
      status: 'cancelled',
      message: 'Run cancelled',
    });
  }
  await run.bookkeeping.markRun({ runId, status: 'cancelled', error: 'Run cancelled' });
  return { status: 'cancelled', error: 'Run cancelled', steps: Object.fromEntries(run.states) };
}

/**
 * The database refused a bookkeeping write on every attempt. One more try records the run as failed
 * with the reason; if that fails too the workflow fails, and the worker's reconciliation (which
 * compares PostgreSQL with Temporal) ends the row later.
 */
async function finishUnrecorded(run: RunContext, error: ActivityFailure): Promise<RunResult> {
  const message = `Could not record the run's progress in the database: ${failureMessage(error)}`;
  markUnfinished(run.states);
  try {
    // Ending the run also ends the step rows it left unfinished.
    await bookkeepingActivities(3).markRun({ runId: run.input.runId, status: 'failed', error: message });
  } catch (failure) {
    throw ApplicationFailure.nonRetryable(
      `${message}; recording the failure failed too: ${failureMessage(failure)}`,
    );
  }
  return { status: 'failed', error: message, steps: Object.fromEntries(run.states) };
}

/** Pending and running steps become cancelled; answers their ids. */
function markUnfinished(states: Map<string, StepState>): string[] {
  const unfinished = [...states]
    .filter(([, state]) => state === 'pending' || state === 'running')
    .map(([id]) => id);
  for (const id of unfinished) states.set(id, 'cancelled');
  return unfinished;
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
