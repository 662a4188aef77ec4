import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BASE_MS, MAX_RETRY_WAIT_MS, retryDelayMs } from './retry-delay';

const HOUR_MS = 60 * 60 * 1000;

describe('retryDelayMs', () => {
  it('waits 30 s, then four times longer each time, at most 8 h', () => {
    const middle = () => 0.5;
    expect(
      Array.from({ length: DEFAULT_MAX_ATTEMPTS - 1 }, (_, index) =>
        retryDelayMs(index + 1, DEFAULT_RETRY_BASE_MS, middle),
      ),
    ).toEqual([30_000, 120_000, 480_000, 1_920_000, 7_680_000, MAX_RETRY_WAIT_MS, MAX_RETRY_WAIT_MS]);
  });

  it('keeps trying for most of a day with the default attempts, so a receiver down for a deploy still gets it', () => {
    let total = 0;
    for (let attempt = 1; attempt < DEFAULT_MAX_ATTEMPTS; attempt++)
      total += retryDelayMs(attempt, DEFAULT_RETRY_BASE_MS, () => 0);
    // The shortest the jitter allows: still more than half a day.
    expect(total).toBeGreaterThan(12 * HOUR_MS);
    expect(retryDelayMs(1, DEFAULT_RETRY_BASE_MS, () => 0)).toBeGreaterThan(20_000);
  });

  it('spreads each wait by ±20%', () => {
    expect(retryDelayMs(2, 1_000, () => 0)).toBe(3_200);
    expect(retryDelayMs(2, 1_000, () => 0.999_999)).toBe(4_800);
  });

  it('keeps small bases small (tests retry in milliseconds)', () => {
    expect(retryDelayMs(1, 50, () => 0.5)).toBe(50);
  });
});
