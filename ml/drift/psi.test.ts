import { describe, expect, it } from 'vitest';
import { populationStabilityIndex } from './psi';

describe('populationStabilityIndex', () => {
  it('is Σ (cur − ref) ln(cur / ref) over the fractions', () => {
    const expected = (0.3 - 0.5) * Math.log(0.3 / 0.5) + (0.7 - 0.5) * Math.log(0.7 / 0.5);
    expect(populationStabilityIndex([50, 50], [30, 70])).toBeCloseTo(expected, 15);
    expect(populationStabilityIndex([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 15);
  });

  it('floors an empty fraction at 1e-4 on either side without renormalising', () => {
    // Reference bin 2 empty, current bin 0 empty: each floored to 1e-4, the others left as they are.
    const expected =
      (1e-4 - 0.5) * Math.log(1e-4 / 0.5) +
      (0.5 - 0.5) * Math.log(0.5 / 0.5) +
      (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
    expect(populationStabilityIndex([5, 5, 0], [0, 5, 5])).toBeCloseTo(expected, 12);
    // A bin empty on both sides adds nothing.
    expect(populationStabilityIndex([5, 0, 5], [5, 0, 5])).toBe(0);
    expect(populationStabilityIndex([5, 5, 0], [0, 5, 5], 0.01)).toBeCloseTo(
      (0.01 - 0.5) * Math.log(0.01 / 0.5) + (0.5 - 0.01) * Math.log(0.5 / 0.01),
      12,
    );
  });

  it('refuses bins that differ in number and a side with no values', () => {
    expect(() => populationStabilityIndex([1, 2], [1, 2, 3])).toThrow('same bins');
    expect(() => populationStabilityIndex([0, 0], [1, 2])).toThrow('at least one value');
  });
});
