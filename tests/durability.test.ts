import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifacts } from '../db/schema';
import type { RunResult } from '../workflows/pipeline.types';
import { startRun } from '../workflows/run-service';
import { createTestDatabase, type TestDatabase } from './support/database';
import { specOfWithTestNodes } from './support/nodes/specs';
import { pipelineDoc } from './support/pipeline-doc';
import { executions, savePipeline, stepRows, stepStatuses } from './support/pipelines';
import { testSecretKey } from './support/secret-key';

// The real worker process, with the test-only node types added.
const workerScript = path.resolve(import.meta.dirname, 'support', 'worker-with-test-nodes.ts');
const taskQueue = `durability-${randomUUID()}`;

let database: TestDatabase;
let dataDir: string;
let connection: Connection;
let client: Client;
const workers: ChildProcess[] = [];

/** A real `npm run worker` process, in its own process group so it can be killed outright. */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      DATA_DIR: dataDir,
      PIPEWRIGHT_TASK_QUEUE: taskQueue,
      // A worker without the installation's key does not start.
      PIPEWRIGHT_SECRET_KEY: testSecretKey.toString('base64'),
    },
    detached: true,
    stdio: 'ignore',
  });
  workers.push(child);
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-durability-'));
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, namespace: inject('temporalNamespace') });
});
afterAll(async () => {
  for (const worker of workers) killGroup(worker, 'SIGKILL');
  await connection?.close();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('durability', () => {
  it('finishes a run after its worker is killed mid-step, without re-running finished steps', async () => {
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'test.source' },
        { id: 'clean', type: 'test.transform' },
        { id: 'train', type: 'test.transform', config: { sleepMs: 6_000 } },
        { id: 'evaluate', type: 'test.transform' },
      ],
      ['ingest.out->clean.in', 'clean.out->train.in', 'train.out->evaluate.in'],
    );
    const { version } = await savePipeline(database.db, doc);
    const first = startWorkerProcess();
    const started = await startRun(
      { db: database.db, temporal: client, taskQueue, specOf: specOfWithTestNodes },
      { pipelineVersionId: version.id },
    );
    await expect
      .poll(async () => (await stepStatuses(database.db, started.runId)).train, {
        timeout: 60_000,
        interval: 200,
      })
      .toBe('running');
    // The step's log lines reach PostgreSQL in batches; wait for train's first
    // 'executing' line so the kill cannot swallow it and miscount the attempts.
    await expect
      .poll(async () => (await executions(database.db, started.runId)).train, {
        timeout: 30_000,
        interval: 100,
      })
      .toBe(1);

    killGroup(first, 'SIGKILL');
    startWorkerProcess();
    const result: RunResult = await client.workflow.getHandle(started.workflowId).result();

    expect(result.status).toBe('succeeded');
    expect(await executions(database.db, started.runId)).toEqual({
      ingest: 1,
      clean: 1,
      train: 2,
      evaluate: 1,
    });
    const steps = await stepRows(database.db, started.runId);
    expect(steps.map((step) => [step.nodeId, step.status, step.attempt])).toEqual([
      ['clean', 'succeeded', 1],
      ['evaluate', 'succeeded', 1],
      ['ingest', 'succeeded', 1],
      ['train', 'succeeded', 2],
    ]);
    const stored = await database.db
      .select({ stepId: artifacts.stepId })
      .from(artifacts)
      .where(eq(artifacts.runId, started.runId));
    expect(stored).toHaveLength(4);
  }, 120_000);
});
