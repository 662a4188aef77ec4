import { describe, expect, it } from 'vitest';
import type { PredictionRecorder } from './contracts';
import type { Resolution } from './model-cache';
import { ShadowScorer } from './shadow-scorer';

const noLog: PredictionRecorder = {
  enabled: false,
  record: () => {},
  depth: () => 0,
  dropped: () => 0,
  close: async () => {},
};

describe('ShadowScorer', () => {
  it('never waits: copies beyond its capacity are dropped and counted, the rest fail without staging', async () => {
    let resolves = 0;
    const scorer = new ShadowScorer({
      log: noLog,
      capacity: 3,
      concurrency: 1,
      resolve: async (): Promise<Resolution> => {
        resolves += 1;
        return { ok: false, status: 404, message: 'no staging version' };
      },
    });
    const offered = Array.from({ length: 5 }, (_, index) =>
      scorer.offer({
        name: 'm',
        requestId: `r${index}`,
        rows: [{}],
        productionIds: ['p'],
        productionVersion: 1,
      }),
    );
    // Offered in one turn: nothing was scored yet, so the queue held three.
    expect(offered).toEqual([true, true, true, false, false]);
    expect(scorer.snapshot()).toEqual({ queued: 3, scored: 0, dropped: 2, failed: 0 });
    await scorer.idle();
    expect(resolves).toBe(3);
    expect(scorer.snapshot()).toEqual({ queued: 0, scored: 0, dropped: 2, failed: 3 });
  });
});
