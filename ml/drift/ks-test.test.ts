import { describe, expect, it } from 'vitest';
import { ksStatistic } from './ks-statistic';
import { ksTest, roundHalfToEven } from './ks-test';

const sorted = (values: number[]) => Float64Array.from(values).sort();

// Expected values: scipy 1.17.1, scipy.stats.ks_2samp(a, b, method='asymp') and the default
// method='auto' (exact at this size).
describe('ksTest', () => {
  const a = sorted([0.5, 2.0, 2.0, 3.5, 7.25, -1.0, 4.0]);
  const b = sorted([1.0, 2.0, 2.0, 2.0, 9.0, 10.5, 3.5, 0.0, 6.0]);

  it("gives scipy's D and its asymptotic p-value on small samples with ties", () => {
    const result = ksTest(a, b);
    expect(result.statistic).toBe(0.2222222222222222);
    expect(result.pValue).toBeCloseTo(0.9656921582075904, 14);
    expect(result.effectiveSize).toBe(4); // round(63 / 16)
    // scipy's default (exact) p-value here is 0.9552447552447553: 0.0104 apart, as documented.
    expect(Math.abs(result.pValue - 0.9552447552447553)).toBeLessThan(0.011);
  });

  it('is symmetric and 0 / p = 1 for the same sample', () => {
    expect(ksStatistic(b, a)).toBe(ksStatistic(a, b));
    const same = ksTest(a, a);
    expect(same.statistic).toBe(0);
    expect(same.pValue).toBe(1);
  });

  it('is 1 with a tiny p-value for samples that do not overlap', () => {
    const low = Float64Array.from({ length: 500 }, (_, i) => i);
    const high = Float64Array.from({ length: 500 }, (_, i) => 1000 + i);
    const result = ksTest(low, high);
    expect(result.statistic).toBe(1);
    expect(result.pValue).toBe(0);
  });

  it('refuses an empty side', () => {
    expect(() => ksTest(new Float64Array(0), a)).toThrow('at least one value');
  });
});

describe('roundHalfToEven (numpy.round)', () => {
  it('rounds ties to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, 2.4, 2.6, 3].map(roundHalfToEven)).toEqual([0, 2, 2, 2, 3, 3]);
  });
});
