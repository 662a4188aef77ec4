import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { latestVersion } from '../../../db/queries/pipelines';
import { getRunDetail, listEvaluations, listRuns } from '../../../db/queries/runs';
import { runStatuses } from '../../../db/schema';
import { mainMetric } from '../../../nodes/evaluate/main-metric';
import { parameterValuesSchema } from '../../../pipeline/parameters';
import { cancelRun, rerun, startRun } from '../../../workflows/run-service';
import { publicProcedure, router } from '../trpc';

const idSchema = z.uuid();

export const runsRouter = router({
  start: publicProcedure
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
        { db: ctx.services.db, temporal: await ctx.services.temporal(), taskQueue: ctx.services.taskQueue },
        { pipelineVersionId: versionId, parameters: input.parameters, trigger: 'manual' },
      );
      return { runId: started.runId, reused: started.reused };
    }),

  list: publicProcedure
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
      const evaluations = await listEvaluations(
        ctx.services.db,
        items.map((item) => item.id),
      );
      const last = items.at(-1);
      return {
        items: items.map((item) => ({
          ...item,
          durationMs: item.finishedAt ? item.finishedAt.getTime() - item.startedAt.getTime() : null,
          mainMetric: mainMetric(evaluations.filter((evaluation) => evaluation.runId === item.id)),
        })),
        nextCursor:
          items.length === input.limit && last ? { startedAt: last.startedAt, id: last.id } : undefined,
      };
    }),

  get: publicProcedure.input(z.object({ runId: idSchema })).query(async ({ ctx, input }) => {
    const detail = await getRunDetail(ctx.services.db, input.runId);
    if (!detail) throw new TRPCError({ code: 'NOT_FOUND', message: `No run ${input.runId}` });
    return detail;
  }),

  cancel: publicProcedure.input(z.object({ runId: idSchema })).mutation(async ({ ctx, input }) => {
    await cancelRun({ db: ctx.services.db, temporal: await ctx.services.temporal() }, input.runId);
    return { runId: input.runId };
  }),

  /** A new run of the same version and parameters; `fromFailure` reuses the steps that succeeded. */
  rerun: publicProcedure
    .input(z.object({ runId: idSchema, fromFailure: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const started = await rerun(
        { db: ctx.services.db, temporal: await ctx.services.temporal(), taskQueue: ctx.services.taskQueue },
        input.runId,
        { fromFailure: input.fromFailure },
      );
      return { runId: started.runId, reused: started.reused };
    }),

  /** Live run, step and log changes over server-sent events: of one run, or of every run. */
  onChange: publicProcedure.input(z.object({ runId: idSchema.optional() })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const abort = signal ?? new AbortController().signal;
    yield* ctx.services.changes.changes({ runId: input.runId }, abort);
  }),
});
