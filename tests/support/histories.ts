import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { expect } from 'vitest';
import type { RunResult } from '../../workflows/pipeline.types';
import { cancelRun, startRun } from '../../workflows/run-service';
import type { Fixture } from './fixture';
import { pipelineDoc } from './pipeline-doc';
import { runServices, runToEnd, savePipeline, stepStatuses } from './pipelines';

/** Recorded workflow histories, one JSON file per representative run. */
export const historiesDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'histories');

/**
 * Representative runs of the pipeline workflow. Each runs on the real test worker and answers the
 * workflow id whose history is recorded, after checking the run ended as the scenario says.
 */
export const historyScenarios: Record<string, (fixture: Fixture) => Promise<string>> = {
  async linear(fixture) {
    const { db } = fixture.database;
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'test.source', config: { value: 'iris' } },
        { id: 'clean', type: 'test.transform' },
        { id: 'train', type: 'test.transform', config: { metric: 0.9 } },
      ],
      ['ingest.out->clean.in', 'clean.out->train.in'],
    );
    const { started, result } = await runToEnd(db, fixture.worker, (await savePipeline(db, doc)).version.id);
    expect(result.status).toBe('succeeded');
    return started.workflowId;
  },

  async diamond(fixture) {
    const { db } = fixture.database;
    const doc = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        { id: 'b', type: 'test.transform' },
        { id: 'c', type: 'test.transform' },
        { id: 'd', type: 'test.join' },
      ],
      ['a.out->b.in', 'a.out->c.in', 'b.out->d.left', 'c.out->d.right'],
    );
    const { started, result } = await runToEnd(db, fixture.worker, (await savePipeline(db, doc)).version.id);
    expect(result.status).toBe('succeeded');
    return started.workflowId;
  },

  /** A step retried once and failing for good; its downstream skipped, a side branch succeeding. */
  async 'failed-and-retried'(fixture) {
    const { db } = fixture.database;
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
        { id: 'side', type: 'test.transform' },
      ],
      ['a.out->flaky.in', 'flaky.out->after.in', 'a.out->side.in'],
    );
    const { started, result } = await runToEnd(db, fixture.worker, (await savePipeline(db, doc)).version.id);
    expect(result.steps).toEqual({ a: 'succeeded', flaky: 'failed', after: 'skipped', side: 'succeeded' });
    return started.workflowId;
  },

  async cancelled(fixture) {
    const { db } = fixture.database;
    const doc = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        { id: 'slow', type: 'test.transform', config: { sleepMs: 60_000 } },
        { id: 'after', type: 'test.transform' },
      ],
      ['a.out->slow.in', 'slow.out->after.in'],
    );
    const services = runServices(db, fixture.worker);
    const started = await startRun(services, { pipelineVersionId: (await savePipeline(db, doc)).version.id });
    await expect
      .poll(async () => (await stepStatuses(db, started.runId)).slow, { timeout: 20_000 })
      .toBe('running');
    await cancelRun(services, started.runId);
    const result: RunResult = await fixture.worker.client.workflow.getHandle(started.workflowId).result();
    expect(result.status).toBe('cancelled');
    return started.workflowId;
  },

  /** A second run of an unchanged pipeline that reuses every output of the first. */
  async cached(fixture) {
    const { db } = fixture.database;
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'test.source', config: { value: 'cached' } },
        { id: 'clean', type: 'test.transform' },
      ],
      ['ingest.out->clean.in'],
    );
    const versionId = (await savePipeline(db, doc)).version.id;
    const first = await runToEnd(db, fixture.worker, versionId);
    const second = await runToEnd(db, fixture.worker, versionId, { reuseFromRunId: first.started.runId });
    expect(second.result.steps).toEqual({ ingest: 'cached', clean: 'cached' });
    return second.started.workflowId;
  },
};

/** Runs every scenario and writes its history to tests/fixtures/histories/<name>.json. */
export async function recordHistories(fixture: Fixture): Promise<string[]> {
  mkdirSync(historiesDir, { recursive: true });
  const written: string[] = [];
  for (const [name, scenario] of Object.entries(historyScenarios)) {
    const workflowId = await scenario(fixture);
    const history = await fixture.worker.client.workflow.getHandle(workflowId).fetchHistory();
    const file = path.join(historiesDir, `${name}.json`);
    writeFileSync(file, `${JSON.stringify(historyToPlain(history), null, 1)}\n`);
    written.push(file);
  }
  return written;
}

/**
 * The protobuf History as plain JSON (64-bit ids as strings, enums by name, bytes in base64), and
 * back. Not the proto3 JSON of `temporal workflow show`: the SDK's reader for that form breaks here,
 * because @temporalio/common and @temporalio/proto each bring their own copy of protobufjs.
 */
type History = temporal.api.history.v1.History;
const HistoryMessage = temporal.api.history.v1.History;

function historyToPlain(history: temporal.api.history.v1.IHistory): unknown {
  return HistoryMessage.toObject(HistoryMessage.fromObject(history), {
    longs: String,
    enums: String,
    bytes: String,
  });
}

function historyFromPlain(plain: unknown): History {
  if (typeof plain !== 'object' || plain === null) throw new Error('a history file holds no object');
  return HistoryMessage.fromObject(plain);
}

/** The recorded histories, by scenario name. */
export function readHistories(): { name: string; history: History }[] {
  return readdirSync(historiesDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: path.basename(file, '.json'),
      history: historyFromPlain(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8'))),
    }));
}
