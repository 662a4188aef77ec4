import { type Client, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Database, DatabaseTransaction, Executor } from '../../db/client';
import { type AuditEntry, recordAudit } from '../../db/queries/audit';
import { getPipeline, getVersion, latestVersion, NotFoundError } from '../../db/queries/pipelines';
import {
  databaseNow,
  deleteSchedule,
  getSchedule,
  insertSchedule,
  lastScheduledRuns,
  listSchedules,
  lockSchedule,
  type ScheduleChanges,
  type ScheduledRunSummary,
  scheduledRunsBetween,
  tombstoneSchedule,
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
import { existsInTemporal, reachScheduler } from './scheduler-errors';
import { forgetPresence, isInTemporal, notePresence } from './temporal-presence';
import { scheduleOptionsOf, scheduleUpdateOf, temporalScheduleId, timingOf } from './temporal-schedule';
import { defaultCatchupSeconds, describeTiming, firingTimesBetween, type Timing } from './timing';

export interface ScheduleServiceDeps {
  db: Database;
  temporal: Client;
  /** The task queue the schedule's workflow runs on (the pipeline queue unless a test has its own). */
  taskQueue?: string;
  /** The node types a pipeline may use: production's unless a test adds its own. */
  specOf?: SpecLookup;
  /** Where problems that do not stop the call are reported (console.warn when unset). */
  log?: (line: string) => void;
  /** How long one Temporal call may take (SCHEDULER_CALL_MS unless a test waits less). */
  callTimeoutMs?: number;
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

/**
 * The row, its audit entry and the Temporal schedule come into being together: Temporal is told
 * inside the transaction that writes the row, so a refusal leaves nothing behind. Should the commit
 * fail after Temporal took it, the orphan deletes itself when it first fires and finds no row
 * (scheduled-run-activity.ts).
 */
export async function createSchedule(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  input: CreateScheduleInput,
): Promise<ScheduleDescription> {
  const parsed = parseInput(createScheduleSchema, input);
  const pipeline = await getPipeline(deps.db, parsed.pipelineId);
  if (!pipeline || pipeline.archivedAt) throw new NotFoundError(`No pipeline ${parsed.pipelineId}`);
  await checkRunnable(deps, parsed.pipelineId, parsed.pipelineVersionId, parsed.parameters);
  const row = await deps.db.transaction(async (tx) => {
    const inserted = await insertSchedule(tx, {
      ...parsed,
      name: parsed.name ?? describeTiming(parsed.timing),
      catchupWindowSeconds: parsed.catchupWindowSeconds ?? defaultCatchupSeconds(parsed.timing),
      createdBy: actor.actorKind === 'user' || actor.actorKind === 'key' ? actor.actorId : null,
    });
    await audit(tx, actor, 'schedule.created', inserted, {
      timing: inserted.timing,
      overlap: inserted.overlap,
    });
    await createInTemporal(deps, inserted);
    return inserted;
  });
  notePresence(row.id, true);
  return describeSchedule(deps, row.id);
}

/** Creates the Temporal schedule; an ambiguous failure (a timeout after the server took it) is checked. */
async function createInTemporal(deps: ScheduleServiceDeps, row: ScheduleRow): Promise<void> {
  try {
    await reachScheduler(deps, () =>
      deps.temporal.schedule.create(scheduleOptionsOf(row, taskQueueOf(deps))),
    );
  } catch (error) {
    const taken = await existsInTemporal(deps, () => handleOf(deps, row.id).describe()).catch(() => false);
    if (!taken) throw error;
  }
}

/** Changes a schedule's settings, one change at a time (changeLocked). */
export async function editSchedule(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  scheduleId: string,
  input: UpdateScheduleInput,
): Promise<ScheduleDescription> {
  const changes: ScheduleChanges = parseInput(updateScheduleSchema, input);
  await changeLocked(deps, scheduleId, async (before, tx) => {
    const after = applied(before, changes);
    if (changes.parameters !== undefined || changes.pipelineVersionId !== undefined) {
      await checkRunnable(deps, after.pipelineId, after.pipelineVersionId, after.parameters);
    }
    await audit(tx, actor, 'schedule.updated', after, { changed: changedFields(changes) });
    return changes;
  });
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
  await changeLocked(deps, scheduleId, async (before, tx) => {
    await audit(tx, actor, paused ? 'schedule.paused' : 'schedule.resumed', before, note ? { note } : {});
    return { paused, note };
  });
  return describeSchedule(deps, scheduleId);
}

/** The note of a schedule paused because its pipeline was archived. */
export const ARCHIVED_NOTE = 'The pipeline was archived';

/** Pauses every schedule of a pipeline that is being archived, so none of them fires into a refusal. */
export async function pausePipelineSchedules(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  pipelineId: string,
): Promise<number> {
  const running = (await listSchedules(deps.db, pipelineId)).filter((row) => !row.paused);
  for (const row of running) await setPaused(deps, actor, row.id, true, ARCHIVED_NOTE);
  return running.length;
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
  // The entry is written with the request, so a refusal leaves none and a success always has one.
  await deps.db.transaction(async (tx) => {
    await audit(tx, actor, 'schedule.triggered', row, {});
    await reachScheduler(deps, () => handleOf(deps, row.id).trigger(ScheduleOverlapPolicy.ALLOW_ALL));
  });
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
): Promise<{ from: Date; to: Date; runs: number; requestedAt: Date }> {
  const range = parseInput(backfillSchema, input);
  // Progress counts the runs recorded from now on: earlier runs of the same times are not this backfill's.
  const requestedAt = await databaseNow(deps.db);
  const row = await requireSchedule(deps, scheduleId);
  const times = firingTimesBetween(timingOf(row), range.from, range.to, MAX_BACKFILL_RUNS);
  if (times.length === 0) throw new InvalidScheduleError('from and to hold no time this schedule fires at');
  if (times.length > MAX_BACKFILL_RUNS) {
    throw new InvalidScheduleError(
      `from and to hold more than ${MAX_BACKFILL_RUNS} times this schedule fires at: backfill a shorter range`,
    );
  }
  await deps.db.transaction(async (tx) => {
    await audit(tx, actor, 'schedule.backfilled', row, {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      overlap: range.overlap,
      runs: times.length,
    });
    await reachScheduler(deps, () =>
      handleOf(deps, row.id).backfill({
        start: range.from,
        end: range.to,
        overlap:
          range.overlap === 'allow' ? ScheduleOverlapPolicy.ALLOW_ALL : ScheduleOverlapPolicy.BUFFER_ALL,
      }),
    );
  });
  return { from: range.from, to: range.to, runs: times.length, requestedAt };
}

/**
 * The runs of a backfill so far (a page polls it to show progress): those for times in its range
 * recorded since it was asked for (`since`, backfillSchedule's requestedAt), so runs that already
 * ran at those times do not count as its own.
 */
export async function backfillProgress(
  deps: ScheduleServiceDeps,
  scheduleId: string,
  input: { from: string | Date; to: string | Date; since?: Date },
): Promise<BackfillProgress> {
  const range = parseInput(backfillSchema, { from: input.from, to: input.to, overlap: 'allow' });
  const row = await requireSchedule(deps, scheduleId);
  const expected = firingTimesBetween(timingOf(row), range.from, range.to, MAX_BACKFILL_RUNS).length;
  const recorded = await scheduledRunsBetween(deps.db, row.id, range.from, range.to, input.since);
  const count = (status: string) => recorded.filter((run) => run.status === status).length;
  return {
    expected,
    recorded: recorded.length,
    finished: recorded.filter((run) => run.finishedAt !== null).length,
    succeeded: count('succeeded'),
    failed: count('failed'),
  };
}

/**
 * Deletes a schedule; runs it started stay. The row is marked deleted first (with its audit entry),
 * so from then on users no longer see it and nothing recreates it; then Temporal's schedule and the
 * row go. A process that stops between the steps, or a Temporal that cannot be reached, leaves the
 * mark for reconcileSchedules to finish, and the schedule starts nothing meanwhile (its firing finds
 * no schedule and deletes itself).
 */
export async function removeSchedule(
  deps: ScheduleServiceDeps,
  actor: ScheduleActor,
  scheduleId: string,
): Promise<void> {
  const id = parseInput(scheduleIdSchema, scheduleId);
  const row = await deps.db.transaction(async (tx) => {
    const marked = await tombstoneSchedule(tx, id);
    if (!marked) throw new NotFoundError(`No schedule ${scheduleId}`);
    await audit(tx, actor, 'schedule.deleted', marked, { timing: marked.timing });
    return marked;
  });
  forgetPresence(row.id);
  await finishDelete(deps, row).catch((error: unknown) =>
    logOf(deps)(`schedule ${row.id}: deleted; Temporal is told later (${reasonOf(error)})`),
  );
}

/** Temporal's schedule (already gone is fine), then the marked row. */
export async function finishDelete(deps: ScheduleServiceDeps, row: ScheduleRow): Promise<void> {
  try {
    await reachScheduler(deps, () => handleOf(deps, row.id).delete());
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  await deleteSchedule(deps.db, row.id);
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
    const described = await reachScheduler(deps, () => handleOf(deps, row.id).describe());
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
      // The stored timing is parsed once (viewOf): lists are refreshed often.
      const view = viewOf(row);
      const nextRuns = row.paused || !inTemporal ? [] : upcomingRuns(view.timing, now);
      return { ...view, nextRuns, inTemporal, lastRun: lastRuns.get(row.id) ?? null };
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
 * One change to a schedule: its row is locked (two changes go one after the other, each from the
 * row the other left), `decide` works out the changes and writes the audit entry in the same
 * transaction, Temporal takes the whole new schedule, and the row is written. Temporal refusing, or
 * not answering, rolls everything back. Should the commit fail after Temporal took the change,
 * Temporal is ahead of the row: reconcileSchedules sees the revision (the row's updatedAt, which
 * Temporal carries in the action's input) differ and writes the row's settings back.
 */
async function changeLocked(
  deps: ScheduleServiceDeps,
  scheduleId: string,
  decide: (before: ScheduleRow, tx: DatabaseTransaction) => Promise<ScheduleChanges>,
): Promise<void> {
  const id = parseInput(scheduleIdSchema, scheduleId);
  await deps.db.transaction(async (tx) => {
    const before = await lockSchedule(tx, id);
    if (!before) throw new NotFoundError(`No schedule ${scheduleId}`);
    const changes = await decide(before, tx);
    const after = { ...applied(before, changes), updatedAt: new Date() };
    await pushToTemporal(deps, after);
    await updateSchedule(tx, id, changes, after.updatedAt);
  });
}

/** Temporal takes the row's whole schedule; one it lost (its database was reset) is made again. */
export async function pushToTemporal(deps: ScheduleServiceDeps, row: ScheduleRow): Promise<void> {
  try {
    await reachScheduler(deps, () =>
      handleOf(deps, row.id).update(() => scheduleUpdateOf(row, taskQueueOf(deps))),
    );
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    await createInTemporal(deps, row);
  }
  notePresence(row.id, true);
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
  db: Executor,
  actor: ScheduleActor,
  action: string,
  row: ScheduleRow,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(db, {
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
