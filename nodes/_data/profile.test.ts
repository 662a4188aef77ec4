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

  it('past 100k rows, keeps counts and moments exact and estimates the shape from a labelled sample', async () => {
    await duck.exec(`create table big as select i, i % 7 as "week day", case when i % 10 = 0 then null else 'k' || (i % 3) end as kind,
      'id-' || i as code from range(300000) r(i)`);
    const { profile } = await profileRelation(duck, 'big');
    const [i, , kind, code] = profile.columns;
    // Too many distinct values for the shared map: counted by a grouped query over the sample.
    expect(code?.type).toBe('text');
    expect(code?.topValues).toHaveLength(10);
    expect(profile.rows).toBe(300_000);
    // Whole vectors of 2048 rows are sampled, so the sample size itself varies.
    expect(profile.sampledRows).toBeGreaterThan(50_000);
    expect(profile.sampledRows).toBeLessThan(150_000);
    expect(i).toMatchObject({ min: 0, max: 299_999, mean: 149_999.5, missing: 0 });
    expect(kind).toMatchObject({ missing: 30_000, distinct: 3 });
    const binned = i?.histogram.reduce((sum, bin) => sum + bin.count, 0) ?? 0;
    expect(Math.abs(binned - 300_000)).toBeLessThan(20);
    // Each kind holds 90,000 rows; the scaled sample counts land near that.
    expect(kind?.topValues.map((entry) => entry.value).sort()).toEqual(['k0', 'k1', 'k2']);
    for (const entry of kind?.topValues ?? []) expect(Math.abs(entry.count - 90_000)).toBeLessThan(9_000);
  });

  it('measures values near the edge of the double range, skipping infinite ones in the moments', async () => {
    await duck.exec(`create table huge as select * from (values
      (1e200, 1.5e308), (-1e200, -1.5e308), (3e200, 0.0), (null, 'infinity'::double)) v(x, wide)`);
    const { profile } = await profileRelation(duck, 'huge');
    const [x, wide] = profile.columns;
    expect(x).toMatchObject({ min: -1e200, max: 3e200, missing: 1 });
    expect(x?.mean).toBeCloseTo(1e200, -186);
    // Sample standard deviation of 1, -1, 3 (×1e200) is 2 (×1e200).
    expect((x?.std ?? 0) / 1e200).toBeCloseTo(2, 12);
    expect(x?.histogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(3);
    expect(wide?.mean).toBe(0);
    expect((wide?.std ?? 0) / 1.5e308).toBeCloseTo(1, 12);
    // min and max come from every value; the histogram needs finite ends.
    expect(wide).toMatchObject({ min: -1.5e308, max: Number.POSITIVE_INFINITY, histogram: [] });
  });
});
