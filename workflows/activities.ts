import path from 'node:path';
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { ConnectionLookup } from '../config/connection-settings';
import type { Sql } from '../db/client';
import { errorHeadline } from '../db/queries/loggable-error';
import {
  setRunStatus,
  setStepProgress,
  setStepRunning,
  setStepSucceeded,
  setStepsStatus,
} from '../db/queries/run-state';
import type { NodeContext } from '../nodes/_kit/context';
import { NodeInputError } from '../nodes/_kit/errors';
import { StepArtifacts } from '../nodes/_kit/local-artifacts';
import type { NodeRunLookup } from '../nodes/runs';
import type { SpecLookup } from '../pipeline/graph-checks';
import { storedConnectionLookup } from './connection-lookup';
import { monitoringPort } from './monitoring-port';
import type { ArtifactRef, PipelineActivities, PlanStep, StepOutcome } from './pipeline.types';
import { registryPort } from './registry-port';
import { retrainingPort } from './retraining-port';
import { StepLogger } from './step-logger';

export interface ActivityDeps {
  sql: Sql;
  /** DATA_DIR: the artifact store is DATA_DIR/artifacts; uploads and server-side files live under it. */
  dataDir: string;
  /** The node types this worker runs: production's, or production's plus test nodes in tests. */
  runOf: NodeRunLookup;
  /** The installation's secret key, asked for when a step opens a stored connection. */
  secretKey: () => Buffer;
  /** The node types a retraining run compiles against: production's unless a test adds its own. */
  specOf?: SpecLookup;
}

/** Activities built from their dependencies, so tests and the worker pass their own database. */
export function createActivities(deps: ActivityDeps): PipelineActivities {
  const connections = storedConnectionLookup(deps.sql, deps.secretKey);
  return {
    markRun: (input) => setRunStatus(deps.sql, input),
    markSteps: (input) => setStepsStatus(deps.sql, input),
    runNode: (input) => runNode(deps, connections, input),
  };
}

/** Progress goes to the database at most this often; the heartbeat carries every value. */
const PROGRESS_WRITE_INTERVAL_MS = 250;

async function runNode(
  deps: ActivityDeps,
  connections: ConnectionLookup,
  input: { runId: string; step: PlanStep; inputs: Record<string, ArtifactRef> },
): Promise<StepOutcome> {
  const { runId, step } = input;
  const activity = Context.current();
  const attempt = activity.info.attempt;
  const run = deps.runOf(step.type);
  if (!run) {
    throw ApplicationFailure.nonRetryable(`Unknown node type "${step.type}"`, 'UnknownNodeType');
  }
  await setStepRunning(deps.sql, { runId, nodeId: step.nodeId, nodeType: step.type, attempt });
  const artifacts = new StepArtifacts(path.join(deps.dataDir, 'artifacts'), runId, step.nodeId, attempt);
  await artifacts.prepare();
  const log = new StepLogger(deps.sql, runId, step.nodeId, attempt);
  const progress = progressReporter(deps.sql, runId, step.nodeId, attempt);
  const context: NodeContext = {
    runId,
    nodeId: step.nodeId,
    attempt,
    dataDir: deps.dataDir,
    artifacts,
    log,
    progress: progress.report,
    signal: activity.cancellationSignal,
    connections,
    registry: registryPort(deps.sql, { runId, nodeId: step.nodeId }),
    monitoring: monitoringPort(deps.sql, { runId, nodeId: step.nodeId }),
    // Runs are started with this activity's own Temporal client, on the queue it was polled from.
    retraining: retrainingPort(
      {
        sql: deps.sql,
        temporal: () => ({ client: activity.client, taskQueue: activity.info.taskQueue }),
        specOf: deps.specOf,
      },
      { runId, nodeId: step.nodeId },
    ),
  };
  try {
    const result = await run({ config: step.config, inputs: input.inputs }, context);
    await progress.stop();
    await log.flush();
    const finished = await artifacts.finish();
    const recorded = await setStepSucceeded(deps.sql, {
      runId,
      nodeId: step.nodeId,
      attempt,
      summary: result.summary,
      outputs: result.outputs,
      artifacts: finished.map((artifact) => ({
        id: artifact.ref.id,
        port: artifact.port,
        kind: artifact.tableKind,
        uri: artifact.ref.uri,
        bytes: artifact.bytes,
        sha256: artifact.sha256,
        schema: artifact.meta.schema,
        profile: artifact.meta.profile,
        companions: artifact.companions,
      })),
    });
    if (!recorded) {
      // Cancelled, or replaced by a newer attempt, while it ran: nobody waits for this result.
      throw ApplicationFailure.nonRetryable(
        `Step "${step.nodeId}" finished after it was cancelled or retried; its result was discarded`,
        'StepNoLongerRunning',
      );
    }
    return { outputs: result.outputs };
  } catch (error) {
    await progress.stop();
    const failure = toFailure(step, error, activity.cancellationSignal.aborted);
    if (!(failure instanceof CancelledFailure)) {
      const retrying = !failure.nonRetryable && attempt < step.activity.maxAttempts;
      log.warn(`Attempt ${attempt} failed: ${failure.message}${retrying ? '; retrying' : ''}`);
    }
    await log.flush();
    throw failure;
  }
}

/**
 * Analyst mistakes are final (no retry); anything else is retried by the step's policy. The node id
 * and type travel in the failure's details, and the original error stays its cause.
 */
function toFailure(
  step: PlanStep,
  error: unknown,
  cancelled: boolean,
): ApplicationFailure | CancelledFailure {
  if (error instanceof CancelledFailure) return error;
  if (cancelled)
    return new CancelledFailure('Step cancelled', [], error instanceof Error ? error : undefined);
  if (error instanceof ApplicationFailure) return error;
  const details = [{ nodeId: step.nodeId, nodeType: step.type }];
  const cause = error instanceof Error ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NodeInputError) {
    return ApplicationFailure.create({
      message,
      type: 'NodeInputError',
      nonRetryable: true,
      details: [{ ...details[0], ...error.details }],
      cause,
    });
  }
  return ApplicationFailure.create({
    message,
    type: cause?.name ?? 'Error',
    nonRetryable: false,
    details,
    cause,
  });
}

/**
 * Every report is a heartbeat (Temporal learns the step is alive and delivers cancellation); the
 * database and live view get one write per interval. A timer heartbeats for steps that never report.
 */
function progressReporter(sql: Sql, runId: string, nodeId: string, attempt: number) {
  const activity = Context.current();
  let latest = 0;
  let written = 0;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    if (latest === written) return;
    const value = latest;
    written = value;
    lastWrite = Date.now();
    writing = writing.then(() =>
      setStepProgress(sql, { runId, nodeId, attempt, progress: value }).catch((error: unknown) => {
        console.error(`could not store progress of ${nodeId}: ${errorHeadline(error)}`);
      }),
    );
  };
  const timer = setInterval(() => activity.heartbeat(latest), 1_000);
  return {
    report(fraction: number) {
      latest = Math.min(1, Math.max(0, fraction));
      activity.heartbeat(latest);
      if (Date.now() - lastWrite >= PROGRESS_WRITE_INTERVAL_MS) write();
    },
    async stop() {
      clearInterval(timer);
      await writing;
    },
  };
}
