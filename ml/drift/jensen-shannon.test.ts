import { describe, expect, it } from 'vitest';
import { jensenShannonDistance } from './jensen-shannon';

// Expected values: scipy.spatial.distance.jensenshannon(p, q, base=2), scipy 1.17.1.
describe('jensenShannonDistance', () => {
  it('matches scipy on counts that need normalising, with empty bins on either side', () => {
    expect(jensenShannonDistance([3, 0, 5, 2], [1, 4, 0, 5])).toBeCloseTo(0.7318826245442998, 14);
  });

  it('is 0 for the same shape and 1 for disjoint supports', () => {
    expect(jensenShannonDistance([1, 1], [7, 7])).toBe(0);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(1, 15);
  });

  it('refuses bins that differ in number and a side with no values', () => {
    expect(() => jensenShannonDistance([1], [1, 2])).toThrow('same bins');
    expect(() => jensenShannonDistance([0, 0], [1, 2])).toThrow('at least one value');
  });
});
