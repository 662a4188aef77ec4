import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrationLevel } from '../db/migrations';
import { pipelines, pipelineVersions, runEvents, runSteps, runs } from '../db/schema';
import { createTestDatabase, type TestDatabase } from './support/database';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
});
afterAll(() => database.drop());

async function seedRun() {
  const { db } = database;
  const [pipeline] = await db.insert(pipelines).values({ name: 'churn model' }).returning();
  if (!pipeline) throw new Error('no pipeline row');
  const [version] = await db
    .insert(pipelineVersions)
    .values({ pipelineId: pipeline.id, version: 1, graph: { nodes: [], edges: [] } })
    .returning();
  if (!version) throw new Error('no version row');
  const [run] = await db
    .insert(runs)
    .values({ pipelineId: pipeline.id, pipelineVersionId: version.id, workflowId: `wf-${pipeline.id}` })
    .returning();
  if (!run) throw new Error('no run row');
  return { pipeline, version, run };
}

describe('migrations', () => {
  it('bring an empty database to the latest level, and a second run changes nothing', async () => {
    expect(await readMigrationLevel(database.sql)).toMatchObject({ applied: 0, upToDate: false });
    await applyMigrations(database.db);
    const level = await readMigrationLevel(database.sql);
    expect(level.upToDate).toBe(true);
    expect(level.applied).toBeGreaterThan(0);
    await applyMigrations(database.db);
    expect(await readMigrationLevel(database.sql)).toEqual(level);
  });
});

describe('schema constraints', () => {
  it('keeps run defaults: manual trigger, queued, empty parameters', async () => {
    const { run } = await seedRun();
    expect(run).toMatchObject({ trigger: 'manual', status: 'queued', parameters: {}, finishedAt: null });
  });

  it('rejects an unknown run status by its check constraint', async () => {
    const { run } = await seedRun();
    await expect(
      database.sql`update runs set status = 'exploded' where id = ${run.id}`,
    ).rejects.toMatchObject({
      constraint_name: 'runs_status_valid',
    });
  });

  it('refuses a second version with the same number', async () => {
    const { pipeline } = await seedRun();
    await expect(
      database.db.insert(pipelineVersions).values({ pipelineId: pipeline.id, version: 1, graph: {} }),
    ).rejects.toMatchObject({ cause: { constraint_name: 'pipeline_versions_pipeline_version_key' } });
  });

  it('will not delete a pipeline that has versions', async () => {
    const { pipeline } = await seedRun();
    await expect(database.db.delete(pipelines).where(eq(pipelines.id, pipeline.id))).rejects.toMatchObject({
      cause: { code: '23503' },
    });
  });

  it('keeps step progress within 0..1 and one step row per node', async () => {
    const { run } = await seedRun();
    await database.db.insert(runSteps).values({ runId: run.id, nodeId: 'train', nodeType: 'train' });
    await expect(
      database.db.insert(runSteps).values({ runId: run.id, nodeId: 'train', nodeType: 'train' }),
    ).rejects.toMatchObject({ cause: { constraint_name: 'run_steps_run_node_key' } });
    await expect(
      database.sql`update run_steps set progress = 1.5 where run_id = ${run.id}`,
    ).rejects.toMatchObject({ constraint_name: 'run_steps_progress_range' });
  });

  it('deduplicates a log line written twice by a retried activity, run-level lines included', async () => {
    const { run } = await seedRun();
    const line = { runId: run.id, nodeId: null, attempt: 1, seq: 0, message: 'run started' };
    await database.db.insert(runEvents).values(line).onConflictDoNothing();
    await database.db.insert(runEvents).values(line).onConflictDoNothing();
    const rows = await database.db.select().from(runEvents).where(eq(runEvents.runId, run.id));
    expect(rows.map((row) => row.message)).toEqual(['run started']);
  });

  it('deletes a run with its steps and events', async () => {
    const { run } = await seedRun();
    await database.db.insert(runSteps).values({ runId: run.id, nodeId: 'a', nodeType: 'noop' });
    await database.db.insert(runEvents).values({ runId: run.id, nodeId: 'a', seq: 0, message: 'x' });
    await database.db.delete(runs).where(eq(runs.id, run.id));
    const [counts] = await database.sql<{ steps: number; events: number }[]>`
      select (select count(*)::int from run_steps where run_id = ${run.id}) as steps,
             (select count(*)::int from run_events where run_id = ${run.id}) as events`;
    expect(counts).toEqual({ steps: 0, events: 0 });
  });
});
