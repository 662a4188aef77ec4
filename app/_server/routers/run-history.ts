import { z } from 'zod';
import {
  listRunHistory,
  RUN_HISTORY_MAX_PAGE,
  runHistoryCursorSchema,
  runHistoryFiltersSchema,
} from '../../../db/queries/run-history';
import { procedure, router } from '../trpc';

/**
 * The Runs page across pipelines: one page of runs newest first, filtered, with each run's stored
 * main metric. The query (and its indexes) lives in db/queries/run-history.ts, which
 * `npm run bench:history` times over 100,000 runs.
 */
export const runHistoryRouter = router({
  list: procedure('read')
    .input(
      z.object({
        filters: runHistoryFiltersSchema.default({}),
        limit: z.number().int().min(1).max(RUN_HISTORY_MAX_PAGE).default(50),
        cursor: runHistoryCursorSchema.optional(),
      }),
    )
    .query(({ ctx, input }) => listRunHistory(ctx.services.db, input)),
});
