import { describe, expect, it } from 'vitest';
import { wassersteinDistance } from './wasserstein';

const sorted = (values: number[]) => Float64Array.from(values).sort();

// Expected values: scipy.stats.wasserstein_distance(a, b), scipy 1.17.1.
describe('wassersteinDistance', () => {
  it('matches scipy on samples of different sizes with ties', () => {
    const a = sorted([0.5, 2.0, 2.0, 3.5, 7.25, -1.0, 4.0]);
    const b = sorted([1.0, 2.0, 2.0, 2.0, 9.0, 10.5, 3.5, 0.0, 6.0]);
    expect(wassersteinDistance(a, b)).toBeCloseTo(1.3928571428571428, 14);
    expect(wassersteinDistance(b, a)).toBeCloseTo(1.3928571428571428, 14);
  });

  it('is the shift for a shifted sample and 0 for the same one', () => {
    expect(wassersteinDistance(sorted([1, 2, 3]), sorted([3.5, 4.5, 5.5]))).toBeCloseTo(2.5, 14);
    expect(wassersteinDistance(sorted([1, 2, 2]), sorted([2, 1, 2]))).toBe(0);
    expect(wassersteinDistance(sorted([4]), sorted([1]))).toBe(3);
  });

  it('refuses an empty side', () => {
    expect(() => wassersteinDistance(new Float64Array(0), sorted([1]))).toThrow('at least one value');
  });
});
