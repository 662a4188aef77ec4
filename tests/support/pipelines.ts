import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { createPipeline } from '../../db/queries/pipelines';
import { runEvents, runSteps, runs } from '../../db/schema';
import type { PipelineDocument } from '../../pipeline/document';
import type { RunResult } from '../../workflows/pipeline.types';
import { type RunServiceDeps, type StartedRun, startRun } from '../../workflows/run-service';
import { specOfWithTestNodes } from './nodes/specs';
import type { TestWorker } from './temporal';

export async function savePipeline(db: Database, document: PipelineDocument, name = 'test pipeline') {
  return createPipeline(db, { name, graph: document });
}

/** The run service as tests use it: their database and worker, and the test node types. */
export function runServices(
  db: Database,
  worker: TestWorker,
  extra: Partial<RunServiceDeps> = {},
): RunServiceDeps {
  return { db, temporal: worker.client, taskQueue: worker.taskQueue, specOf: specOfWithTestNodes, ...extra };
}

export async function runToEnd(
  db: Database,
  worker: TestWorker,
  versionId: string,
  options: { parameters?: Record<string, unknown>; reuseFromRunId?: string } = {},
): Promise<{ started: StartedRun; result: RunResult }> {
  const started = await startRun(runServices(db, worker), { pipelineVersionId: versionId, ...options });
  const result: RunResult = await worker.client.workflow.getHandle(started.workflowId).result();
  return { started, result };
}

export async function stepRows(db: Database, runId: string) {
  return db.select().from(runSteps).where(eq(runSteps.runId, runId)).orderBy(asc(runSteps.nodeId));
}

export async function stepStatuses(db: Database, runId: string): Promise<Record<string, string>> {
  return Object.fromEntries((await stepRows(db, runId)).map((row) => [row.nodeId, row.status]));
}

export async function runRow(db: Database, runId: string) {
  const [row] = await db.select().from(runs).where(eq(runs.id, runId));
  return row;
}

/** How many times each node's run function started in a run (each start logs "executing"). */
export async function executions(db: Database, runId: string): Promise<Record<string, number>> {
  const rows = await db.select().from(runEvents).where(eq(runEvents.runId, runId));
  const counts: Record<string, number> = {};
  for (const row of rows)
    if (row.message === 'executing' && row.nodeId) counts[row.nodeId] = (counts[row.nodeId] ?? 0) + 1;
  return counts;
}
