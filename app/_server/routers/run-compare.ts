import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { runsForComparison, stepsForComparison } from '../../../db/queries/run-compare';
import { storedMainMetric } from '../../../db/queries/run-history';
import { listRuns } from '../../../db/queries/runs';
import { numericMetrics } from '../../../nodes/evaluate/main-metric';
import { COMPARE_MAX, COMPARE_MIN } from '../../_components/compare/compare-rows';
import { procedure, router } from '../trpc';

const idSchema = z.uuid();

/** How many of a pipeline's latest runs the metric-over-time chart plots. */
export const METRIC_HISTORY_LIMIT = 1000;

const compareInput = z.object({
  runIds: z
    .array(idSchema)
    .min(COMPARE_MIN, `Pick at least ${COMPARE_MIN} runs to compare`)
    .max(COMPARE_MAX, `Compare at most ${COMPARE_MAX} runs at once`)
    .refine((ids) => new Set(ids).size === ids.length, 'List each run once'),
});

/** A version's declared parameters, as far as the comparison needs them; anything else reads as none. */
const declaredParametersSchema = z
  .array(z.object({ name: z.string(), default: z.unknown() }).loose())
  .catch([]);

/**
 * The values a run ran with: the declared defaults, overridden by the values it was started with.
 * Entries rather than an object, so a parameter named `__proto__` survives the trip to the browser.
 */
function effectiveParameters(declared: unknown, given: unknown): { name: string; value: unknown }[] {
  const values = new Map<string, unknown>();
  for (const parameter of declaredParametersSchema.parse(declared))
    values.set(parameter.name, parameter.default);
  if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
    for (const [name, value] of Object.entries(given)) values.set(name, value);
  }
  return [...values].map(([name, value]) => ({ name, value }));
}

function durationMs(startedAt: Date | null, finishedAt: Date | null): number | null {
  return startedAt && finishedAt ? finishedAt.getTime() - startedAt.getTime() : null;
}

export const runCompareRouter = router({
  /**
   * 2 to 10 runs side by side, in the order asked: parameters, pipeline and version, each step's
   * status and duration, and each evaluate step's numeric metrics by name. An id with no run refuses the whole call.
   */
  compare: procedure('read')
    .input(compareInput)
    .query(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const [found, steps] = await Promise.all([
        runsForComparison(db, input.runIds),
        stepsForComparison(db, input.runIds),
      ]);
      const missing = input.runIds.filter((id) => !found.some((run) => run.id === id));
      if (missing.length > 0) {
        throw new TRPCError({ code: 'NOT_FOUND', message: `No run ${missing.join(', ')}` });
      }
      const byId = new Map(found.map((run) => [run.id, run]));
      return input.runIds.flatMap((id) => {
        const run = byId.get(id);
        if (!run) return [];
        const own = steps.filter((step) => step.runId === id);
        return [
          {
            id,
            pipelineId: run.pipelineId,
            pipelineName: run.pipelineName,
            versionId: run.versionId,
            version: run.version,
            trigger: run.trigger,
            status: run.status,
            startedAt: run.startedAt,
            durationMs: durationMs(run.startedAt, run.finishedAt),
            parameters: effectiveParameters(run.declaredParameters, run.parameters),
            steps: own.map((step) => ({
              nodeId: step.nodeId,
              nodeType: step.nodeType,
              status: step.status,
              attempt: step.attempt,
              durationMs: durationMs(step.startedAt, step.finishedAt),
            })),
            metrics: own
              .filter((step) => step.nodeType === 'evaluate')
              .flatMap((step) =>
                // By name: PostgreSQL's jsonb keeps keys shortest first, not in the order evaluate wrote them.
                [...numericMetrics(step.summary)]
                  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                  .map(([name, value]) => ({
                    step: step.nodeId,
                    name,
                    value,
                  })),
              ),
            mainMetric: storedMainMetric(run.mainMetricName, run.mainMetricValue),
          },
        ];
      });
    }),

  /**
   * A pipeline's latest runs, oldest first, each with its main metric as the run row stores it (as the
   * Runs page shows it), in one read: the metric-over-time chart.
   */
  metricHistory: procedure('read')
    .input(z.object({ pipelineId: idSchema }))
    .query(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const items = await listRuns(db, { pipelineId: input.pipelineId, limit: METRIC_HISTORY_LIMIT });
      return items
        .map((item) => ({
          runId: item.id,
          startedAt: item.startedAt,
          status: item.status,
          trigger: item.trigger,
          version: item.version,
          mainMetric: storedMainMetric(item.mainMetricName, item.mainMetricValue),
        }))
        .reverse();
    }),
});
