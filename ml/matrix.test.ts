import { describe, expect, it } from 'vitest';
import { evenlySpacedRows } from './matrix';

describe('evenlySpacedRows', () => {
  it('takes every row when they fit', () => {
    expect(Array.from(evenlySpacedRows(4, 10))).toEqual([0, 1, 2, 3]);
  });

  it('spreads a sample over the whole range, in order', () => {
    expect(Array.from(evenlySpacedRows(10, 4))).toEqual([0, 2, 5, 7]);
    const rows = evenlySpacedRows(1_000_000, 100_000);
    expect(rows.length).toBe(100_000);
    expect(rows[1]).toBe(10);
    expect(rows.at(-1)).toBe(999_990);
  });
});
