import { z } from 'zod';
import { auditActionNames, listAudit } from '../../../db/queries/audit';
import { auditFiltersSchema } from '../../_audit/filters';
import { procedure, router } from '../trpc';

/** Read-only on purpose: the log is append-only, and no procedure changes or deletes an entry. */
export const auditRouter = router({
  /** Entries matching the filters, newest first, a page at a time. */
  list: procedure('admin')
    .input(
      z.object({
        filters: auditFiltersSchema.prefault({}),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.object({ at: z.date(), id: z.number().int().positive() }).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const items = await listAudit(ctx.services.db, input.filters, {
        limit: input.limit,
        cursor: input.cursor,
      });
      const last = items.at(-1);
      return {
        items,
        nextCursor: items.length === input.limit && last ? { at: last.at, id: last.id } : undefined,
      };
    }),

  /** The action names in the log, for the page's action filter. */
  actions: procedure('admin').query(({ ctx }) => auditActionNames(ctx.services.db)),
});
