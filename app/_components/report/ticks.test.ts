import { describe, expect, it } from 'vitest';
import { niceTicks } from './ticks';

describe('niceTicks', () => {
  it('gives round values inside the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(-3, 17)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(0.1, 0.3)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(0, Number.POSITIVE_INFINITY)).toEqual([]);
  });

  it('returns the two ends when a round step is below what a double can tell apart there', () => {
    // tick += step rounded back to the same double here, and the loop never ended.
    expect(niceTicks(1e20, 1e20 + 16384)).toEqual([1e20, 1e20 + 16384]);
    expect(niceTicks(-1e20 - 16384, -1e20)).toEqual([-1e20 - 16384, -1e20]);
  });

  it('keeps to a bounded number of ticks on huge spans', () => {
    const ticks = niceTicks(-1.7e308, 1.7e308);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(11);
    expect(ticks.every(Number.isFinite)).toBe(true);
  });
});
