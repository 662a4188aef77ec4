import { ApplicationFailure } from '@temporalio/activity';
import type { Database } from '../../db/client';
import { getVersion, latestVersion } from '../../db/queries/pipelines';
import { getRun } from '../../db/queries/runs';
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

export interface ScheduleActivityDeps {
  db: Database;
  /** The node types a pipeline may use: production's unless a test adds its own. */
  specOf?: SpecLookup;
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
    throw ApplicationFailure.nonRetryable(`Schedule ${input.scheduleId} no longer exists`, 'ScheduleGone');
  }
  const versionId = schedule.pipelineVersionId ?? (await latestVersion(deps.db, schedule.pipelineId))?.id;
  if (!versionId) {
    throw ApplicationFailure.nonRetryable('The pipeline has no saved version to run', 'NoVersion');
  }
  const parameters = scheduleParametersSchema.parse(schedule.parameters);
  try {
    const run = await recordRun(deps, {
      runId: input.runId,
      pipelineVersionId: versionId,
      parameters: { ...parameters, $scheduledTime: input.scheduledTime },
      trigger: 'schedule',
      scheduleId: schedule.id,
    });
    return { workflowId: run.workflowId, plan: run.plan };
  } catch (error) {
    // Retrying does not make a pipeline compile: the firing fails at once, saying why.
    if (error instanceof CompileError) throw ApplicationFailure.nonRetryable(error.message, 'CompileError');
    throw error;
  }
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
