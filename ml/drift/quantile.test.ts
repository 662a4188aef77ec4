import { describe, expect, it } from 'vitest';
import { linearQuantile, quantileEdges } from './quantile';

// Expected values from numpy 2.4.6 in a throwaway venv:
//   np.quantile(values, np.linspace(0, 1, 11)[1:-1]) and np.quantile([1., 2., 3., 4.], [.3, .5, .75, 1.])
describe('linearQuantile and quantileEdges (numpy.quantile, method="linear")', () => {
  it('gives the deciles numpy gives, to the last bit, ties included', () => {
    const sorted = Float64Array.from([0.5, 2.0, 2.0, 3.5, 7.25, -1.0, 4.0]).sort();
    expect(Array.from(quantileEdges(sorted, 10))).toEqual([
      -0.09999999999999987, 0.8000000000000003, 1.7000000000000004, 2.0, 2.0, 2.900000000000001, 3.6,
      3.9000000000000004, 5.300000000000001,
    ]);
  });

  it('interpolates between neighbours and returns the ends at 0 and 1', () => {
    const sorted = Float64Array.from([1, 2, 3, 4]);
    expect([0.3, 0.5, 0.75, 1].map((q) => linearQuantile(sorted, q))).toEqual([1.9, 2.5, 3.25, 4]);
    expect(linearQuantile(sorted, 0)).toBe(1);
    expect(Array.from(quantileEdges(Float64Array.from([3]), 4))).toEqual([3, 3, 3]);
  });

  it('refuses an empty sample, a quantile outside [0, 1] and a bin count that is not a positive integer', () => {
    expect(() => linearQuantile(new Float64Array(0), 0.5)).toThrow('at least one value');
    expect(() => linearQuantile(Float64Array.from([1]), 1.5)).toThrow('between 0 and 1');
    expect(() => quantileEdges(Float64Array.from([1]), 0)).toThrow('positive integer');
  });
});
