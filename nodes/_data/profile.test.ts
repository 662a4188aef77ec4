import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck } from './duck';
import { profileRelation } from './profile';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
  await duck.exec(`create table t as select * from (values
    (1.0, 'red', true, 'x"; drop table t; --'),
    (2.0, 'red', false, 'b'),
    (3.0, 'blue', null, 'c'),
    (null, 'green', true, 'd'),
    (4.0, null, true, 'e')) v("size cm", "colour", "flag", "x""; drop table t; --")`);
});
afterAll(() => duck.close());

describe('profileRelation', () => {
  it('computes counts, moments, top values and a 20-bin histogram, with exact figures', async () => {
    const { schema, profile } = await profileRelation(duck, 't');
    expect(schema.columns.map((column) => [column.name, column.type])).toEqual([
      ['size cm', 'numeric'],
      ['colour', 'categorical'],
      ['flag', 'boolean'],
      ['x"; drop table t; --', 'categorical'],
    ]);
    expect(profile.rows).toBe(5);
    const [size, colour, flag] = profile.columns;
    expect(size).toMatchObject({ missing: 1, missingFraction: 0.2, distinct: 4, min: 1, max: 4, mean: 2.5 });
    expect(size?.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(size?.histogram).toHaveLength(20);
    expect(size?.histogram[0]).toEqual({ from: 1, to: 1.15, count: 1 });
    expect(size?.histogram[19]).toEqual({ from: 3.85, to: 4, count: 1 });
    expect(size?.histogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(4);
    expect(colour?.topValues).toEqual([
      { value: 'red', count: 2 },
      { value: 'blue', count: 1 },
      { value: 'green', count: 1 },
    ]);
    expect(colour).toMatchObject({ missing: 1, distinct: 3, mean: null, histogram: [] });
    expect(flag?.topValues).toEqual([
      { value: 'true', count: 3 },
      { value: 'false', count: 1 },
    ]);
  });
});
