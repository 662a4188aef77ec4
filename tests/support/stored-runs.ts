import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client';
import { storeMainMetric } from '../../db/queries/run-state';
import { type RunStatus, type RunTrigger, runSteps, runs } from '../../db/schema';

export interface StoredRunInput {
  versionId: string;
  pipelineId: string;
  /** When it started (ISO). */
  at: string;
  /** Else succeeded, or failed when the evaluate step has no summary. */
  status?: RunStatus;
  trigger?: RunTrigger;
  parameters?: Record<string, unknown>;
  /** The evaluate step's summary; null when the step failed (after two attempts). */
  summary: unknown;
  /** How long the train step took; evaluate takes 250 ms after it. */
  trainMs: number;
}

/**
 * A finished run written straight into PostgreSQL, as the worker would leave it: a train step and an
 * evaluate step (node ids `train` and `check`) with known times and summary, and the main metric
 * stored on the run row.
 */
export async function storedRun(db: Database, input: StoredRunInput): Promise<string> {
  const start = new Date(input.at).getTime();
  const [run] = await db
    .insert(runs)
    .values({
      pipelineId: input.pipelineId,
      pipelineVersionId: input.versionId,
      workflowId: `stored-${randomUUID()}`,
      status: input.status ?? (input.summary === null ? 'failed' : 'succeeded'),
      trigger: input.trigger ?? 'manual',
      parameters: input.parameters ?? {},
      startedAt: new Date(start),
      finishedAt: new Date(start + input.trainMs + 250),
    })
    .returning();
  if (!run) throw new Error('no run row');
  await db.insert(runSteps).values([
    {
      runId: run.id,
      nodeId: 'train',
      nodeType: 'train',
      status: 'succeeded',
      attempt: 1,
      outputSummary: { rows: 10 },
      startedAt: new Date(start),
      finishedAt: new Date(start + input.trainMs),
    },
    {
      runId: run.id,
      nodeId: 'check',
      nodeType: 'evaluate',
      status: input.summary === null ? 'failed' : 'succeeded',
      attempt: input.summary === null ? 2 : 1,
      outputSummary: input.summary,
      startedAt: new Date(start + input.trainMs),
      finishedAt: new Date(start + input.trainMs + 250),
    },
  ]);
  // As the worker does when the evaluate step succeeds: the run row keeps its main metric.
  await storeMainMetric(db, run.id);
  return run.id;
}
