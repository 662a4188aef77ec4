import { type Client, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Database } from '../db/client';
import { loggableMessage } from '../db/queries/loggable-error';
import { endUnfinishedRun } from '../db/queries/run-state';
import { listUnfinishedRuns } from '../db/queries/runs';
import { type RunResult, runResultSchema } from './run-result-schema';

export interface ReconcileDeps {
  db: Database;
  temporal: Client;
  /** Where a run that could not be reconciled is reported (console.warn when unset). */
  log?: (line: string) => void;
}

/** How a run whose workflow has closed (or vanished) ends in PostgreSQL. */
interface Outcome {
  status: RunResult['status'];
  error: string | null;
}

export interface ReconciledRun extends Outcome {
  runId: string;
}

/**
 * A run is recorded by its own workflow. If that workflow closed without recording the end (it
 * failed, was terminated, or its last write was refused) or Temporal does not know it (history
 * expired, dev server reset), the row would say "queued" or "running" forever. This compares each
 * such row with Temporal and ends the ones whose workflow is closed or unknown.
 *
 * `startedBefore` leaves alone runs too young to judge: startRun writes the row just before it
 * starts the workflow.
 */
export async function reconcileRuns(deps: ReconcileDeps, startedBefore: Date): Promise<ReconciledRun[]> {
  const log = deps.log ?? ((line: string) => console.warn(line));
  const reconciled: ReconciledRun[] = [];
  for (const run of await listUnfinishedRuns(deps.db, startedBefore)) {
    // Each run on its own: one that keeps failing must not hold back the runs after it, every pass.
    try {
      const ended = await reconcileRun(deps, run);
      if (ended) reconciled.push(ended);
    } catch (error) {
      log(`could not reconcile run ${run.id}: ${loggableMessage(error)}`);
    }
  }
  return reconciled;
}

/** Ends one run whose workflow is closed or unknown; undefined when it is open or already ended. */
async function reconcileRun(
  deps: ReconcileDeps,
  run: { id: string; workflowId: string },
): Promise<ReconciledRun | undefined> {
  const outcome = await closedOutcome(deps.temporal, run.workflowId);
  if (!outcome) return undefined;
  const ended = await endUnfinishedRun(deps.db, {
    runId: run.id,
    ...outcome,
    stepMessage: 'Not finished: the run ended without recording this step',
  });
  return ended ? { runId: run.id, ...outcome } : undefined;
}

/** The outcome of a closed or unknown workflow; undefined while it is still open. */
async function closedOutcome(temporal: Client, workflowId: string): Promise<Outcome | undefined> {
  const handle = temporal.workflow.getHandle(workflowId);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    return {
      status: 'failed',
      error: 'Temporal has no record of this run (its history expired or the server was reset)',
    };
  }
  switch (status) {
    case 'COMPLETED':
      return outcomeOfResult(await handle.result());
    case 'CANCELLED':
      return { status: 'cancelled', error: 'Run cancelled' };
    case 'FAILED':
      return { status: 'failed', error: `The run's workflow failed: ${await failureOf(handle.result())}` };
    case 'TERMINATED':
    case 'TIMED_OUT':
      return { status: 'failed', error: `The run's workflow was ${status.toLowerCase().replace('_', ' ')}` };
    default:
      // RUNNING, PAUSED, or a state this code does not know: leave it to the workflow.
      return undefined;
  }
}

/**
 * The outcome a completed workflow returned. A result of the wrong shape (a payload is whatever was
 * stored, not a checked type) ends the run failed: its workflow is closed and will never record it.
 */
export function outcomeOfResult(value: unknown): Outcome {
  const result = runResultSchema.safeParse(value);
  if (result.success) return { status: result.data.status, error: result.data.error ?? null };
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || 'result'}: ${issue.message}`,
  );
  return {
    status: 'failed',
    error: `The run's workflow finished with a result this version cannot read (${problems.join('; ')})`,
  };
}

async function failureOf(result: Promise<unknown>): Promise<string> {
  try {
    await result;
    return 'no reason given';
  } catch (error) {
    const cause = error instanceof WorkflowFailedError ? error.cause : error;
    return cause instanceof Error ? cause.message : String(cause);
  }
}

/**
 * Reconciles on start and then every `intervalMs`, one pass at a time. A failed pass (database or
 * Temporal unreachable) is logged and tried again at the next tick.
 */
export function startRunReconciler(
  deps: ReconcileDeps,
  options: { intervalMs?: number; graceMs?: number; log?: (line: string) => void } = {},
): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 60_000;
  const graceMs = options.graceMs ?? 60_000;
  const log = options.log ?? ((line: string) => console.log(line));
  let pass: Promise<void> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    pass = reconcileRuns({ ...deps, log: deps.log ?? log }, new Date(Date.now() - graceMs))
      .then((ended) => {
        for (const run of ended)
          log(`reconciled run ${run.runId}: ${run.status} (${run.error ?? 'no error'})`);
      })
      .catch((error: unknown) => log(`could not reconcile runs: ${loggableMessage(error)}`))
      .finally(() => {
        busy = false;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pass;
    },
  };
}
