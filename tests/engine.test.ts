import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { artifacts, runEvents } from '../db/schema';
import type { RunResult } from '../workflows/pipeline.types';
import { statusQuery } from '../workflows/pipeline.workflow';
import { cancelRun, rerun, startRun } from '../workflows/run-service';
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

const fixture = setUpDatabaseAndWorker();

const services = () => runServices(fixture.database.db, fixture.worker);

describe('pipeline engine on real PostgreSQL and Temporal', () => {
  it('runs a linear pipeline, passing artifacts from step to step', async () => {
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'test.source', config: { value: 'iris' } },
        { id: 'clean', type: 'test.transform' },
        { id: 'train', type: 'test.transform', config: { metric: 0.97 } },
      ],
      ['ingest.out->clean.in', 'clean.out->train.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);

    expect(result).toEqual({
      status: 'succeeded',
      steps: { ingest: 'succeeded', clean: 'succeeded', train: 'succeeded' },
    });
    expect((await runRow(fixture.database.db, started.runId))?.status).toBe('succeeded');
    const steps = await stepRows(fixture.database.db, started.runId);
    expect(steps.map((step) => [step.nodeId, step.status, step.attempt, step.progress])).toEqual([
      ['clean', 'succeeded', 1, 1],
      ['ingest', 'succeeded', 1, 1],
      ['train', 'succeeded', 1, 1],
    ]);
    expect(steps.find((step) => step.nodeId === 'train')?.outputSummary).toEqual({
      rows: 1,
      metrics: { score: 0.97 },
    });
    // The last step's artifact holds what flowed through the whole chain.
    const [trainArtifact] = await fixture.database.db
      .select()
      .from(artifacts)
      .where(eq(artifacts.stepId, steps.find((step) => step.nodeId === 'train')?.id ?? ''));
    expect(trainArtifact).toMatchObject({ kind: 'dataset', port: 'out' });
    const content = JSON.parse(
      await (await import('node:fs/promises')).readFile(new URL(trainArtifact?.uri ?? ''), 'utf8'),
    );
    expect(content).toEqual({
      node: 'train',
      input: { node: 'clean', input: { node: 'ingest', value: 'iris' } },
    });
    expect(trainArtifact?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('runs the two branches of a diamond at the same time', async () => {
    // Each branch waits at a barrier for the other: the run succeeds only if both run at once.
    const barrier = mkdtempSync(path.join(os.tmpdir(), 'diamond-'));
    const doc = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        { id: 'b', type: 'test.transform', config: { rendezvous: { folder: barrier, parties: 2 } } },
        { id: 'c', type: 'test.transform', config: { rendezvous: { folder: barrier, parties: 2 } } },
        { id: 'd', type: 'test.join' },
      ],
      ['a.out->b.in', 'a.out->c.in', 'b.out->d.left', 'c.out->d.right'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);

    expect(result).toEqual({
      status: 'succeeded',
      steps: { a: 'succeeded', b: 'succeeded', c: 'succeeded', d: 'succeeded' },
    });
    expect(readdirSync(barrier).sort()).toEqual(['b', 'c']);
    const steps = Object.fromEntries(
      (await stepRows(fixture.database.db, started.runId)).map((step) => [step.nodeId, step]),
    );
    const [b, c, d] = [steps.b, steps.c, steps.d];
    if (!b?.startedAt || !b.finishedAt || !c?.startedAt || !c.finishedAt || !d?.startedAt)
      throw new Error('missing timestamps');
    // The join starts only after both branches finished.
    expect(d.startedAt.getTime()).toBeGreaterThanOrEqual(
      Math.max(b.finishedAt.getTime(), c.finishedAt.getTime()),
    );
    expect(await executions(fixture.database.db, started.runId)).toEqual({ a: 1, b: 1, c: 1, d: 1 });
  });

  it('fails a step after its retries, skips its downstream and fails the run with the step’s message', async () => {
    const doc = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        {
          id: 'flaky',
          type: 'test.transform',
          config: { failAttempts: 5, failMessage: 'Warehouse connection reset' },
          execution: { maxAttempts: 2 },
        },
        { id: 'after', type: 'test.transform' },
        { id: 'last', type: 'test.transform' },
        { id: 'side', type: 'test.transform' },
      ],
      ['a.out->flaky.in', 'flaky.out->after.in', 'after.out->last.in', 'a.out->side.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);

    expect(result.status).toBe('failed');
    expect(result.error).toBe('Step "Test transform" (flaky) failed: Warehouse connection reset (attempt 2)');
    expect(await stepStatuses(fixture.database.db, started.runId)).toEqual({
      a: 'succeeded',
      after: 'skipped',
      flaky: 'failed',
      last: 'skipped',
      side: 'succeeded',
    });
    const run = await runRow(fixture.database.db, started.runId);
    expect(run?.status).toBe('failed');
    expect(run?.error).toContain('Warehouse connection reset');
    const flaky = (await stepRows(fixture.database.db, started.runId)).find(
      (step) => step.nodeId === 'flaky',
    );
    expect(flaky).toMatchObject({ attempt: 2, error: 'Warehouse connection reset (attempt 2)' });
    const lines = await fixture.database.db
      .select()
      .from(runEvents)
      .where(eq(runEvents.runId, started.runId));
    const warnings = lines
      .filter((line) => line.nodeId === 'flaky' && line.level === 'warn')
      .map((line) => line.message);
    expect(warnings.sort()).toEqual([
      'Attempt 1 failed: Warehouse connection reset (attempt 1); retrying',
      'Attempt 2 failed: Warehouse connection reset (attempt 2)',
    ]);
  });

  it('does not retry an analyst’s mistake', async () => {
    const doc = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        {
          id: 'bad',
          type: 'test.transform',
          config: { failAlways: true, failMessage: 'Column "price" is missing' },
        },
      ],
      ['a.out->bad.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(result.status).toBe('failed');
    expect(await executions(fixture.database.db, started.runId)).toEqual({ a: 1, bad: 1 });
    expect(
      (await stepRows(fixture.database.db, started.runId)).find((step) => step.nodeId === 'bad')?.error,
    ).toBe('Column "price" is missing');
  });

  it('cancels a run mid-step: the running step stops and everything unfinished ends cancelled', async () => {
    const doc = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        { id: 'slow', type: 'test.transform', config: { sleepMs: 60_000 } },
        { id: 'after', type: 'test.transform' },
      ],
      ['a.out->slow.in', 'slow.out->after.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const started = await startRun(services(), { pipelineVersionId: version.id });
    await expect
      .poll(async () => (await stepStatuses(fixture.database.db, started.runId)).slow, { timeout: 20_000 })
      .toBe('running');
    // The workflow answers a status query while it runs.
    const status = await fixture.worker.client.workflow.getHandle(started.workflowId).query(statusQuery);
    expect(status.steps).toEqual({ a: 'succeeded', slow: 'running', after: 'pending' });
    await cancelRun(services(), started.runId);
    const result: RunResult = await fixture.worker.client.workflow.getHandle(started.workflowId).result();
    expect(result.status).toBe('cancelled');
    expect(await stepStatuses(fixture.database.db, started.runId)).toEqual({
      a: 'succeeded',
      after: 'cancelled',
      slow: 'cancelled',
    });
    expect((await runRow(fixture.database.db, started.runId))?.status).toBe('cancelled');
  });

  it('cancels a run while a step waits to retry: no further attempt starts', async () => {
    const doc = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        {
          id: 'flaky',
          type: 'test.transform',
          config: { failAttempts: 5, failMessage: 'Warehouse connection reset' },
          execution: { maxAttempts: 5 },
        },
      ],
      ['a.out->flaky.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const started = await startRun(services(), { pipelineVersionId: version.id });
    // After the third failure the step waits 4 s (1 s, doubling) before its fourth attempt.
    const retrying = 'Attempt 3 failed: Warehouse connection reset (attempt 3); retrying';
    await expect
      .poll(
        async () =>
          (await fixture.database.db.select().from(runEvents).where(eq(runEvents.runId, started.runId))).some(
            (line) => line.message === retrying,
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
    await cancelRun(services(), started.runId);
    const result: RunResult = await fixture.worker.client.workflow.getHandle(started.workflowId).result();

    expect(result).toEqual({
      status: 'cancelled',
      error: 'Run cancelled',
      steps: { a: 'succeeded', flaky: 'cancelled' },
    });
    expect(await stepStatuses(fixture.database.db, started.runId)).toEqual({
      a: 'succeeded',
      flaky: 'cancelled',
    });
    expect(await executions(fixture.database.db, started.runId)).toEqual({ a: 1, flaky: 3 });
    const run = await runRow(fixture.database.db, started.runId);
    expect(run?.status).toBe('cancelled');
    expect(run?.finishedAt).toBeInstanceOf(Date);
  });

  it('re-runs from the failed step, reusing the outputs of steps that succeeded and saying so', async () => {
    const outageOver = path.join(mkdtempSync(path.join(os.tmpdir(), 'outage-')), 'fixed');
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'test.source' },
        { id: 'clean', type: 'test.transform' },
        {
          id: 'train',
          type: 'test.transform',
          config: { failWhileMissing: outageOver, failMessage: 'GPU pool unavailable' },
          execution: { maxAttempts: 1 },
        },
        { id: 'evaluate', type: 'test.transform' },
      ],
      ['ingest.out->clean.in', 'clean.out->train.in', 'train.out->evaluate.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const first = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(first.result.status).toBe('failed');

    writeFileSync(outageOver, 'ok');
    const second = await rerun(services(), first.started.runId, { fromFailure: true });
    expect(second.reused.sort()).toEqual(['clean', 'ingest']);
    const result: RunResult = await fixture.worker.client.workflow.getHandle(second.workflowId).result();

    expect(result.status).toBe('succeeded');
    const steps = await stepRows(fixture.database.db, second.runId);
    expect(steps.map((step) => [step.nodeId, step.status, step.reusedFromRunId])).toEqual([
      ['clean', 'cached', first.started.runId],
      ['evaluate', 'succeeded', null],
      ['ingest', 'cached', first.started.runId],
      ['train', 'succeeded', null],
    ]);
    expect(steps.find((step) => step.nodeId === 'clean')?.message).toMatch(
      /Reused the outputs of an earlier run/,
    );
    expect(await executions(fixture.database.db, second.runId)).toEqual({ train: 1, evaluate: 1 });
    expect((await runRow(fixture.database.db, second.runId))?.rerunOfRunId).toBe(first.started.runId);
  });
});
