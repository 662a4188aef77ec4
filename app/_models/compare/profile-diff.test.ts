import { describe, expect, it } from 'vitest';
import type { ColumnProfile, DatasetProfile } from '../../../nodes/_data/profile-schema';
import { categoryShift, compareProfiles } from './profile-diff';

function numeric(name: string, facts: Partial<ColumnProfile>): ColumnProfile {
  return {
    name,
    type: 'numeric',
    missing: 0,
    missingFraction: 0,
    distinct: 50,
    min: 0,
    max: 100,
    mean: 50,
    std: 10,
    topValues: [{ value: 50, count: 3 }],
    histogram: [],
    ...facts,
  };
}

function categorical(
  name: string,
  counts: Record<string, number>,
  facts: Partial<ColumnProfile> = {},
): ColumnProfile {
  return {
    name,
    type: 'categorical',
    missing: 0,
    missingFraction: 0,
    distinct: Object.keys(counts).length,
    min: null,
    max: null,
    mean: null,
    std: null,
    topValues: Object.entries(counts).map(([value, count]) => ({ value, count })),
    histogram: [],
    ...facts,
  };
}

const before: DatasetProfile = {
  rows: 100,
  columns: [
    numeric('tenure', { mean: 20, std: 8 }),
    numeric('charges', { mean: 70, std: 30 }),
    categorical('plan', { basic: 60, pro: 40 }),
    numeric('legacy_flag', {}),
  ],
};
const after: DatasetProfile = {
  rows: 200,
  sampledRows: 150,
  columns: [
    // 0.5 of A's standard deviation higher, and 20 points more missing.
    numeric('tenure', { mean: 24, std: 8, missingFraction: 0.2, missing: 40 }),
    // A small move, and the spread within 1.5×: no shift.
    numeric('charges', { mean: 71, std: 35 }),
    // Same shares on twice the rows: no shift.
    categorical('plan', { basic: 120, pro: 80 }),
    numeric('region_code', { type: 'categorical', mean: null, std: null, topValues: [] }),
  ],
};

describe('compareProfiles', () => {
  it('lists every column of both, with added and removed ones, and names the large shifts only', () => {
    const diff = compareProfiles({ sha256: 'aaa', profile: before }, { sha256: 'bbb', profile: after });
    expect(diff.sameData).toBe(false);
    expect(diff.a).toEqual({ profiled: true, sha256: 'aaa', rows: 100, sampledRows: null });
    expect(diff.b).toEqual({ profiled: true, sha256: 'bbb', rows: 200, sampledRows: 150 });
    expect(diff.columns.map((column) => [column.name, column.status])).toEqual([
      ['tenure', 'kept'],
      ['charges', 'kept'],
      ['plan', 'kept'],
      ['legacy_flag', 'removed'],
      ['region_code', 'added'],
    ]);
    const shifts = Object.fromEntries(diff.columns.map((column) => [column.name, column.shifts]));
    expect(shifts).toEqual({
      tenure: ['missing 0.0% → 20.0%', 'mean rose 0.50 SD'],
      charges: [],
      plan: [],
      legacy_flag: [],
      region_code: [],
    });
    const plan = diff.columns.find((column) => column.name === 'plan');
    // Categories as shares of each dataset's rows.
    expect(plan?.b?.top).toEqual([
      { value: 'basic', share: 0.6 },
      { value: 'pro', share: 0.4 },
    ]);
    expect(diff.columns.find((column) => column.name === 'legacy_flag')?.b).toBeNull();
  });

  it('names a change of type, of spread and of category shares', () => {
    const diff = compareProfiles(
      {
        sha256: 'x',
        profile: {
          rows: 10,
          columns: [numeric('size', { std: 2 }), categorical('colour', { red: 5, blue: 5 })],
        },
      },
      {
        sha256: 'y',
        profile: {
          rows: 10,
          columns: [
            numeric('size', { std: 4 }),
            categorical('colour', { red: 8, blue: 2 }, { type: 'text' }),
          ],
        },
      },
    );
    expect(diff.columns.map((column) => column.shifts)).toEqual([
      ['spread grew 2.0×'],
      ['type changed from categorical to text', "top categories' shares moved 30 points"],
    ]);
  });

  it('says when both were trained on the same data, and lists no columns when a profile is missing', () => {
    const diff = compareProfiles({ sha256: 'same', profile: before }, { sha256: 'same', profile: undefined });
    expect(diff.sameData).toBe(true);
    expect(diff.b).toEqual({ profiled: false, sha256: 'same', rows: null, sampledRows: null });
    expect(diff.columns).toEqual([]);
    expect(
      compareProfiles({ sha256: null, profile: undefined }, { sha256: null, profile: undefined }).sameData,
    ).toBe(false);
  });
});

describe('categoryShift', () => {
  it('is half the summed share differences, counting a value one side lacks as zero there', () => {
    expect(
      categoryShift(
        [
          { value: 'a', share: 0.5 },
          { value: 'b', share: 0.5 },
        ],
        [
          { value: 'a', share: 0.5 },
          { value: 'c', share: 0.5 },
        ],
      ),
    ).toBeCloseTo(0.5, 12);
  });
});
