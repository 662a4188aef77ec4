import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from '../db/queries/pipelines';
import {
  appendRunEvent,
  NOTIFY_TEXT_MAX_BYTES,
  RUN_CHANGES_CHANNEL,
  runChangeSchema,
  setRunStatus,
  setStepRunning,
  setStepSucceeded,
  setStepsStatus,
} from '../db/queries/run-state';
import { insertRun } from '../db/queries/runs';
import { artifacts, runEvents, runSteps, runs } from '../db/schema';
import { createTestDatabase, type TestDatabase } from './support/database';
import { pipelineDoc } from './support/pipeline-doc';

let database: TestDatabase;
let versionId: string;
let pipelineId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const created = await createPipeline(database.db, { name: 'bookkeeping', graph: pipelineDoc([], []) });
  versionId = created.version.id;
  pipelineId = created.pipeline.id;
});
afterAll(async () => {
  await database?.drop();
});

/** A queued run with one queued step per node id, written the way startRun writes it. */
async function newRun(nodeIds: string[]): Promise<string> {
  const id = randomUUID();
  await insertRun(database.db, {
    id,
    pipelineId,
    pipelineVersionId: versionId,
    workflowId: `run-${id}`,
    trigger: 'manual',
    parameters: {},
    rerunOfRunId: null,
    steps: nodeIds.map((nodeId) => ({ nodeId, nodeType: 'clean', contentHash: 'h', outputs: null })),
  });
  return id;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('run bookkeeping on PostgreSQL', () => {
  it('announces changes with multibyte messages past 8,000 bytes, cut by bytes, and stores them capped', async () => {
    const runId = await newRun(['wide']);
    const payloads: string[] = [];
    const listening = await database.sql.listen(RUN_CHANGES_CHANNEL, (payload) => payloads.push(payload));
    // 3,000 CJK characters: 9,000 bytes of UTF-8, though only 3,000 characters.
    const message = '漢'.repeat(2_000) + '字'.repeat(1_000);
    expect(bytes(message)).toBe(9_000);

    await setStepRunning(database.sql, { runId, nodeId: 'wide', nodeType: 'clean', attempt: 1 });
    await appendRunEvent(database.sql, {
      runId,
      nodeId: 'wide',
      attempt: 1,
      seq: 0,
      level: 'warn',
      message,
    });
    await setStepsStatus(database.sql, { runId, nodeIds: ['wide'], status: 'failed', message });
    await setRunStatus(database.sql, { runId, status: 'failed', error: message });
    await expect.poll(() => payloads.length).toBe(4);
    await listening.unlisten();

    const changes = payloads.map((payload) => runChangeSchema.parse(JSON.parse(payload)));
    expect(
      changes.map((change) => [change.type, change.type === 'event' ? change.level : change.status]),
    ).toEqual([
      ['step', 'running'],
      ['event', 'warn'],
      ['step', 'failed'],
      ['run', 'failed'],
    ]);
    for (const payload of payloads) expect(bytes(payload)).toBeLessThan(1_000);
    const preview = '漢'.repeat(Math.floor(NOTIFY_TEXT_MAX_BYTES / 3));
    expect(changes[1]).toMatchObject({ type: 'event', message: preview });
    expect(changes[2]).toMatchObject({ type: 'step', message: preview });
    expect(changes[3]).toMatchObject({ type: 'run', error: preview });

    // 3,000 characters fit the 4,000-character cap: the rows keep them whole.
    const [step] = await database.db.select().from(runSteps).where(eq(runSteps.runId, runId));
    expect(step?.error).toBe(message);
    const [run] = await database.db.select().from(runs).where(eq(runs.id, runId));
    expect(run).toMatchObject({ status: 'failed', error: message });
    expect(run?.finishedAt).toBeInstanceOf(Date);
  });

  it('caps a stored error, keeping its head and tail and saying how much was cut', async () => {
    const runId = await newRun(['long']);
    const message = `Head of the story: ${'x'.repeat(9_000)} :tail of the story`;
    await setStepRunning(database.sql, { runId, nodeId: 'long', nodeType: 'clean', attempt: 1 });
    await setStepsStatus(database.sql, { runId, nodeIds: ['long'], status: 'failed', message });
    await appendRunEvent(database.sql, {
      runId,
      nodeId: 'long',
      attempt: 1,
      seq: 0,
      level: 'error',
      message,
    });
    const [step] = await database.db.select().from(runSteps).where(eq(runSteps.runId, runId));
    const expected = `${message.slice(0, 3_000)}\n… [5,038 characters cut] …\n${message.slice(-1_000)}`;
    expect(message.length).toBe(9_038);
    expect(step?.error).toBe(expected);
    expect(step?.message).toBe(expected);
    const [event] = await database.db.select().from(runEvents).where(eq(runEvents.runId, runId));
    expect(event?.message).toBe(expected);
  });

  it('ignores a late success after a cancel, and a success from an attempt a newer one replaced', async () => {
    const runId = await newRun(['late', 'zombie']);
    const success = (nodeId: string, attempt: number) =>
      setStepSucceeded(database.sql, {
        runId,
        nodeId,
        attempt,
        summary: { rows: 1 },
        outputs: { out: { kind: 'dataset', id: 'x', uri: 'file:///nowhere' } },
        artifacts: [
          {
            id: randomUUID(),
            port: 'out',
            kind: 'dataset',
            uri: 'file:///nowhere',
            bytes: 1,
            sha256: 'a'.repeat(64),
          },
        ],
      });
    await setStepRunning(database.sql, { runId, nodeId: 'late', nodeType: 'clean', attempt: 1 });
    await setStepsStatus(database.sql, {
      runId,
      nodeIds: ['late'],
      status: 'cancelled',
      message: 'Run cancelled',
    });
    expect(await success('late', 1)).toBe(false);

    await setStepRunning(database.sql, { runId, nodeId: 'zombie', nodeType: 'clean', attempt: 1 });
    await setStepRunning(database.sql, { runId, nodeId: 'zombie', nodeType: 'clean', attempt: 2 });
    expect(await success('zombie', 1)).toBe(false);

    const steps = await database.db.select().from(runSteps).where(eq(runSteps.runId, runId));
    expect(
      steps
        .map((step) => [step.nodeId, step.status, step.attempt, step.outputs])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ).toEqual([
      ['late', 'cancelled', 1, null],
      ['zombie', 'running', 2, null],
    ]);
    expect(await database.db.select().from(artifacts).where(eq(artifacts.runId, runId))).toEqual([]);

    // The attempt that runs the step does record it, with its outputs and artifacts.
    expect(await success('zombie', 2)).toBe(true);
    const [zombie] = await database.db.select().from(runSteps).where(eq(runSteps.nodeId, 'zombie'));
    expect(zombie).toMatchObject({
      status: 'succeeded',
      attempt: 2,
      outputSummary: { rows: 1 },
      outputs: { out: { kind: 'dataset', id: 'x', uri: 'file:///nowhere' } },
    });
    expect(await database.db.select().from(artifacts).where(eq(artifacts.runId, runId))).toHaveLength(1);
    // Stored as JSON objects (not JSON text in a string), so SQL can look inside them.
    const [kinds] = await database.sql`
      select jsonb_typeof(outputs) as outputs, jsonb_typeof(output_summary) as summary
        from run_steps where run_id = ${runId} and node_id = 'zombie'`;
    expect(kinds).toEqual({ outputs: 'object', summary: 'object' });
  });
});
