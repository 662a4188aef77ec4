import { and, eq, gt, gte, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../client';
import { pipelines, pipelineVersions, runStatuses, runs, runTriggers } from '../schema';
import { afterCursor, newestFirst } from './keyset';

/**
 * The Runs page across pipelines: runs newest first (started_at desc, id desc), keyset-paged, with
 * filters. Every filter has an index led by its column and ending in (started_at desc, id desc), or
 * (for the metric) a column index the planner may combine; see migration 0008_run_history.
 */

/** What the Runs page filters on; every field is optional and they combine with "and". */
export const runHistoryFiltersSchema = z.object({
  pipelineId: z.uuid().optional(),
  status: z.enum(runStatuses).optional(),
  trigger: z.enum(runTriggers).optional(),
  /** Runs started at or after this instant. */
  from: z.date().optional(),
  /** Runs started before this instant. */
  to: z.date().optional(),
  /** Runs whose stored main metric is strictly above or below the value; runs without one never match. */
  metric: z.object({ comparison: z.enum(['above', 'below']), value: z.number().finite() }).optional(),
});

export type RunHistoryFilters = z.infer<typeof runHistoryFiltersSchema>;

/** The last row of the previous page. */
export const runHistoryCursorSchema = z.object({ startedAt: z.date(), id: z.uuid() });

export type RunHistoryCursor = z.infer<typeof runHistoryCursorSchema>;

export const RUN_HISTORY_MAX_PAGE = 200;

/**
 * The main metric as a run row stores it (runs.main_metric_name / main_metric_value, refreshed when
 * an evaluate step succeeds; see db/queries/run-state.ts): every page that shows a run's main
 * metric reads it, so they all agree.
 */
export function storedMainMetric(
  name: string | null,
  value: number | null,
): { name: string; value: number } | null {
  return name !== null && value !== null ? { name, value } : null;
}

function conditions(filters: RunHistoryFilters): SQL | undefined {
  const { metric } = filters;
  return and(
    filters.pipelineId ? eq(runs.pipelineId, filters.pipelineId) : undefined,
    filters.status ? eq(runs.status, filters.status) : undefined,
    filters.trigger ? eq(runs.trigger, filters.trigger) : undefined,
    filters.from ? gte(runs.startedAt, filters.from) : undefined,
    filters.to ? lt(runs.startedAt, filters.to) : undefined,
    metric?.comparison === 'above' ? gt(runs.mainMetricValue, metric.value) : undefined,
    metric?.comparison === 'below' ? lt(runs.mainMetricValue, metric.value) : undefined,
  );
}

interface RunHistoryInput {
  filters: RunHistoryFilters;
  limit: number;
  cursor?: RunHistoryCursor;
}

/**
 * The page's SQL, one row more than the page; apart so the benchmark can EXPLAIN it. The runs of the
 * page are picked first, in a subquery of runs alone, and only those are joined to their pipeline and
 * version: the planner then walks a (…, started_at desc, id desc) index and stops after the page,
 * where with the joins in the same query it may read and sort every run (20,000 already did).
 */
export function runHistoryQuery(db: Pick<Database, 'select'>, input: RunHistoryInput) {
  const page = db
    .select({
      id: runs.id,
      pipelineId: runs.pipelineId,
      pipelineVersionId: runs.pipelineVersionId,
      status: runs.status,
      trigger: runs.trigger,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      mainMetricName: runs.mainMetricName,
      mainMetricValue: runs.mainMetricValue,
    })
    .from(runs)
    .where(
      and(
        conditions(input.filters),
        afterCursor(
          runs.startedAt,
          runs.id,
          input.cursor && { at: input.cursor.startedAt, id: input.cursor.id },
        ),
      ),
    )
    .orderBy(...newestFirst(runs.startedAt, runs.id))
    .limit(input.limit + 1)
    .as('page');
  return db
    .select({
      id: page.id,
      pipelineId: page.pipelineId,
      pipelineName: pipelines.name,
      version: pipelineVersions.version,
      status: page.status,
      trigger: page.trigger,
      startedAt: page.startedAt,
      finishedAt: page.finishedAt,
      mainMetricName: page.mainMetricName,
      mainMetricValue: page.mainMetricValue,
    })
    .from(page)
    .innerJoin(pipelines, eq(pipelines.id, page.pipelineId))
    .innerJoin(pipelineVersions, eq(pipelineVersions.id, page.pipelineVersionId))
    .orderBy(...newestFirst(page.startedAt, page.id));
}

/**
 * One page of runs and the cursor of the next (undefined on the last page). One row more than the
 * page is read, so a page that happens to end the list says so instead of answering an empty page.
 */
export async function listRunHistory(db: Pick<Database, 'select'>, input: RunHistoryInput) {
  const rows = await runHistoryQuery(db, input);
  const items = rows.slice(0, input.limit).map(({ mainMetricName, mainMetricValue, ...row }) => ({
    ...row,
    durationMs: row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    mainMetric: storedMainMetric(mainMetricName, mainMetricValue),
  }));
  const last = items.at(-1);
  const nextCursor: RunHistoryCursor | undefined =
    rows.length > input.limit && last ? { startedAt: last.startedAt, id: last.id } : undefined;
  return { items, nextCursor };
}

export type RunHistoryPage = Awaited<ReturnType<typeof listRunHistory>>;
export type RunHistoryItem = RunHistoryPage['items'][number];
