import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { Database } from '../db/client';
import { getVersion, NotFoundError } from '../db/queries/pipelines';
import { endUnfinishedRun } from '../db/queries/run-state';
import { finishedStepOutputs, getRun, insertRun, setTemporalRunId } from '../db/queries/runs';
import type { RunTrigger } from '../db/schema';
import { artifactRefSchema } from '../nodes/_kit/artifact-ref';
import { compilePipeline } from '../pipeline/compile';
import { parsePipelineDocument } from '../pipeline/document';
import type { SpecLookup } from '../pipeline/graph-checks';
import type { CompileProblem } from '../pipeline/problems';
import type { PipelineWorkflowInput, Plan, ReusedStep } from './pipeline.types';
import type { pipelineWorkflow } from './pipeline.workflow';
import { checkReusedFiles, rejectedReuseMessage } from './reuse-check';
import { PIPELINE_TASK_QUEUE } from './task-queue';

export interface RunServiceDeps {
  db: Database;
  temporal: Client;
  taskQueue?: string;
  /** The node types a pipeline may use: production's unless a test adds its own. */
  specOf?: SpecLookup;
  /** Attempts per bookkeeping write (the workflow's default when unset); tests shorten it. */
  bookkeepingAttempts?: number;
  /** Where problems that do not stop the call are reported (console.warn when unset). */
  log?: (line: string) => void;
}

/** A pipeline that does not compile: the run is not started, and every problem is listed. */
export class CompileError extends Error {
  override name = 'CompileError';
  constructor(readonly problems: CompileProblem[]) {
    super(
      problems
        .filter((problem) => problem.severity === 'error')
        .map((problem) => problem.message)
        .join('; '),
    );
  }
}

export interface StartRunInput {
  pipelineVersionId: string;
  parameters?: Record<string, unknown>;
  trigger?: RunTrigger;
  /** Reuse the outputs of this earlier run's steps whose content hash is unchanged. */
  reuseFromRunId?: string;
  rerunOfRunId?: string;
  /** The user who started it (users.id); unset for the CLI, schedules and the system. */
  startedBy?: string;
  /** The OS user, when the local CLI started it: the run then acts with the CLI's authority. */
  startedByCli?: string;
  /**
   * The run's id, when the caller must know it before the start (a retried activity starting the
   * same run again finds it by this id); a fresh one otherwise.
   */
  runId?: string;
}

export interface StartedRun {
  runId: string;
  pipelineId: string;
  workflowId: string;
  plan: Plan;
  /** Node ids whose outputs come from an earlier run. */
  reused: string[];
}

/** Compiles the version with the given parameters, records the run and its steps, and starts the workflow. */
export async function startRun(deps: RunServiceDeps, input: StartRunInput): Promise<StartedRun> {
  const recorded = await recordRun(deps, { ...input, runId: input.runId ?? crypto.randomUUID() });
  const { runId, workflowId, plan, reuse } = recorded;
  const started = await startWorkflow(deps, {
    workflowId,
    runId,
    plan,
    reuse,
    bookkeepingAttempts: deps.bookkeepingAttempts,
  });
  // The workflow runs and records the run whether or not this id is written: a failure is only logged.
  await setTemporalRunId(deps.db, runId, started.temporalRunId).catch((error: unknown) =>
    logOf(deps)(`run ${runId}: could not record its Temporal run id (the run goes on): ${reasonOf(error)}`),
  );
  return { runId, pipelineId: recorded.pipelineId, workflowId, plan, reused: Object.keys(reuse) };
}

export interface RecordedRun {
  runId: string;
  pipelineId: string;
  workflowId: string;
  plan: Plan;
  reuse: Record<string, ReusedStep>;
}

/**
 * Compiles the version with the given parameters and records the run (queued) and its steps, under
 * the given id and workflow id `run-<id>`; starting its workflow is the caller's part (startRun
 * starts it here, a schedule's workflow as its child). `$scheduledTime` is the given one, else
 * `scheduledTime`, else now.
 */
export async function recordRun(
  deps: Pick<RunServiceDeps, 'db' | 'specOf'>,
  input: StartRunInput & { runId: string; scheduledTime?: string; scheduleId?: string },
): Promise<RecordedRun> {
  const version = await getVersion(deps.db, input.pipelineVersionId);
  if (!version) throw new NotFoundError(`No pipeline version ${input.pipelineVersionId}`);
  const parameters = input.parameters ?? {};
  const compiled = compilePipeline(parsePipelineDocument(version.graph), {
    parameterValues: parameters,
    builtInValues: { $scheduledTime: input.scheduledTime ?? new Date().toISOString() },
    requireValues: true,
    specOf: deps.specOf,
  });
  if (!compiled.plan) throw new CompileError(compiled.problems);
  const plan = compiled.plan;
  const candidates = input.reuseFromRunId ? await reusableSteps(deps.db, input.reuseFromRunId, plan) : {};
  const { reuse, rejected } = await checkReusedFiles(deps.db, plan, candidates);

  const runId = input.runId;
  const workflowId = `run-${runId}`;
  await insertRun(deps.db, {
    id: runId,
    pipelineId: version.pipelineId,
    pipelineVersionId: version.id,
    workflowId,
    trigger: input.trigger ?? 'manual',
    parameters,
    rerunOfRunId: input.rerunOfRunId ?? input.reuseFromRunId ?? null,
    startedBy: input.startedBy ?? null,
    startedByCli: input.startedByCli ?? null,
    scheduleId: input.scheduleId ?? null,
    steps: plan.steps.map((step) => ({
      nodeId: step.nodeId,
      nodeType: step.type,
      contentHash: step.hash,
      outputs: reuse[step.nodeId]?.outputs ?? null,
      // Recorded now, not when the workflow starts: retention must keep these files while the run waits.
      reusedFromRunId: reuse[step.nodeId]?.fromRunId ?? null,
    })),
    reusedArtifactIds: Object.values(reuse).flatMap((step) =>
      Object.values(step.outputs).map((ref) => ref.id),
    ),
    // With the run's row: a failure writing them must not leave a queued run no workflow will run.
    startEvents: rejected.map((step) => ({
      nodeId: step.nodeId,
      level: 'warn',
      message: rejectedReuseMessage(step),
    })),
  });
  return { runId, pipelineId: version.pipelineId, workflowId, plan, reuse };
}

/**
 * Starts the run's workflow. A start that fails may still have started it (a timeout after Temporal
 * accepted it), so Temporal is asked: a workflow it knows records the run itself, and only a run
 * whose workflow it does not know ends failed here. When Temporal cannot be asked either, the run
 * stays queued and the reconciler decides once Temporal answers.
 */
async function startWorkflow(
  deps: RunServiceDeps,
  input: PipelineWorkflowInput & { workflowId: string },
): Promise<{ temporalRunId: string }> {
  const { workflowId, ...args } = input;
  try {
    // Started by name: the app never loads workflow code, only its type.
    const handle = await deps.temporal.workflow.start<typeof pipelineWorkflow>('pipelineWorkflow', {
      taskQueue: deps.taskQueue ?? PIPELINE_TASK_QUEUE,
      workflowId,
      args: [args],
    });
    return { temporalRunId: handle.firstExecutionRunId };
  } catch (error) {
    const workflow = await askTemporal(deps.temporal, workflowId);
    if (workflow.known === 'yes') {
      logOf(deps)(`run ${args.runId}: its workflow started although the start reported: ${reasonOf(error)}`);
      return { temporalRunId: workflow.temporalRunId };
    }
    const message = `Could not start the run: ${reasonOf(error)}`;
    if (workflow.known === 'no') {
      // Should this write fail too, the reconciler ends the run later: Temporal does not know it.
      await endUnfinishedRun(deps.db, {
        runId: args.runId,
        status: 'failed',
        error: message,
        stepMessage: 'Not started: the run could not start',
        onlyIf: 'queued',
      }).catch((endError: unknown) =>
        logOf(deps)(`run ${args.runId}: could not record that it did not start: ${reasonOf(endError)}`),
      );
    }
    throw new Error(message, { cause: error });
  }
}

/**
 * Whether Temporal knows the workflow of a run (whose row exists): 'no' when its start failed, as
 * a retried caller that started it with a chosen id needs to know.
 */
export async function runWorkflowKnown(temporal: Client, runId: string): Promise<WorkflowKnown['known']> {
  return (await askTemporal(temporal, `run-${runId}`)).known;
}

type WorkflowKnown = { known: 'yes'; temporalRunId: string } | { known: 'no' } | { known: 'cannot tell' };

/** Whether Temporal knows a workflow by this id: 'cannot tell' when asking fails too. */
async function askTemporal(temporal: Client, workflowId: string): Promise<WorkflowKnown> {
  try {
    const description = await temporal.workflow.getHandle(workflowId).describe();
    return { known: 'yes', temporalRunId: description.runId };
  } catch (error) {
    return error instanceof WorkflowNotFoundError ? { known: 'no' } : { known: 'cannot tell' };
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function logOf(deps: RunServiceDeps): (line: string) => void {
  return deps.log ?? ((line: string) => console.warn(line));
}

/**
 * Steps of an earlier run that need not run again: same node, same content hash (type, config and
 * inputs), finished. Their files are checked next (checkReusedFiles).
 */
async function reusableSteps(
  db: Database,
  fromRunId: string,
  plan: Plan,
): Promise<Record<string, ReusedStep>> {
  const rows = await finishedStepOutputs(db, fromRunId);
  const byNode = new Map(rows.map((row) => [row.nodeId, row]));
  const reuse: Record<string, ReusedStep> = {};
  for (const step of plan.steps) {
    const row = byNode.get(step.nodeId);
    const outputs = row ? storedOutputsSchema.safeParse(row.outputs).data : undefined;
    if (!row || row.hash !== step.hash || !outputs) continue;
    reuse[step.nodeId] = { fromRunId: row.reusedFrom ?? fromRunId, outputs };
  }
  return reuse;
}

/** The stored outputs of a step, when they are a well-formed map of artifact references. */
const storedOutputsSchema = z.record(z.string(), artifactRefSchema);

/**
 * Asks the run's workflow to stop; it cancels running steps and records the run cancelled. A run
 * still queued ends cancelled at once (a worker that picks it up later finds the cancel and runs
 * nothing), and so does a run whose workflow Temporal no longer knows. False when the run had
 * already ended (nothing to cancel).
 */
export async function cancelRun(deps: RunServiceDeps, runId: string): Promise<boolean> {
  const run = await getRun(deps.db, runId);
  if (!run) throw new NotFoundError(`No run ${runId}`);
  if (run.status !== 'queued' && run.status !== 'running') return false;
  const cancelled = {
    runId,
    status: 'cancelled',
    error: 'Run cancelled',
    stepMessage: 'Run cancelled',
  } as const;
  try {
    await deps.temporal.workflow.getHandle(run.workflowId).cancel();
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    await endUnfinishedRun(deps.db, cancelled);
    return true;
  }
  // Only while still queued: if the workflow recorded "running" since the read above, a step may be
  // running, and the workflow ends the run (cancelled) once it has stopped its steps.
  if (run.status === 'queued') await endUnfinishedRun(deps.db, { ...cancelled, onlyIf: 'queued' });
  return true;
}

/** Runs the same version with the same parameters again; `fromFailure` reuses what already succeeded. */
export async function rerun(
  deps: RunServiceDeps,
  runId: string,
  options: { fromFailure: boolean; startedBy?: string },
): Promise<StartedRun> {
  const run = await getRun(deps.db, runId);
  if (!run) throw new NotFoundError(`No run ${runId}`);
  const parameters =
    typeof run.parameters === 'object' && run.parameters !== null
      ? Object.fromEntries(Object.entries(run.parameters))
      : {};
  return startRun(deps, {
    pipelineVersionId: run.pipelineVersionId,
    parameters,
    trigger: run.trigger,
    rerunOfRunId: runId,
    reuseFromRunId: options.fromFailure ? runId : undefined,
    startedBy: options.startedBy,
  });
}
