import { describe, expect, it } from 'vitest';
import { chiSquareTest } from './chi-square';

// Expected values: scipy.stats.chi2_contingency(np.array([reference, current]), correction=False),
// scipy 1.17.1.
describe('chiSquareTest', () => {
  it.each([
    [[10, 20, 30], [15, 15, 40], 2.3877551020408165, 0.30304391468510006, 2],
    [[5, 0, 7], [2, 9, 1], 14.785714285714286, 0.0006156344826561971, 2],
    [[40, 60], [55, 45], 4.511278195488721, 0.033672068856345896, 1],
    [[1000, 2000, 500, 10], [1500, 1200, 800, 300], 630.0078368972845, 3.146568503777374e-136, 3],
  ])('%j vs %j', (reference, current, statistic, pValue, degreesOfFreedom) => {
    const result = chiSquareTest(reference, current);
    expect(result.statistic).toBeCloseTo(statistic, 10);
    expect(Math.abs(result.pValue - pValue) / pValue).toBeLessThan(1e-10);
    expect(result.degreesOfFreedom).toBe(degreesOfFreedom);
  });

  it('leaves out a category empty on both sides, and gives statistic 0, p = 1 for a single category', () => {
    expect(chiSquareTest([10, 0, 20, 30], [15, 0, 15, 40]).statistic).toBeCloseTo(2.3877551020408165, 10);
    expect(chiSquareTest([4, 0], [9, 0])).toEqual({ statistic: 0, pValue: 1, degreesOfFreedom: 0 });
  });

  it('refuses categories that differ in number and a side with no values', () => {
    expect(() => chiSquareTest([1, 2], [1])).toThrow('same categories');
    expect(() => chiSquareTest([0, 0], [1, 2])).toThrow('at least one value');
  });
});
