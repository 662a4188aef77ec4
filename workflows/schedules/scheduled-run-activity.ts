import { ApplicationFailure, Context } from '@temporalio/activity';
import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import type { Database } from '../../db/client';
import { getPipeline, getVersion, latestVersion } from '../../db/queries/pipelines';
import { endUnfinishedRun } from '../../db/queries/run-state';
import { getRun, insertRun } from '../../db/queries/runs';
import { getSchedule } from '../../db/queries/schedules';
import { compilePipeline } from '../../pipeline/compile';
import { parsePipelineDocument } from '../../pipeline/document';
import type { SpecLookup } from '../../pipeline/graph-checks';
import { CompileError, recordRun } from '../run-service';
import type {
  PreparedScheduledRun,
  PrepareScheduledRunInput,
  ScheduleActivities,
} from '../scheduled-run.types';
import { scheduleParametersSchema } from './schedule-inputs';
import { ARCHIVED_NOTE, pauseSchedule, type ScheduleActor } from './schedule-service';
import { temporalScheduleId } from './temporal-schedule';

export interface ScheduleActivityDeps {
  db: Database;
  /** The node types a pipeline may use: production's unless a test adds its own. */
  specOf?: SpecLookup;
  /** Temporal, to remove or pause the firing schedule: the activity's own client unless a test gives one. */
  temporal?: () => Client;
  /** This attempt's number (from 1): the activity's own unless a test gives one. */
  attempt?: () => number;
}

const SYSTEM: ScheduleActor = { actorKind: 'system', actorId: null, actorEmail: null, ipAddress: null };

/** Attempts (1 s, then 2 s apart) before a schedule with no row is taken for gone. */
const GONE_AFTER_ATTEMPTS = 3;

function attemptOf(deps: ScheduleActivityDeps): number {
  return deps.attempt ? deps.attempt() : Context.current().info.attempt;
}

function temporalOf(deps: ScheduleActivityDeps): Client {
  return deps.temporal ? deps.temporal() : Context.current().client;
}

async function removeFromTemporal(deps: ScheduleActivityDeps, scheduleId: string): Promise<void> {
  try {
    await temporalOf(deps).schedule.getHandle(temporalScheduleId(scheduleId)).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
}

export function createScheduleActivities(deps: ScheduleActivityDeps): ScheduleActivities {
  return { prepareScheduledRun: (input) => prepareScheduledRun(deps, input) };
}

/**
 * Records the run a schedule's firing starts: the pinned version or the latest saved one, the
 * schedule's parameters plus $scheduledTime, trigger "schedule". A retry after the run was recorded
 * (the worker died before reporting) finds it and compiles the same plan again.
 */
export async function prepareScheduledRun(
  deps: ScheduleActivityDeps,
  input: PrepareScheduledRunInput,
): Promise<PreparedScheduledRun> {
  const recorded = await getRun(deps.db, input.runId);
  if (recorded) return { workflowId: recorded.workflowId, plan: await planOf(deps, recorded) };
  const schedule = await getSchedule(deps.db, input.scheduleId);
  if (!schedule) {
    // Temporal takes a new schedule just before its row commits: a first firing in that moment
    // does not see the row yet, so the row is looked for again (the retry policy's next attempts,
    // over a few seconds) before the schedule counts as gone.
    if (attemptOf(deps) < GONE_AFTER_ATTEMPTS)
      throw ApplicationFailure.retryable(
        `Schedule ${input.scheduleId} is not recorded yet`,
        'ScheduleNotYet',
      );
    // Deleted, or never committed (its row's transaction failed after Temporal took it): either
    // way nothing should fire again, so the Temporal schedule goes.
    await removeFromTemporal(deps, input.scheduleId);
    throw ApplicationFailure.nonRetryable(`Schedule ${input.scheduleId} no longer exists`, 'ScheduleGone');
  }
  // An archived pipeline's schedules stay (with their history) but start nothing: archiving pauses
  // them; one that fires all the same (archived before that was so) pauses itself, saying why.
  const pipeline = await getPipeline(deps.db, schedule.pipelineId);
  if (!pipeline || pipeline.archivedAt) {
    await pauseSchedule({ db: deps.db, temporal: temporalOf(deps) }, SYSTEM, schedule.id, ARCHIVED_NOTE);
    throw ApplicationFailure.nonRetryable('The pipeline is archived: its schedule starts no run', 'Archived');
  }
  const versionId = schedule.pipelineVersionId ?? (await latestVersion(deps.db, schedule.pipelineId))?.id;
  if (!versionId) {
    throw ApplicationFailure.nonRetryable('The pipeline has no saved version to run', 'NoVersion');
  }
  const parameters = {
    ...scheduleParametersSchema.parse(schedule.parameters),
    $scheduledTime: input.scheduledTime,
  };
  const run = { runId: input.runId, pipelineVersionId: versionId, parameters, scheduleId: schedule.id };
  try {
    const recorded = await recordRun(deps, { ...run, trigger: 'schedule' });
    return { workflowId: recorded.workflowId, plan: recorded.plan };
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    // Retrying does not make a pipeline compile: the firing ends at once, as a failed run that
    // says why, so a nightly run that cannot start shows in the run history instead of nowhere.
    await recordRefusedRun(deps, { ...run, pipelineId: schedule.pipelineId }, error.message);
    throw ApplicationFailure.nonRetryable(error.message, 'CompileError');
  }
}

async function recordRefusedRun(
  deps: ScheduleActivityDeps,
  run: {
    runId: string;
    pipelineId: string;
    pipelineVersionId: string;
    parameters: Record<string, unknown>;
    scheduleId: string;
  },
  reason: string,
): Promise<void> {
  await insertRun(deps.db, {
    id: run.runId,
    pipelineId: run.pipelineId,
    pipelineVersionId: run.pipelineVersionId,
    workflowId: `run-${run.runId}`,
    trigger: 'schedule',
    parameters: run.parameters,
    rerunOfRunId: null,
    scheduleId: run.scheduleId,
    steps: [],
  });
  await endUnfinishedRun(deps.db, {
    runId: run.runId,
    status: 'failed',
    error: `The pipeline cannot run: ${reason}`,
    stepMessage: 'Not started: the pipeline cannot run',
  });
}

async function planOf(
  deps: ScheduleActivityDeps,
  run: { pipelineVersionId: string; parameters: unknown },
): Promise<PreparedScheduledRun['plan']> {
  const version = await getVersion(deps.db, run.pipelineVersionId);
  if (!version) throw ApplicationFailure.nonRetryable("The run's pipeline version is gone", 'NoVersion');
  const compiled = compilePipeline(parsePipelineDocument(version.graph), {
    parameterValues: scheduleParametersSchema.parse(run.parameters),
    requireValues: true,
    specOf: deps.specOf,
  });
  if (!compiled.plan)
    throw ApplicationFailure.nonRetryable(new CompileError(compiled.problems).message, 'CompileError');
  return compiled.plan;
}
