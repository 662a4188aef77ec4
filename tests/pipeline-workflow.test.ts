import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelines, pipelineVersions, runSteps, runs } from '../db/schema';
import type { PlanStep } from '../workflows/pipeline.types';
import { pipelineWorkflow } from '../workflows/pipeline.workflow';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestWorker, type TestWorker } from './support/temporal';

let database: TestDatabase;
let worker: TestWorker;

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.db);
});
afterAll(async () => {
  await worker?.stop();
  await database?.drop();
});

describe('pipeline workflow on a real worker', () => {
  it('runs every step and records the run and its steps in PostgreSQL', async () => {
    const { db } = database;
    const [pipeline] = await db.insert(pipelines).values({ name: 'smoke' }).returning();
    if (!pipeline) throw new Error('no pipeline');
    const [version] = await db
      .insert(pipelineVersions)
      .values({ pipelineId: pipeline.id, version: 1, graph: {} })
      .returning();
    if (!version) throw new Error('no version');
    const workflowId = `run-${pipeline.id}`;
    const [run] = await db
      .insert(runs)
      .values({ pipelineId: pipeline.id, pipelineVersionId: version.id, workflowId })
      .returning();
    if (!run) throw new Error('no run');
    const steps: PlanStep[] = [
      { nodeId: 'ingest', nodeType: 'noop', dependsOn: [], config: {} },
      { nodeId: 'train', nodeType: 'noop', dependsOn: ['ingest'], config: {} },
    ];

    const outcome = await worker.client.workflow.execute(pipelineWorkflow, {
      taskQueue: worker.taskQueue,
      workflowId,
      args: [{ runId: run.id, steps }],
    });

    expect(outcome).toEqual({ status: 'succeeded' });
    const [stored] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(stored?.status).toBe('succeeded');
    expect(stored?.finishedAt).toBeInstanceOf(Date);
    const stepRows = await db
      .select({
        nodeId: runSteps.nodeId,
        status: runSteps.status,
        attempt: runSteps.attempt,
        progress: runSteps.progress,
      })
      .from(runSteps)
      .where(eq(runSteps.runId, run.id))
      .orderBy(asc(runSteps.startedAt));
    expect(stepRows).toEqual([
      { nodeId: 'ingest', status: 'succeeded', attempt: 1, progress: 1 },
      { nodeId: 'train', status: 'succeeded', attempt: 1, progress: 1 },
    ]);
  });
});
