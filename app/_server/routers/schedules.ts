import { z } from 'zod';
import { pipelineLabels } from '../../../db/queries/pipelines';
import { getSchedule } from '../../../db/queries/schedules';
import {
  backfillOverlapSchema,
  createScheduleSchema,
  noteInputSchema,
  pipelineIdSchema,
  scheduleIdSchema,
  updateScheduleSchema,
} from '../../../workflows/schedules/schedule-inputs';
import {
  backfillProgress,
  backfillSchedule,
  createSchedule,
  describeSchedule,
  editSchedule,
  listScheduleDescriptions,
  pauseSchedule,
  removeSchedule,
  resumeSchedule,
  type ScheduleActor,
  type ScheduleDescription,
  type ScheduleServiceDeps,
  triggerSchedule,
} from '../../../workflows/schedules/schedule-service';
import { timingOf } from '../../../workflows/schedules/temporal-schedule';
import { describeTiming } from '../../../workflows/schedules/timing';
import type { Actor } from '../auth/actor';
import { auditActor } from '../auth/audit-actor';
import type { Context } from '../trpc';
import { procedure, router } from '../trpc';

/**
 * Schedules for the editor's Schedules panel and the Schedules page: the schedule service
 * (workflows/schedules/schedule-service.ts, shared with the CLI) behind the app's permissions.
 * Reading needs `read`; every change needs `schedule` (operators) and is audited as the caller.
 */

/** The service's dependencies from the app's services (the tests' worker and nodes when they set them). */
async function depsOf(ctx: Pick<Context, 'services'>): Promise<ScheduleServiceDeps> {
  const { services } = ctx;
  return {
    db: services.db,
    temporal: await services.temporal(),
    taskQueue: services.taskQueue,
    specOf: services.specOf,
  };
}

/** Calls the service with its dependencies and the caller as the audit log records them. */
async function withService<T>(
  ctx: Pick<Context, 'services' | 'ipAddress'> & { actor: Actor },
  call: (deps: ScheduleServiceDeps, actor: ScheduleActor) => Promise<T>,
): Promise<T> {
  return call(await depsOf(ctx), auditActor(ctx.actor, ctx.ipAddress));
}

/** A timestamp as a Date whatever the driver gave (postgres.js may leave text). */
function instant(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** What a list row and a describe add to the service's description: names, not just ids. */
interface Labels {
  pipelineName: string;
  /** The pinned version's number; null: the latest saved version when it fires. */
  pinnedVersion: number | null;
}

/** The labels of some schedules, in one query that reads names and version numbers only. */
async function labelsOf(ctx: Pick<Context, 'services'>, schedules: ScheduleDescription[]) {
  const pipelineIds = [...new Set(schedules.map((schedule) => schedule.pipelineId))];
  const versionIds = [
    ...new Set(
      schedules.flatMap((schedule) => (schedule.pipelineVersionId ? [schedule.pipelineVersionId] : [])),
    ),
  ];
  const { names, numbers } = await pipelineLabels(ctx.services.db, pipelineIds, versionIds);
  return (schedule: ScheduleDescription): Labels => ({
    pipelineName: names.get(schedule.pipelineId) ?? 'Unknown pipeline',
    pinnedVersion: schedule.pipelineVersionId ? (numbers.get(schedule.pipelineVersionId) ?? null) : null,
  });
}

/** A schedule as the UI shows it: dates as Dates, labels added, the creator's id left out. */
function shown(schedule: ScheduleDescription, labels: Labels) {
  return {
    id: schedule.id,
    pipelineId: schedule.pipelineId,
    pipelineName: labels.pipelineName,
    name: schedule.name,
    description: schedule.description,
    timing: schedule.timing,
    timingText: schedule.timingText,
    parameters: schedule.parameters,
    pipelineVersionId: schedule.pipelineVersionId,
    pinnedVersion: labels.pinnedVersion,
    overlap: schedule.overlap,
    catchupWindowSeconds: schedule.catchupWindowSeconds,
    paused: schedule.paused,
    note: schedule.note,
    inTemporal: schedule.inTemporal,
    nextRuns: schedule.nextRuns.map(instant),
    lastRun: schedule.lastRun && {
      id: schedule.lastRun.id,
      status: schedule.lastRun.status,
      startedAt: instant(schedule.lastRun.startedAt),
      finishedAt: schedule.lastRun.finishedAt === null ? null : instant(schedule.lastRun.finishedAt),
    },
    createdAt: instant(schedule.createdAt),
    updatedAt: instant(schedule.updatedAt),
  };
}
export type ShownSchedule = ReturnType<typeof shown>;

async function shownOne(ctx: Pick<Context, 'services'>, schedule: ScheduleDescription) {
  const label = await labelsOf(ctx, [schedule]);
  return shown(schedule, label(schedule));
}

type ScheduleEdit = z.output<typeof updateScheduleSchema>;

/**
 * A schedule named after its timing ("Every 10 seconds", the default) keeps being named after it
 * when only the timing changes: the old words would describe a timing it no longer has.
 */
async function withFollowingName(
  deps: ScheduleServiceDeps,
  scheduleId: string,
  changes: ScheduleEdit,
): Promise<ScheduleEdit> {
  if (!changes.timing || changes.name !== undefined) return changes;
  const row = await getSchedule(deps.db, scheduleId);
  if (!row || row.name !== describeTiming(timingOf(row))) return changes;
  return { ...changes, name: describeTiming(changes.timing) };
}

const scheduleInput = z.object({ scheduleId: scheduleIdSchema });
const noteInput = scheduleInput.extend({ note: noteInputSchema });
const rangeInput = scheduleInput.extend({
  from: z.coerce.date({ error: 'must be a date and time (ISO 8601)' }),
  to: z.coerce.date({ error: 'must be a date and time (ISO 8601)' }),
});

export const schedulesRouter = router({
  /** Every schedule, or one pipeline's, each with its next runs, last run and pipeline name. */
  list: procedure('read')
    .input(z.object({ pipelineId: pipelineIdSchema.optional() }).default({}))
    .query(({ ctx, input }) =>
      withService(ctx, async (deps) => {
        const schedules = await listScheduleDescriptions(deps, input.pipelineId);
        const label = await labelsOf(ctx, schedules);
        return schedules.map((schedule) => shown(schedule, label(schedule)));
      }),
    ),

  /** One schedule with its next five run times (Temporal computes them; none while paused). */
  get: procedure('read')
    .input(scheduleInput)
    .query(({ ctx, input }) =>
      withService(ctx, async (deps) => shownOne(ctx, await describeSchedule(deps, input.scheduleId))),
    ),

  create: procedure('schedule')
    .input(createScheduleSchema)
    .mutation(({ ctx, input }) =>
      withService(ctx, async (deps, actor) => shownOne(ctx, await createSchedule(deps, actor, input))),
    ),

  /** Changes the fields given; the Temporal schedule and its row change together. */
  edit: procedure('schedule')
    .input(scheduleInput.extend({ changes: updateScheduleSchema }))
    .mutation(({ ctx, input }) =>
      withService(ctx, async (deps, actor) =>
        shownOne(
          ctx,
          await editSchedule(
            deps,
            actor,
            input.scheduleId,
            await withFollowingName(deps, input.scheduleId, input.changes),
          ),
        ),
      ),
    ),

  pause: procedure('schedule')
    .input(noteInput)
    .mutation(({ ctx, input }) =>
      withService(ctx, async (deps, actor) =>
        shownOne(ctx, await pauseSchedule(deps, actor, input.scheduleId, input.note)),
      ),
    ),

  resume: procedure('schedule')
    .input(noteInput)
    .mutation(({ ctx, input }) =>
      withService(ctx, async (deps, actor) =>
        shownOne(ctx, await resumeSchedule(deps, actor, input.scheduleId, input.note)),
      ),
    ),

  /** One run now, whatever the overlap policy. */
  trigger: procedure('schedule')
    .input(scheduleInput)
    .mutation(({ ctx, input }) =>
      withService(ctx, async (deps, actor) => {
        await triggerSchedule(deps, actor, input.scheduleId);
        return { scheduleId: input.scheduleId };
      }),
    ),

  /** One run per time the schedule would have fired in [from, to]; backfillProgress tells how far it got. */
  backfill: procedure('schedule')
    .input(rangeInput.extend({ overlap: backfillOverlapSchema.default('allow') }))
    .mutation(({ ctx, input }) =>
      withService(ctx, (deps, actor) =>
        backfillSchedule(deps, actor, input.scheduleId, {
          from: input.from,
          to: input.to,
          overlap: input.overlap,
        }),
      ),
    ),

  /** The runs recorded so far for the times in [from, to], by status. */
  backfillProgress: procedure('read')
    .input(
      rangeInput.extend({ since: z.coerce.date({ error: 'must be a date and time (ISO 8601)' }).optional() }),
    )
    .query(({ ctx, input }) =>
      withService(ctx, (deps) =>
        backfillProgress(deps, input.scheduleId, { from: input.from, to: input.to, since: input.since }),
      ),
    ),

  /** Deletes the schedule; the runs it started stay. */
  delete: procedure('schedule')
    .input(scheduleInput)
    .mutation(({ ctx, input }) =>
      withService(ctx, async (deps, actor) => {
        await removeSchedule(deps, actor, input.scheduleId);
        return { scheduleId: input.scheduleId };
      }),
    ),
});
