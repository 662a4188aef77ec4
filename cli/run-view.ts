import { z } from 'zod';
import type { Database } from '../db/client';
import { getRunDetail } from '../db/queries/runs';
import { numericMetrics } from '../nodes/evaluate/main-metric';
import type { Output } from './output';

/**
 * A run as `status` and a remote `run --wait` print it: the REST API's run answer
 * (GET /api/v1/runs/{id}), or the same fields read from the local database.
 */
export const runViewSchema = z.object({
  id: z.string(),
  pipelineName: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  trigger: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  steps: z.array(
    z.object({
      nodeId: z.string(),
      type: z.string(),
      status: z.string(),
      message: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
  metrics: z.record(z.string(), z.record(z.string(), z.number())),
});
export type RunView = z.infer<typeof runViewSchema>;

export function isFinished(view: RunView): boolean {
  return view.status === 'succeeded' || view.status === 'failed' || view.status === 'cancelled';
}

/** The local database's run in the REST API's shape; undefined when there is no such run. */
export async function localRunView(db: Database, runId: string): Promise<RunView | undefined> {
  const detail = await getRunDetail(db, runId);
  if (!detail) return undefined;
  const metrics: RunView['metrics'] = {};
  for (const step of detail.steps) {
    const stepMetrics = numericMetrics(step.outputSummary);
    if (stepMetrics.size) metrics[step.nodeId] = Object.fromEntries(stepMetrics);
  }
  return {
    id: detail.id,
    pipelineName: detail.pipelineName,
    status: detail.status,
    trigger: detail.trigger,
    startedAt: detail.startedAt.toISOString(),
    finishedAt: detail.finishedAt?.toISOString() ?? null,
    error: detail.error,
    steps: detail.steps.map((step) => ({
      nodeId: step.nodeId,
      type: step.nodeType,
      status: step.status,
      message: step.message,
      error: step.error,
    })),
    metrics,
  };
}

export function printRunView(view: RunView, out: Output): void {
  if (out.json) {
    out.print(JSON.stringify(view, null, 2));
    return;
  }
  out.print(`Run ${view.id} of "${view.pipelineName}": ${view.status}`);
  for (const step of view.steps) {
    const note = step.error ?? step.message;
    out.print(
      `  ${step.status.padEnd(9)} ${step.nodeId.padEnd(20)} ${step.type.padEnd(18)}${note ? `  ${note}` : ''}`,
    );
  }
  for (const [nodeId, metrics] of Object.entries(view.metrics)) {
    const shown = Object.entries(metrics).map(([name, value]) => `${name}=${value}`);
    out.print(`  metrics of ${nodeId}: ${shown.join(', ')}`);
  }
  if (view.error) out.print(view.error);
}
