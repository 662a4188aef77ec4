import { describe, expect, it } from 'vitest';
import { fromGroup, parseList, parseValue, toGroup, valueText } from './condition-model';

describe('condition model', () => {
  it('reads a lone comparison as a group of one and writes it back as itself', () => {
    const comparison = { column: 'age', operator: '>', value: 50 } as const;
    const group = toGroup(comparison);
    expect(group).toEqual({ mode: 'all', parts: [{ comparison }] });
    expect(group && fromGroup(group)).toEqual(comparison);
  });

  it('round-trips nested groups and drops empty ones and values an operator does not take', () => {
    const stored = {
      any: [
        { column: 'city', operator: 'in', value: ['Oslo', 'Bergen'] },
        {
          all: [
            { column: 'age', operator: '>=', value: 18 },
            { column: 'income', operator: 'is_missing' },
          ],
        },
      ],
    };
    const group = toGroup(stored);
    expect(group && fromGroup(group)).toEqual(stored);
    expect(
      fromGroup({
        mode: 'all',
        parts: [
          { group: { mode: 'any', parts: [] } },
          { comparison: { column: 'x', operator: 'is_missing', value: 3 } },
        ],
      }),
    ).toEqual({ column: 'x', operator: 'is_missing' });
    expect(fromGroup({ mode: 'any', parts: [] })).toBeUndefined();
  });

  it('refuses a value that is not a condition, reads one being written, and starts empty when unset', () => {
    expect(toGroup({ column: 'a' })).toBeUndefined();
    // A condition just added has no column yet: still edited here, the form flags the column.
    expect(toGroup({ column: '', operator: '=' })).toEqual({
      mode: 'all',
      parts: [{ comparison: { column: '', operator: '=' } }],
    });
    expect(toGroup(undefined)).toEqual({ mode: 'all', parts: [] });
  });

  it('types typed values by the column', () => {
    expect(parseValue('50', '>', 'numeric')).toBe(50);
    expect(parseValue('50', '=', 'categorical')).toBe('50');
    expect(parseValue('007', '=', undefined)).toBe('007');
    expect(parseValue('7', '=', undefined)).toBe(7);
    expect(parseValue('true', '=', 'boolean')).toBe(true);
    expect(parseValue('a, b ,,c', 'in', 'categorical')).toEqual(['a', 'b', 'c']);
    expect(parseValue('', '=', 'numeric')).toBeUndefined();
    expect(parseValue('x', 'is_missing', 'numeric')).toBeUndefined();
    expect(parseList('1, 2, x', 'numeric')).toEqual([1, 2, 'x']);
    expect(valueText(['a', 2])).toBe('a, 2');
  });
});
