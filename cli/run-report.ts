import type { Database } from '../db/client';
import { runWithSteps } from '../db/queries/runs';

export interface RunReport {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  steps: { nodeId: string; type: string; status: string; durationMs: number; error?: string }[];
  metrics: Record<string, Record<string, number>>;
}

/** The `run --json` object, read back from the rows the run wrote. */
export async function buildRunReport(db: Database, runId: string): Promise<RunReport> {
  const found = await runWithSteps(db, runId);
  if (!found) throw new Error(`no run ${runId}`);
  const { run, steps } = found;
  const metrics: RunReport['metrics'] = {};
  for (const step of steps) {
    const stepMetrics = numericMetrics(step.outputSummary);
    if (stepMetrics) metrics[step.nodeId] = stepMetrics;
  }
  return {
    runId,
    status: run.status === 'succeeded' || run.status === 'cancelled' ? run.status : 'failed',
    steps: steps.map((step) => ({
      nodeId: step.nodeId,
      type: step.nodeType,
      status: step.status,
      durationMs:
        step.startedAt && step.finishedAt ? step.finishedAt.getTime() - step.startedAt.getTime() : 0,
      ...(step.error ? { error: step.error } : {}),
    })),
    metrics,
  };
}

function numericMetrics(summary: unknown): Record<string, number> | undefined {
  if (typeof summary !== 'object' || summary === null || !('metrics' in summary)) return undefined;
  const { metrics } = summary;
  if (typeof metrics !== 'object' || metrics === null) return undefined;
  const numbers = Object.entries(metrics).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number',
  );
  return numbers.length ? Object.fromEntries(numbers) : undefined;
}
