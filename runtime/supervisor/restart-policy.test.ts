import { describe, expect, it } from 'vitest';
import {
  type CrashDecision,
  type CrashRecord,
  DEFAULT_RESTART_POLICY,
  decideAfterCrash,
  NO_CRASHES,
  restartDelayMs,
} from './restart-policy';

/** Crashes a component at each of `times`, each run having started `ranFor` ms before its crash. */
function crashAt(times: number[], ranFor: number): CrashDecision[] {
  let record: CrashRecord = NO_CRASHES;
  return times.map((time) => {
    const decision = decideAfterCrash(record, time - ranFor, time);
    record = decision.record;
    return decision;
  });
}

describe('restart delay', () => {
  it('doubles from 1 s and stops at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((crash) => restartDelayMs(crash))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe('after a crash', () => {
  it('restarts after 1, 2, 4 and 8 s and gives up at the fifth crash within 2 minutes', () => {
    const decisions = crashAt([0, 2_000, 6_000, 12_000, 22_000], 500);
    expect(
      decisions.map((decision) => (decision.action === 'restart' ? decision.delayMs : 'give up')),
    ).toEqual([1_000, 2_000, 4_000, 8_000, 'give up']);
    expect(decisions.at(-1)).toMatchObject({ action: 'give-up', crashes: 5 });
  });

  it('keeps restarting, at most every 30 s, when crashes are spread wider than the window', () => {
    // A crash every 35 s: at most four fall inside any 2 minutes, so it never gives up.
    const times = Array.from({ length: 10 }, (_, index) => index * 35_000);
    const decisions = crashAt(times, 1_000);
    expect(decisions.every((decision) => decision.action === 'restart')).toBe(true);
    expect(decisions.map((decision) => (decision.action === 'restart' ? decision.delayMs : 0))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000,
    ]);
    expect(decisions.at(-1)?.record.recent).toEqual([210_000, 245_000, 280_000, 315_000]);
  });

  it('starts again from 1 s after a component ran for 2 minutes', () => {
    const first = crashAt([0, 3_000, 9_000], 1_000);
    const afterStableRun = decideAfterCrash(
      first.at(-1)?.record ?? NO_CRASHES,
      9_000,
      9_000 + DEFAULT_RESTART_POLICY.stableAfterMs,
    );
    expect(afterStableRun).toEqual({
      action: 'restart',
      delayMs: 1_000,
      record: { consecutive: 1, recent: [9_000 + DEFAULT_RESTART_POLICY.stableAfterMs] },
    });
  });

  it('counts a crash exactly 2 minutes old as outside the window', () => {
    const decisions = crashAt([0, 1_000, 2_000, 3_000, 120_000], 100);
    expect(decisions.at(-1)).toMatchObject({
      action: 'restart',
      record: { recent: [1_000, 2_000, 3_000, 120_000] },
    });
  });
});
