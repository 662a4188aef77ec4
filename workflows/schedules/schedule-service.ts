import { type Client, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Database } from '../../db/client';
import { type AuditEntry, recordAudit } from '../../db/queries/audit';
import { getPipeline, getVersion, latestVersion, NotFoundError } from '../../db/queries/pipelines';
import {
  deleteSchedule,
  getSchedule,
  insertSchedule,
  lastScheduledRuns,
  listSchedules,
  type ScheduleChanges,
  type ScheduledRunSummary,
  scheduledRunsBetween,
  updateSchedule,
} from '../../db/queries/schedules';
import type { ScheduleRow } from '../../db/schedules-schema';
import { compilePipeline } from '../../pipeline/compile';
import { parsePipelineDocument } from '../../pipeline/document';
import type { SpecLookup } from '../../pipeline/graph-checks';
import { PIPELINE_TASK_QUEUE } from '../task-queue';
import {
  type BackfillInput,
  backfillSchema,
  type CreateScheduleInput,
  createScheduleSchema,
  InvalidScheduleError,
  noteInputSchema,
  parseInput,
  pipelineIdSchema,
  scheduleIdSchema,
  type UpdateScheduleInput,
  updateScheduleSchema,
} from './schedule-inputs';
import { forgetPresence, isInTemporal, notePresence } from './temporal-presence';
import { scheduleOptionsOf, scheduleUpdateOf, temporalScheduleId, timingOf } from './temporal-schedule';
import { describeTiming, firingTimesBetween, type Timing } from './timing';

export interface ScheduleServiceDeps {
  db: Database;
  temporal: Client;
  /** The task queue the schedule's workflow runs on (the pipeline queue unless a test has its own). */
  taskQueue?: string;
  /** The node types a pipeline may use: production's unless a test adds its own. */
  specOf?: SpecLookup;
  /** Where problems that do not stop the call are reported (console.warn when unset). */
  log?: (line: string) => void;
}

/** Who changes a schedule, as the audit log records them (the app's auditActor, the CLI's cliAuditActor). */
export type ScheduleActor = Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorEmail' | 'ipAddress'> & {
  details?: Record<string, unknown> | null;
};

/** A schedule as the app and the CLI show it. */
export interface ScheduleView {
  id: string;
  pipelineId: string;
  name: string;
  description: string;
  timing: Timing;
  /** The timing in plain words. */
  timingText: string;
  parameters: Record<string, unknown>;
  pipelineVersionId: string | null;
  overlap: ScheduleRow['overlap'];
  catchupWindowSeconds: number;
  paused: boolean;
  note: string;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScheduleDescription extends ScheduleView {
  /** The next five times it fires (none while paused), from Temporal. */
  nextRuns: Date[];
  /** False when Temporal does not know it (reconciliation recreates it at the next start). */
  inTemporal: boolean;
  /** The latest run it started, if any. */
  lastRun: ScheduledRunSummary | null;
}

const NEXT_RUNS = 5;
/** A backfill is one run per missed time: more than this is almost surely a mistyped range. */
export const MAX_BACKFILL_RUNS = 500;

/** How far a backfill has got: the runs recorded for the times in its range, by status. */
export interface BackfillProgress {
  expected: number;
  recorded: number;
  finished: number;
  succeeded: number;
  failed: number;
}

export async function createSchedule(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  input: CreateScheduleInput,
): Promise<ScheduleDescription> {
  const parsed = parseInput(createScheduleSchema, input);
  const pipeline = await getPipeline(deps.db, parsed.pipelineId);
  if (!pipeline || pipeline.archivedAt) throw new NotFoundError(`No pipeline ${parsed.pipelineId}`);
  await checkRunnable(deps, parsed.pipelineId, parsed.pipelineVersionId, parsed.parameters);
  const row = await insertSchedule(deps.db, {
    ...parsed,
    name: parsed.name ?? describeTiming(parsed.timing),
    createdBy: actor.actorKind === 'user' || actor.actorKind === 'key' ? actor.actorId : null,
  });
  try {
    await deps.temporal.schedule.create(scheduleOptionsOf(row, taskQueueOf(deps)));
  } catch (error) {
    // Nothing changes on a refusal: the row goes again, and the caller hears why.
    await deleteSchedule(deps.db, row.id);
    throw error;
  }
  await audit(deps, actor, 'schedule.created', row, { timing: row.timing, overlap: row.overlap });
  return describeSchedule(deps, row.id);
}

/** Changes a schedule's settings: Temporal first, then the row; a row that cannot be written puts Temporal back. */
export async function editSchedule(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  scheduleId: string,
  input: UpdateScheduleInput,
): Promise<ScheduleDescription> {
  const before = await requireSchedule(deps, scheduleId);
  const changes: ScheduleChanges = parseInput(updateScheduleSchema, input);
  const after = applied(before, changes);
  if (changes.parameters !== undefined || changes.pipelineVersionId !== undefined) {
    await checkRunnable(deps, after.pipelineId, after.pipelineVersionId, after.parameters);
  }
  await changeTogether(deps, before, after, changes);
  await audit(deps, actor, 'schedule.updated', after, { changed: changedFields(changes) });
  return describeSchedule(deps, scheduleId);
}

export async function pauseSchedule(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  scheduleId: string,
  note?: string,
): Promise<ScheduleDescription> {
  return setPaused(deps, actor, scheduleId, true, parseInput(noteInputSchema, note));
}

export async function resumeSchedule(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  scheduleId: string,
  note?: string,
): Promise<ScheduleDescription> {
  return setPaused(deps, actor, scheduleId, false, parseInput(noteInputSchema, note));
}

async function setPaused(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  scheduleId: string,
  paused: boolean,
  note: string,
): Promise<ScheduleDescription> {
  const before = await requireSchedule(deps, scheduleId);
  await changeTogether(deps, before, { ...before, paused, note }, { paused, note });
  await audit(deps, actor, paused ? 'schedule.paused' : 'schedule.resumed', before, note ? { note } : {});
  return describeSchedule(deps, scheduleId);
}

/**
 * Starts one run now, whatever the overlap policy: an operator who asks for a run gets one (under
 * "skip" a request while a run goes would otherwise vanish without a word).
 */
export async function triggerSchedule(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  scheduleId: string,
): Promise<void> {
  const row = await requireSchedule(deps, scheduleId);
  await handleOf(deps, row.id).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  await audit(deps, actor, 'schedule.triggered', row, {});
}

/**
 * Each time the schedule would have fired in [from, to] becomes one run, with that time as its
 * $scheduledTime. Its own overlap policy: under the schedule's "skip", Temporal would drop the
 * backfilled starts that overlap, so a backfill runs them all at once (allow) or one after another
 * (buffer). A paused schedule still backfills: the range was asked for by name.
 */
export async function backfillSchedule(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  scheduleId: string,
  input: BackfillInput,
): Promise<{ from: Date; to: Date; runs: number }> {
  const range = parseInput(backfillSchema, input);
  const row = await requireSchedule(deps, scheduleId);
  const times = firingTimesBetween(timingOf(row), range.from, range.to, MAX_BACKFILL_RUNS);
  if (times.length === 0) throw new InvalidScheduleError('from and to hold no time this schedule fires at');
  if (times.length > MAX_BACKFILL_RUNS) {
    throw new InvalidScheduleError(
      `from and to hold more than ${MAX_BACKFILL_RUNS} times this schedule fires at: backfill a shorter range`,
    );
  }
  await handleOf(deps, row.id).backfill({
    start: range.from,
    end: range.to,
    overlap: range.overlap === 'allow' ? ScheduleOverlapPolicy.ALLOW_ALL : ScheduleOverlapPolicy.BUFFER_ALL,
  });
  await audit(deps, actor, 'schedule.backfilled', row, {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    overlap: range.overlap,
    runs: times.length,
  });
  return { from: range.from, to: range.to, runs: times.length };
}

/** The runs of a backfill so far (a page polls it to show progress). */
export async function backfillProgress(
  deps: ScheduleServiceDeps,
  scheduleId: string,
  input: { from: string | Date; to: string | Date },
): Promise<BackfillProgress> {
  const range = parseInput(backfillSchema, { ...input, overlap: 'allow' });
  const row = await requireSchedule(deps, scheduleId);
  const expected = firingTimesBetween(timingOf(row), range.from, range.to, MAX_BACKFILL_RUNS).length;
  const recorded = await scheduledRunsBetween(deps.db, row.id, range.from, range.to);
  const count = (status: string) => recorded.filter((run) => run.status === status).length;
  return {
    expected,
    recorded: recorded.length,
    finished: recorded.filter((run) => run.finishedAt !== null).length,
    succeeded: count('succeeded'),
    failed: count('failed'),
  };
}

/** Deletes the Temporal schedule (already gone is fine) and the row; runs it started stay. */
export async function removeSchedule(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  scheduleId: string,
): Promise<void> {
  const row = await requireSchedule(deps, scheduleId);
  try {
    await handleOf(deps, row.id).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  await deleteSchedule(deps.db, row.id);
  forgetPresence(row.id);
  await audit(deps, actor, 'schedule.deleted', row, { timing: row.timing });
}

/** The row with the next five run times Temporal computes (describe() has them, never the cron). */
export async function describeSchedule(
  deps: ScheduleServiceDeps,
  scheduleId: string,
): Promise<ScheduleDescription> {
  const row = await requireSchedule(deps, scheduleId);
  const lastRuns = await lastScheduledRuns(deps.db, [row.id]);
  const lastRun = lastRuns.get(row.id) ?? null;
  try {
    const described = await handleOf(deps, row.id).describe();
    notePresence(row.id, true);
    const nextRuns = row.paused ? [] : described.info.nextActionTimes.slice(0, NEXT_RUNS);
    return { ...viewOf(row), nextRuns, inTemporal: true, lastRun };
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    notePresence(row.id, false);
    return { ...viewOf(row), nextRuns: [], inTemporal: false, lastRun };
  }
}

/**
 * A pipeline's schedules (every schedule without one), each with its next run times. Lists are
 * refreshed often, so the times are worked out here from the stored timing, as Temporal does
 * (firingTimesBetween), and Temporal is asked only whether it still has each schedule, at most once
 * a minute (temporal-presence.ts).
 */
export async function listScheduleDescriptions(
  deps: ScheduleServiceDeps,
  pipelineId?: string,
  now = new Date(),
): Promise<ScheduleDescription[]> {
  if (pipelineId !== undefined) parseInput(pipelineIdSchema, pipelineId);
  const rows = await listSchedules(deps.db, pipelineId);
  const lastRuns = await lastScheduledRuns(
    deps.db,
    rows.map((row) => row.id),
  );
  return Promise.all(
    rows.map(async (row) => {
      const inTemporal = await isInTemporal(row.id, () => handleOf(deps, row.id).describe());
      const nextRuns = row.paused || !inTemporal ? [] : upcomingRuns(timingOf(row), now);
      return { ...viewOf(row), nextRuns, inTemporal, lastRun: lastRuns.get(row.id) ?? null };
    }),
  );
}

/** Far enough ahead for five firings of the sparsest timing allowed (yearly cron, 366-day interval). */
const UPCOMING_HORIZON_MS = 6 * 366 * 24 * 3600 * 1000;

/** The next five times after `now` (firingTimesBetween counts `now` itself, Temporal does not). */
function upcomingRuns(timing: Timing, now: Date): Date[] {
  const after = new Date(now.getTime() + 1);
  return firingTimesBetween(timing, after, new Date(after.getTime() + UPCOMING_HORIZON_MS), NEXT_RUNS).slice(
    0,
    NEXT_RUNS,
  );
}

export function viewOf(row: ScheduleRow): ScheduleView {
  const timing = timingOf(row);
  return {
    id: row.id,
    pipelineId: row.pipelineId,
    name: row.name,
    description: row.description,
    timing,
    timingText: describeTiming(timing),
    parameters: parametersOf(row.parameters),
    pipelineVersionId: row.pipelineVersionId,
    overlap: row.overlap,
    catchupWindowSeconds: row.catchupWindowSeconds,
    paused: row.paused,
    note: row.note,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * Writes Temporal, then the row. Should the row's write fail, Temporal gets the old settings back;
 * should that fail too, the next start's reconciliation writes the row's settings to Temporal.
 */
async function changeTogether(
  deps: ScheduleServiceDeps,
  before: ScheduleRow,
  after: ScheduleRow,
  changes: ScheduleChanges,
): Promise<void> {
  const handle = handleOf(deps, before.id);
  await handle.update(() => scheduleUpdateOf(after, taskQueueOf(deps)));
  try {
    const written = await updateSchedule(deps.db, before.id, changes);
    if (!written) throw new NotFoundError(`No schedule ${before.id}`);
  } catch (error) {
    await handle
      .update(() => scheduleUpdateOf(before, taskQueueOf(deps)))
      .catch((restoreError: unknown) =>
        logOf(deps)(
          `schedule ${before.id}: could not restore Temporal's settings: ${reasonOf(restoreError)}`,
        ),
      );
    throw error;
  }
}

/**
 * The pinned version belongs to the pipeline, and the pipeline compiles with these values: a
 * schedule that would fail at every firing is refused when it is saved, naming the problem.
 */
async function checkRunnable(
  deps: ScheduleServiceDeps,
  pipelineId: string,
  pinnedVersionId: string | null,
  parameters: unknown,
): Promise<void> {
  const version = pinnedVersionId
    ? await getVersion(deps.db, pinnedVersionId)
    : await latestVersion(deps.db, pipelineId);
  if (pinnedVersionId && (!version || version.pipelineId !== pipelineId)) {
    throw new InvalidScheduleError('pipelineVersionId is not a version of this pipeline');
  }
  if (!version)
    throw new InvalidScheduleError('The pipeline has no saved version to schedule: save it first');
  const compiled = compilePipeline(parsePipelineDocument(version.graph), {
    parameterValues: parametersOf(parameters),
    builtInValues: { $scheduledTime: new Date().toISOString() },
    requireValues: true,
    specOf: deps.specOf,
  });
  const errors = compiled.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    throw new InvalidScheduleError(`parameters: ${errors.map((problem) => problem.message).join('; ')}`);
  }
}

async function requireSchedule(deps: ScheduleServiceDeps, scheduleId: string): Promise<ScheduleRow> {
  const row = await getSchedule(deps.db, parseInput(scheduleIdSchema, scheduleId));
  if (!row) throw new NotFoundError(`No schedule ${scheduleId}`);
  return row;
}

function handleOf(deps: ScheduleServiceDeps, scheduleId: string) {
  return deps.temporal.schedule.getHandle(temporalScheduleId(scheduleId));
}

function audit(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  action: string,
  row: ScheduleRow,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(deps.db, {
    ...actor,
    action,
    objectType: 'schedule',
    objectId: row.id,
    objectLabel: row.name,
    details: { ...actor.details, pipelineId: row.pipelineId, ...details },
  });
}

function parametersOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
}

/** The row as it is after `changes` (a field left out, or undefined, stays as it was). */
function applied(before: ScheduleRow, changes: ScheduleChanges): ScheduleRow {
  return {
    ...before,
    name: changes.name ?? before.name,
    description: changes.description ?? before.description,
    timing: changes.timing ?? before.timing,
    parameters: changes.parameters ?? before.parameters,
    pipelineVersionId:
      changes.pipelineVersionId === undefined ? before.pipelineVersionId : changes.pipelineVersionId,
    overlap: changes.overlap ?? before.overlap,
    catchupWindowSeconds: changes.catchupWindowSeconds ?? before.catchupWindowSeconds,
    paused: changes.paused ?? before.paused,
    note: changes.note ?? before.note,
  };
}

function changedFields(changes: ScheduleChanges): string[] {
  return Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);
}

export function taskQueueOf(deps: Pick<ScheduleServiceDeps, 'taskQueue'>): string {
  return deps.taskQueue ?? PIPELINE_TASK_QUEUE;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function logOf(deps: ScheduleServiceDeps): (line: string) => void {
  return deps.log ?? ((line: string) => console.warn(line));
}
