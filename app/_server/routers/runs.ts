import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { latestVersion } from '../../../db/queries/pipelines';
import { findAlertOfRetrainRun } from '../../../db/queries/retraining';
import { storedMainMetric } from '../../../db/queries/run-history';
import type { RunChange } from '../../../db/queries/run-state';
import { getRun, getRunDetail, listRuns } from '../../../db/queries/runs';
import { runStatuses } from '../../../db/schema';
import { parameterValuesSchema } from '../../../pipeline/parameters';
import { cancelRun, rerun, startRun } from '../../../workflows/run-service';
import { whileAllowed } from '../live-access';
import { recordRunAction } from '../run-audit';
import { ServerPaths } from '../server-paths';
import { procedure, router } from '../trpc';

const idSchema = z.uuid();

type RunDetail = NonNullable<Awaited<ReturnType<typeof getRunDetail>>>;

/**
 * A run as the API shows it: artifacts name their file relative to DATA_DIR instead of by absolute
 * URI, steps leave out their output references (the worker's, for re-runs), and messages say
 * DATA_DIR where they would name the server's folder.
 */
function withoutServerPaths(detail: RunDetail, paths: ServerPaths) {
  return {
    ...detail,
    error: paths.nullableText(detail.error),
    steps: detail.steps.map(({ outputs: _outputs, ...step }) => ({
      ...step,
      error: paths.nullableText(step.error),
      message: paths.nullableText(step.message),
      outputSummary: paths.json(step.outputSummary),
    })),
    events: detail.events.map((event) => ({
      ...event,
      message: paths.text(event.message),
      data: paths.json(event.data),
    })),
    artifacts: detail.artifacts.map(({ uri, ...artifact }) => ({
      ...artifact,
      file: paths.relativeFile(uri),
    })),
  };
}

export const runsRouter = router({
  start: procedure('run')
    .input(
      z.object({
        pipelineId: idSchema,
        /** Defaults to the latest saved version. */
        versionId: idSchema.optional(),
        parameters: parameterValuesSchema.default({}),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const versionId = input.versionId ?? (await latestVersion(ctx.services.db, input.pipelineId))?.id;
      if (!versionId) throw new TRPCError({ code: 'NOT_FOUND', message: `No pipeline ${input.pipelineId}` });
      const started = await startRun(
        {
          db: ctx.services.db,
          temporal: await ctx.services.temporal(),
          taskQueue: ctx.services.taskQueue,
          specOf: ctx.services.specOf,
        },
        {
          pipelineVersionId: versionId,
          parameters: input.parameters,
          trigger: 'manual',
          startedBy: ctx.actor.userId,
        },
      );
      await recordRunAction(ctx, 'run.started', started.runId, started.pipelineId, { trigger: 'manual' });
      return { runId: started.runId, reused: started.reused };
    }),

  list: procedure('read')
    .input(
      z.object({
        pipelineId: idSchema.optional(),
        statuses: z.array(z.enum(runStatuses)).optional(),
        from: z.date().optional(),
        to: z.date().optional(),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.object({ startedAt: z.date(), id: idSchema }).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const items = await listRuns(ctx.services.db, input);
      const last = items.at(-1);
      const paths = new ServerPaths(ctx.services.dataDir);
      return {
        items: items.map(({ mainMetricName, mainMetricValue, ...item }) => ({
          ...item,
          error: paths.nullableText(item.error),
          durationMs: item.finishedAt ? item.finishedAt.getTime() - item.startedAt.getTime() : null,
          mainMetric: storedMainMetric(mainMetricName, mainMetricValue),
        })),
        nextCursor:
          items.length === input.limit && last ? { startedAt: last.startedAt, id: last.id } : undefined,
      };
    }),

  get: procedure('read')
    .input(z.object({ runId: idSchema }))
    .query(async ({ ctx, input }) => {
      const detail = await getRunDetail(ctx.services.db, input.runId);
      if (!detail) throw new TRPCError({ code: 'NOT_FOUND', message: `No run ${input.runId}` });
      // A run a monitor started links back to the alert it was started for.
      const startedFor =
        detail.trigger === 'monitor'
          ? ((await findAlertOfRetrainRun(ctx.services.sql, input.runId)) ?? null)
          : null;
      return { ...withoutServerPaths(detail, new ServerPaths(ctx.services.dataDir)), startedFor };
    }),

  cancel: procedure('run')
    .input(z.object({ runId: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const run = await getRun(ctx.services.db, input.runId);
      const cancelled = await cancelRun(
        { db: ctx.services.db, temporal: await ctx.services.temporal() },
        input.runId,
      );
      if (cancelled && run) await recordRunAction(ctx, 'run.cancelled', run.id, run.pipelineId, {});
      return { runId: input.runId };
    }),

  /** A new run of the same version and parameters; `fromFailure` reuses the steps that succeeded. */
  rerun: procedure('run')
    .input(z.object({ runId: idSchema, fromFailure: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const started = await rerun(
        {
          db: ctx.services.db,
          temporal: await ctx.services.temporal(),
          taskQueue: ctx.services.taskQueue,
          specOf: ctx.services.specOf,
        },
        input.runId,
        { fromFailure: input.fromFailure, startedBy: ctx.actor.userId },
      );
      await recordRunAction(ctx, 'run.rerun', started.runId, started.pipelineId, {
        rerunOf: input.runId,
        fromFailure: input.fromFailure,
      });
      return { runId: started.runId, reused: started.reused };
    }),

  /** Live run, step and log changes over server-sent events: of one run, or of every run. */
  onChange: procedure('read')
    .input(z.object({ runId: idSchema.optional() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const abort = signal ?? new AbortController().signal;
      const paths = new ServerPaths(ctx.services.dataDir);
      // The caller was checked when the stream opened; a stream lasts hours, so it is asked again.
      const changes = whileAllowed(
        (stop) => ctx.services.changes.changes({ runId: input.runId }, stop),
        () => ctx.reauthorize('read'),
        abort,
      );
      for await (const change of changes) {
        yield changeWithoutServerPaths(change, paths);
      }
    }),
});

/** A live change as the browser may see it: previews of errors and messages name DATA_DIR, not the folder. */
function changeWithoutServerPaths(change: RunChange, paths: ServerPaths): RunChange {
  switch (change.type) {
    case 'run':
      return { ...change, error: paths.nullablePreview(change.error) };
    case 'step':
      return { ...change, message: paths.nullablePreview(change.message) };
    case 'event':
      return { ...change, message: paths.preview(change.message) };
  }
}
