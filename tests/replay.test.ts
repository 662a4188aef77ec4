/**
 * Replay safety: the recorded histories of representative runs (tests/fixtures/histories) replay
 * against the current workflow code. A change that would break runs in flight (a step scheduled in
 * another order, an activity added or removed without `patched()`) fails here with the SDK's
 * nondeterminism error.
 *
 * Re-record after an intended, patched change or a new scenario:
 *   PIPEWRIGHT_RECORD_HISTORIES=1 npx vitest run tests/replay.test.ts
 */
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { setUpDatabaseAndWorker } from './support/fixture';
import { historyScenarios, readHistories, recordHistories } from './support/histories';
import { workflowBundle } from './support/temporal';

const recording = process.env.PIPEWRIGHT_RECORD_HISTORIES === '1';
// Replaying needs no database or Temporal server; recording runs the scenarios for real.
const fixture = recording ? setUpDatabaseAndWorker() : undefined;

describe('pipeline workflow replay', () => {
  it.runIf(recording)(
    'records the histories of the representative runs',
    async () => {
      if (!fixture) throw new Error('recording needs the database and worker');
      const written = await recordHistories(fixture);
      expect(written).toHaveLength(Object.keys(historyScenarios).length);
    },
    120_000,
  );

  it('has a recorded history for every representative run', () => {
    expect(readHistories().map((entry) => entry.name)).toEqual(Object.keys(historyScenarios).sort());
  });

  it('replays every recorded history against the current workflow code', async () => {
    const histories = readHistories();
    const results = Worker.runReplayHistories(
      { workflowBundle: await workflowBundle() },
      histories.map(({ name, history }) => ({ workflowId: `replay-${name}`, history })),
    );
    const outcomes: [string, string][] = [];
    for await (const result of results) {
      outcomes.push([result.workflowId, result.error ? String(result.error) : 'ok']);
    }
    expect(outcomes).toEqual(histories.map(({ name }) => [`replay-${name}`, 'ok']));
  }, 120_000);
});
