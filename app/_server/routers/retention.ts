import { z } from 'zod';
import { diskUseByPipeline, retentionDays, setRetentionDays } from '../../../db/queries/retention';
import { recordAction } from '../audit-trail';
import { procedure, router } from '../trpc';

/** A retention period: whole days, at least one, at most a hundred years; null keeps files forever. */
export const retentionDaysSchema = z
  .number({ error: 'Give the number of days as a whole number, or null to keep files forever' })
  .int({ error: 'Give a whole number of days' })
  .min(1, { error: 'Keep files at least 1 day, or give null to keep them forever' })
  .max(36500, { error: 'At most 36500 days (100 years); give null to keep files forever' })
  .nullable();

export const retentionRouter = router({
  /**
   * The retention period. Readable by anyone who reads, as diskUse's retentionDays already is: the
   * pipeline list tells users how long run files are kept. Only an admin changes it (setDays).
   */
  settings: procedure('read').query(async ({ ctx }) => ({ days: await retentionDays(ctx.services.db) })),

  /** Changes the retention period; the daily pass uses it from its next run. */
  setDays: procedure('admin')
    .input(z.object({ days: retentionDaysSchema }))
    .mutation(async ({ ctx, input }) => {
      const previous = await retentionDays(ctx.services.db);
      await setRetentionDays(ctx.services.db, input.days);
      await recordAction(ctx, {
        action: 'retention.updated',
        objectType: 'settings',
        objectId: 'retention',
        objectLabel: 'Retention',
        details: { from: previous, to: input.days },
      });
      return { days: input.days };
    }),

  /** Bytes the runs of each pipeline keep on disk, the total, and the period that bounds them. */
  diskUse: procedure('read').query(async ({ ctx }) => {
    const [pipelines, days] = await Promise.all([
      diskUseByPipeline(ctx.services.db),
      retentionDays(ctx.services.db),
    ]);
    return {
      pipelines,
      totalBytes: pipelines.reduce((sum, pipeline) => sum + pipeline.bytes, 0),
      retentionDays: days,
    };
  }),
});
