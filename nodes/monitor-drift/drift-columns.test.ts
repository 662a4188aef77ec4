import { describe, expect, it } from 'vitest';
import { NodeInputError } from '../_kit/errors';
import { driftColumnOf, loggedDriftColumn, numericReferenceOf, sampleColumns } from './drift-columns';

describe('drift columns', () => {
  it('reads numbers as numbers (anything else missing), yes/no and text as categories', () => {
    expect(driftColumnOf({ name: 'n', type: 'number' }, [1.5, null, 'x', 2])).toEqual(
      Float64Array.from([1.5, Number.NaN, Number.NaN, 2]),
    );
    expect(driftColumnOf({ name: 'b', type: 'boolean' }, [true, false, null, 1, 0, 'true'])).toEqual([
      'true',
      'false',
      null,
      'true',
      'false',
      'true',
    ]);
    expect(driftColumnOf({ name: 's', type: 'string' }, ['a', null, 3])).toEqual(['a', null, '3']);
  });

  it('spells logged yes/no (1 and 0 from the log reader) as the registry does', () => {
    expect(loggedDriftColumn({ name: 'b', type: 'boolean' }, Float64Array.from([1, 0, Number.NaN]))).toEqual([
      'true',
      'false',
      null,
    ]);
    const numbers = Float64Array.from([3, 4]);
    expect(loggedDriftColumn({ name: 'n', type: 'number' }, numbers)).toBe(numbers);
  });

  it("takes the sample's columns by name, whatever their order, and names a missing one", () => {
    const sample = {
      columns: ['b', 'a'],
      rows: [
        [true, 1],
        [false, 2],
      ],
    };
    const columns = sampleColumns(
      sample,
      [
        { name: 'a', type: 'number' },
        { name: 'b', type: 'boolean' },
      ],
      'The sample',
    );
    expect(columns.get('a')).toEqual(Float64Array.from([1, 2]));
    expect(columns.get('b')).toEqual(['true', 'false']);
    const missing = () => sampleColumns(sample, [{ name: 'c', type: 'string' }], 'The sample');
    expect(missing).toThrow(NodeInputError);
    expect(missing).toThrow('The sample has no column "c", an input of the model');
  });

  it("bins at the registry's deciles when it has all nine, else at the sample's own", () => {
    const column = Float64Array.from({ length: 100 }, (_, index) => index);
    const deciles = [5, 15, 25, 35, 45, 55, 65, 75, 85];
    const registry = numericReferenceOf(column, { kind: 'number', deciles, missingRate: 0 });
    expect(Array.from(registry.innerEdges ?? [])).toEqual(deciles);
    expect(registry.counts).toEqual([5, 10, 10, 10, 10, 10, 10, 10, 10, 15]);
    const own = numericReferenceOf(column, { kind: 'number', deciles: [1, 2], missingRate: 0 });
    expect(Array.from(own.innerEdges ?? []).map((edge) => Math.round(edge * 10) / 10)).toEqual([
      9.9, 19.8, 29.7, 39.6, 49.5, 59.4, 69.3, 79.2, 89.1,
    ]);
    expect(numericReferenceOf(column, undefined).innerEdges).toEqual(own.innerEdges);
  });
});
