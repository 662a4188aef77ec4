import { describe, expect, it } from 'vitest';
import { countBelow, sortValues } from './sorted-values';

describe('sortValues', () => {
  it('sorts a copy, leaves NaN and ±Infinity out as missing, and keeps the input as it was', () => {
    const column = Float64Array.from([
      3,
      Number.NaN,
      -1,
      Number.POSITIVE_INFINITY,
      2,
      Number.NEGATIVE_INFINITY,
      2,
    ]);
    const sorted = sortValues(column);
    expect(Array.from(sorted.values)).toEqual([-1, 2, 2, 3]);
    expect(sorted.missing).toBe(3);
    expect(sorted.total).toBe(7);
    expect(column[0]).toBe(3);
    expect(column[1]).toBeNaN();
  });

  it('gives an all-missing column no values', () => {
    const sorted = sortValues(Float64Array.from([Number.NaN, Number.NaN]));
    expect(sorted.values).toHaveLength(0);
    expect(sorted.missing).toBe(2);
  });
});

describe('countBelow', () => {
  it('counts the values strictly below x', () => {
    const sorted = Float64Array.from([1, 2, 2, 2, 5]);
    expect([0, 1, 1.5, 2, 3, 5, 6].map((x) => countBelow(sorted, x))).toEqual([0, 0, 1, 1, 4, 4, 5]);
    expect(countBelow(new Float64Array(0), 1)).toBe(0);
  });
});
