import { describe, expect, it } from 'vitest';
import { countInBins } from './bin-counts';

describe('countInBins', () => {
  it('opens the outer bins and puts a value equal to an edge in the upper bin', () => {
    const sorted = Float64Array.from([-100, 0, 1, 1, 1.5, 2, 3, 100]);
    // bins: (-∞, 1), [1, 2), [2, ∞)
    expect(countInBins(sorted, Float64Array.from([1, 2]))).toEqual([2, 3, 3]);
  });

  it('leaves the bins between repeated edges empty, as numpy.searchsorted(side="right") does', () => {
    const sorted = Float64Array.from([0, 0, 0, 0, 1, 2]);
    expect(countInBins(sorted, Float64Array.from([0, 0, 1]))).toEqual([0, 0, 4, 2]);
  });

  it('puts everything in one bin when there are no edges, and counts nothing for no values', () => {
    expect(countInBins(Float64Array.from([1, 2]), new Float64Array(0))).toEqual([2]);
    expect(countInBins(new Float64Array(0), Float64Array.from([1]))).toEqual([0, 0]);
  });
});
