import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { endUnfinishedRun } from '../db/queries/run-state';
import { insertRun } from '../db/queries/runs';
import type { RunResult } from '../workflows/pipeline.types';
import { reconcileRuns, startRunReconciler } from '../workflows/reconcile-runs';
import { cancelRun, startRun } from '../workflows/run-service';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import {
  executions,
  runRow,
  runServices,
  runToEnd,
  savePipeline,
  stepRows,
  stepStatuses,
} from './support/pipelines';
import { startTestWorker } from './support/temporal';

const fixture = setUpDatabaseAndWorker();

/** Rows changed a moment ago count as old enough to reconcile. */
const now = () => new Date(Date.now() + 1_000);

/** A queued run of `twoSteps`' shape that no workflow will ever run (Temporal does not know it). */
async function orphanRun(versionId: string, pipelineId: string): Promise<string> {
  const id = randomUUID();
  await insertRun(fixture.database.db, {
    id,
    pipelineId,
    pipelineVersionId: versionId,
    workflowId: `run-${id}`,
    trigger: 'manual',
    parameters: {},
    rerunOfRunId: null,
    steps: [
      { nodeId: 'a', nodeType: 'test.source', contentHash: 'ha', outputs: null },
      { nodeId: 'b', nodeType: 'test.transform', contentHash: 'hb', outputs: null },
    ],
  });
  return id;
}

const twoSteps = pipelineDoc(
  [
    { id: 'a', type: 'test.source' },
    { id: 'b', type: 'test.transform' },
  ],
  ['a.out->b.in'],
);

describe('runs never stay running', () => {
  it('fails a run whose step fails with a 9,000-character message, storing the error capped', async () => {
    // 9,000 characters, 18,000 bytes: past NOTIFY's 8,000-byte limit however it is counted.
    const long = `Bad cell: ${'é'.repeat(8_982)} (row 1)`;
    expect(long.length).toBe(9_000);
    const doc = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        { id: 'bad', type: 'test.transform', config: { failAlways: true, failMessage: long } },
      ],
      ['a.out->bad.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);

    expect(result.status).toBe('failed');
    const run = await runRow(fixture.database.db, started.runId);
    expect(run?.status).toBe('failed');
    expect(run?.finishedAt).toBeInstanceOf(Date);
    const runError = `Step "Test transform" (bad) failed: ${long}`;
    expect(runError.length).toBe(9_036);
    expect(run?.error).toBe(
      `${runError.slice(0, 3_000)}\n… [5,036 characters cut] …\n${runError.slice(-1_000)}`,
    );
    const bad = (await stepRows(fixture.database.db, started.runId)).find((step) => step.nodeId === 'bad');
    expect(bad?.status).toBe('failed');
    expect(bad?.error).toBe(`${long.slice(0, 3_000)}\n… [5,000 characters cut] …\n${long.slice(-1_000)}`);
  });

  it('fails a run whose CSV has a 9,000-character cell that will not convert to a number', async () => {
    // The second reproduction, with the real ingest node: the conversion error quotes the cell.
    mkdirSync(path.join(fixture.worker.dataDir, 'uploads'), { recursive: true });
    writeFileSync(path.join(fixture.worker.dataDir, 'uploads', 'wide.csv'), `a\n${'x'.repeat(9_000)}\n`);
    const doc = pipelineDoc(
      [
        {
          id: 'ingest',
          type: 'ingest',
          config: { source: 'file', file: 'uploads/wide.csv', columnTypes: { a: 'numeric' } },
        },
      ],
      [],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);

    expect(result.status).toBe('failed');
    const run = await runRow(fixture.database.db, started.runId);
    expect(run?.status).toBe('failed');
    expect(run?.finishedAt).toBeInstanceOf(Date);
    const [ingest] = await stepRows(fixture.database.db, started.runId);
    expect(ingest?.status).toBe('failed');
    // Stored whole when short, else capped at 4,000 characters plus the note of what was cut.
    expect(Array.from(ingest?.error ?? '').length).toBeLessThanOrEqual(4_000 + 40);
    expect(ingest?.error).toMatch(/xxxx/);
  });

  it('ends the run failed when a bookkeeping write is refused on every attempt', async () => {
    // A real refusal from PostgreSQL: skipping this node's steps raises, whoever writes it.
    await fixture.database.sql.unsafe(`
      create function refuse_skip() returns trigger language plpgsql as
        $$ begin raise exception 'disk full (simulated)'; end $$;
      create trigger refuse_skip before update on run_steps for each row
        when (new.node_id = 'unrecordable' and new.status = 'skipped') execute function refuse_skip();`);
    const doc = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        {
          id: 'bad',
          type: 'test.transform',
          config: { failAlways: true, failMessage: 'Column "x" is missing' },
        },
        { id: 'unrecordable', type: 'test.transform' },
      ],
      ['a.out->bad.in', 'bad.out->unrecordable.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const started = await startRun(
      runServices(fixture.database.db, fixture.worker, { bookkeepingAttempts: 2 }),
      {
        pipelineVersionId: version.id,
      },
    );
    const result: RunResult = await fixture.worker.client.workflow.getHandle(started.workflowId).result();

    expect(result.status).toBe('failed');
    const run = await runRow(fixture.database.db, started.runId);
    expect(run?.status).toBe('failed');
    expect(run?.finishedAt).toBeInstanceOf(Date);
    expect(run?.error).toBe(result.error);
    expect(run?.error).toBe(
      "Could not record the run's progress in the database: The database refused to record the run's state: disk full (simulated)",
    );
    expect(await stepStatuses(fixture.database.db, started.runId)).toEqual({
      a: 'succeeded',
      bad: 'failed',
      unrecordable: 'cancelled',
    });
  });

  it('ends the run cancelled, with a finish time, when cancelled while its final status keeps being refused', async () => {
    await fixture.database.sql.unsafe(`
      create function refuse_failed_run() returns trigger language plpgsql as
        $$ begin raise exception 'lock timeout (simulated)'; end $$;
      create trigger refuse_failed_run before update on runs for each row
        when (new.status = 'failed' and new.error like '%stuck-marker%') execute function refuse_failed_run();`);
    const doc = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        { id: 'bad', type: 'test.transform', config: { failAlways: true, failMessage: 'stuck-marker' } },
      ],
      ['a.out->bad.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const services = runServices(fixture.database.db, fixture.worker, { bookkeepingAttempts: 1_000 });
    const started = await startRun(services, { pipelineVersionId: version.id });
    // The step's failure is recorded; the run's own "failed" is refused and retried.
    await expect
      .poll(async () => (await stepStatuses(fixture.database.db, started.runId)).bad, { timeout: 30_000 })
      .toBe('failed');
    expect((await runRow(fixture.database.db, started.runId))?.status).toBe('running');

    await cancelRun(services, started.runId);
    const result: RunResult = await fixture.worker.client.workflow.getHandle(started.workflowId).result();
    expect(result.status).toBe('cancelled');
    const run = await runRow(fixture.database.db, started.runId);
    expect(run).toMatchObject({ status: 'cancelled', error: 'Run cancelled' });
    expect(run?.finishedAt).toBeInstanceOf(Date);
  });

  it('cancels a queued run at once; a worker that picks it up later runs nothing', async () => {
    const { version } = await savePipeline(fixture.database.db, twoSteps);
    const taskQueue = `nobody-polls-${randomUUID()}`;
    const deps = runServices(fixture.database.db, fixture.worker, { taskQueue });
    const started = await startRun(deps, { pipelineVersionId: version.id });
    expect((await runRow(fixture.database.db, started.runId))?.status).toBe('queued');

    await cancelRun(deps, started.runId);
    const run = await runRow(fixture.database.db, started.runId);
    expect(run).toMatchObject({ status: 'cancelled', error: 'Run cancelled' });
    expect(run?.finishedAt).toBeInstanceOf(Date);
    expect(await stepStatuses(fixture.database.db, started.runId)).toEqual({
      a: 'cancelled',
      b: 'cancelled',
    });

    const late = await startTestWorker(fixture.database.sql, { taskQueue });
    try {
      const result: RunResult = await late.client.workflow.getHandle(started.workflowId).result();
      expect(result.status).toBe('cancelled');
    } finally {
      await late.stop();
    }
    expect(await executions(fixture.database.db, started.runId)).toEqual({});
    expect((await runRow(fixture.database.db, started.runId))?.status).toBe('cancelled');
  });

  it('reconciles runs whose workflow Temporal shows closed or does not know, and leaves open ones alone', async () => {
    const { version } = await savePipeline(fixture.database.db, twoSteps);
    const deps = runServices(fixture.database.db, fixture.worker, { taskQueue: `idle-${randomUUID()}` });
    const open = await startRun(deps, { pipelineVersionId: version.id });
    const terminated = await startRun(deps, { pipelineVersionId: version.id });
    await fixture.worker.client.workflow.getHandle(terminated.workflowId).terminate('operator');
    const unknownId = randomUUID();
    await insertRun(fixture.database.db, {
      id: unknownId,
      pipelineId: version.pipelineId,
      pipelineVersionId: version.id,
      workflowId: `run-${unknownId}`,
      trigger: 'manual',
      parameters: {},
      rerunOfRunId: null,
      steps: [{ nodeId: 'a', nodeType: 'test.source', contentHash: 'h', outputs: null }],
    });

    // Too young to judge: nothing changes.
    expect(await reconcileRuns(deps, new Date(0))).toEqual([]);

    const reconciled = await reconcileRuns(deps, now());
    expect(reconciled.sort((x, y) => x.runId.localeCompare(y.runId))).toEqual(
      [
        { runId: terminated.runId, status: 'failed', error: "The run's workflow was terminated" },
        {
          runId: unknownId,
          status: 'failed',
          error: 'Temporal has no record of this run (its history expired or the server was reset)',
        },
      ].sort((x, y) => x.runId.localeCompare(y.runId)),
    );
    expect((await runRow(fixture.database.db, open.runId))?.status).toBe('queued');
    const unknown = await runRow(fixture.database.db, unknownId);
    expect(unknown?.status).toBe('failed');
    expect(unknown?.finishedAt).toBeInstanceOf(Date);
    expect(await stepStatuses(fixture.database.db, terminated.runId)).toEqual({
      a: 'cancelled',
      b: 'cancelled',
    });
    // A second pass finds nothing more to do.
    expect(await reconcileRuns(deps, now())).toEqual([]);
    await cancelRun(deps, open.runId);
  });

  it('reconciles when the worker starts, then at every interval', async () => {
    const { version } = await savePipeline(fixture.database.db, twoSteps);
    const orphan = async () => {
      const id = randomUUID();
      await insertRun(fixture.database.db, {
        id,
        pipelineId: version.pipelineId,
        pipelineVersionId: version.id,
        workflowId: `run-${id}`,
        trigger: 'manual',
        parameters: {},
        rerunOfRunId: null,
        steps: [],
      });
      return id;
    };
    const first = await orphan();
    // An interval of an hour: only the pass on start can end the first run.
    const onStart = startRunReconciler(
      { db: fixture.database.db, temporal: fixture.worker.client },
      { intervalMs: 3_600_000, graceMs: 0, log: () => {} },
    );
    try {
      await expect.poll(async () => (await runRow(fixture.database.db, first))?.status).toBe('failed');
    } finally {
      await onStart.stop();
    }
    const lines: string[] = [];
    const reconciler = startRunReconciler(
      { db: fixture.database.db, temporal: fixture.worker.client },
      { intervalMs: 200, graceMs: 0, log: (line) => lines.push(line) },
    );
    try {
      const second = await orphan();
      await expect.poll(async () => (await runRow(fixture.database.db, second))?.status).toBe('failed');
      expect(lines).toContain(
        `reconciled run ${second}: failed (Temporal has no record of this run (its history expired or the server was reset))`,
      );
    } finally {
      await reconciler.stop();
    }
  });

  it('leaves the run to its workflow when the workflow started but its Temporal run id could not be written', async () => {
    const { version } = await savePipeline(fixture.database.db, twoSteps);
    // A real refusal from PostgreSQL, for this pipeline version's runs only.
    await fixture.database.sql.unsafe(`
      create function refuse_temporal_run_id() returns trigger language plpgsql as
        $$ begin raise exception 'connection reset (simulated)'; end $$;
      create trigger refuse_temporal_run_id before update on runs for each row
        when (new.pipeline_version_id = '${version.id}' and new.temporal_run_id is distinct from old.temporal_run_id)
        execute function refuse_temporal_run_id();`);
    const lines: string[] = [];
    try {
      const started = await startRun(
        runServices(fixture.database.db, fixture.worker, { log: (line) => lines.push(line) }),
        { pipelineVersionId: version.id },
      );
      const result: RunResult = await fixture.worker.client.workflow.getHandle(started.workflowId).result();

      expect(result.status).toBe('succeeded');
      const run = await runRow(fixture.database.db, started.runId);
      expect(run).toMatchObject({ status: 'succeeded', error: null, temporalRunId: null });
      expect(await stepStatuses(fixture.database.db, started.runId)).toEqual({
        a: 'succeeded',
        b: 'succeeded',
      });
      expect(lines).toEqual([
        `run ${started.runId}: could not record its Temporal run id (the run goes on): connection reset (simulated)`,
      ]);
    } finally {
      await fixture.database.sql.unsafe(`
        drop trigger refuse_temporal_run_id on runs;
        drop function refuse_temporal_run_id();`);
    }
  });

  it('ends the run failed, steps and all, when Temporal refuses to start its workflow', async () => {
    const { version } = await savePipeline(fixture.database.db, twoSteps);
    // An empty task queue name: Temporal refuses the start and never records the workflow.
    const deps = runServices(fixture.database.db, fixture.worker, { taskQueue: '' });
    const error = await startRun(deps, { pipelineVersionId: version.id }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    const message = error instanceof Error ? error.message : '';
    expect(message).toMatch(/^Could not start the run: /);

    const [run] = await fixture.database.sql<{ id: string; status: string; error: string | null }[]>`
      select id, status, error from runs where pipeline_version_id = ${version.id}`;
    expect(run).toMatchObject({ status: 'failed', error: message });
    expect(await stepStatuses(fixture.database.db, run?.id ?? '')).toEqual({
      a: 'cancelled',
      b: 'cancelled',
    });
  });

  it('ends a run only while it is still in the status the caller read', async () => {
    const { version } = await savePipeline(fixture.database.db, twoSteps);
    const queued = await orphanRun(version.id, version.pipelineId);
    const turnedRunning = await orphanRun(version.id, version.pipelineId);
    // The workflow recorded "running" and started a step after the caller read "queued".
    await fixture.database.sql`update runs set status = 'running' where id = ${turnedRunning}`;
    await fixture.database
      .sql`update run_steps set status = 'running' where run_id = ${turnedRunning} and node_id = 'a'`;
    const cancelIfQueued = (runId: string) =>
      endUnfinishedRun(fixture.database.db, {
        runId,
        status: 'cancelled',
        error: 'Run cancelled',
        stepMessage: 'Run cancelled',
        onlyIf: 'queued',
      });

    expect(await cancelIfQueued(turnedRunning)).toBe(false);
    const running = await runRow(fixture.database.db, turnedRunning);
    expect(running).toMatchObject({ status: 'running', error: null, finishedAt: null });
    expect(await stepStatuses(fixture.database.db, turnedRunning)).toEqual({ a: 'running', b: 'queued' });

    expect(await cancelIfQueued(queued)).toBe(true);
    expect(await runRow(fixture.database.db, queued)).toMatchObject({
      status: 'cancelled',
      error: 'Run cancelled',
    });
    expect(await stepStatuses(fixture.database.db, queued)).toEqual({ a: 'cancelled', b: 'cancelled' });

    // Neither is left for the reconciler of the next test.
    await endUnfinishedRun(fixture.database.db, {
      runId: turnedRunning,
      status: 'cancelled',
      error: 'Run cancelled',
      stepMessage: 'Run cancelled',
    });
  });

  it('reconciles the other runs when one run cannot be reconciled, and names that run in the log', async () => {
    const { version } = await savePipeline(fixture.database.db, twoSteps);
    // Oldest first: the stuck run comes before the other one.
    const stuck = await orphanRun(version.id, version.pipelineId);
    const other = await orphanRun(version.id, version.pipelineId);
    await fixture.database
      .sql`update runs set started_at = started_at - interval '1 minute' where id = ${stuck}`;
    await fixture.database.sql.unsafe(`
      create function refuse_run_end() returns trigger language plpgsql as
        $$ begin raise exception 'row locked (simulated)'; end $$;
      create trigger refuse_run_end before update on runs for each row
        when (new.id = '${stuck}' and new.status = 'failed') execute function refuse_run_end();`);
    const lines: string[] = [];
    try {
      const reconciled = await reconcileRuns(
        { db: fixture.database.db, temporal: fixture.worker.client, log: (line) => lines.push(line) },
        now(),
      );

      expect(reconciled).toEqual([
        {
          runId: other,
          status: 'failed',
          error: 'Temporal has no record of this run (its history expired or the server was reset)',
        },
      ]);
      expect((await runRow(fixture.database.db, other))?.status).toBe('failed');
      expect(await stepStatuses(fixture.database.db, other)).toEqual({ a: 'cancelled', b: 'cancelled' });
      expect((await runRow(fixture.database.db, stuck))?.status).toBe('queued');
      expect(lines).toEqual([
        `could not reconcile run ${stuck}: The database refused to record the run's state: row locked (simulated)`,
      ]);
    } finally {
      await fixture.database.sql.unsafe(`
        drop trigger refuse_run_end on runs;
        drop function refuse_run_end();`);
    }
    // With the refusal gone, the next pass ends it.
    expect(await reconcileRuns({ db: fixture.database.db, temporal: fixture.worker.client }, now())).toEqual([
      {
        runId: stuck,
        status: 'failed',
        error: 'Temporal has no record of this run (its history expired or the server was reset)',
      },
    ]);
  });
});
