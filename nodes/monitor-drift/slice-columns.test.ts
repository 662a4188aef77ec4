import { describe, expect, it } from 'vitest';
import type { TransformSpec } from '../_data/transform-spec';
import type { LoggedColumn, MonitoredVersion } from '../_kit/monitoring-port';
import { sliceColumns } from './slice-columns';

/** A version whose feature steps impute and standardise age, one-hot encode plan, tidy city and derive a column. */
const transforms: TransformSpec = {
  version: 1,
  columns: [
    { name: 'age', storage: 'DOUBLE' },
    { name: 'plan', storage: 'VARCHAR' },
    { name: 'city', storage: 'VARCHAR' },
    { name: 'member', storage: 'BOOLEAN' },
    { name: 'zone', storage: 'DOUBLE' },
  ],
  steps: [
    { op: 'impute', column: 'age', strategy: 'mean', value: 40 },
    { op: 'standardize', column: 'age', mean: 40, std: 10 },
    { op: 'one_hot', column: 'plan', categories: ['basic', 'pro'], other: true },
    { op: 'text', column: 'city', trim: true, lower: true },
    { op: 'derive', name: 'age_x2', expression: 'age * 2' },
    { op: 'derive', name: 'zone_x2', expression: 'zone * 2' },
    { op: 'select', features: ['age', 'plan=basic', 'plan=pro', 'plan=other', 'member', 'age_x2'] },
  ],
};

const version: Pick<MonitoredVersion, 'signature' | 'transforms'> = {
  transforms,
  signature: {
    inputs: [
      { name: 'age', type: 'number', unknownCategories: 'accept', nullable: true },
      {
        name: 'plan',
        type: 'string',
        categories: ['basic', 'pro'],
        unknownCategories: 'accept',
        nullable: true,
      },
      { name: 'city', type: 'string', unknownCategories: 'accept', nullable: true },
      { name: 'member', type: 'boolean', unknownCategories: 'accept', nullable: false },
    ],
    output: { task: 'classification', labels: ['no', 'yes'] },
  },
};

const window = {
  rows: 4,
  columns: new Map<string, LoggedColumn>([
    ['age', Float64Array.from([30, 55, Number.NaN, 40])],
    ['plan', ['pro', 'basic', 'team', null]],
    ['city', [' Oslo ', 'LIMA', null, 'rome']],
    ['member', Float64Array.from([1, 0, 1, Number.NaN])],
  ]),
};

describe('sliceColumns', () => {
  it('gives each column as the evaluate step saw it: replayed through the transforms when they change it, raw otherwise', async () => {
    const { columns, unavailable } = await sliceColumns(
      ['age', 'plan=pro', 'plan=other', 'city', 'member', 'age_x2'],
      window,
      version,
    );
    expect(unavailable).toEqual(new Map());
    // Standardised after the missing age became the mean.
    expect(columns.get('age')).toEqual({
      kind: 'number',
      values: Float64Array.from([-1, 1.5, 0, 0]),
      boolean: false,
    });
    expect(columns.get('plan=pro')).toEqual({
      kind: 'number',
      values: Float64Array.from([1, 0, 0, 0]),
      boolean: false,
    });
    // An unknown plan is "other"; a missing one is none of them, as the feature step encodes it.
    expect(columns.get('plan=other')?.values).toEqual(Float64Array.from([0, 0, 1, 0]));
    expect(columns.get('age_x2')?.values).toEqual(Float64Array.from([-2, 3, 0, 0]));
    expect(columns.get('city')).toEqual({ kind: 'text', values: ['oslo', 'lima', null, 'rome'] });
    expect(columns.get('member')).toEqual({
      kind: 'number',
      values: Float64Array.from([1, 0, 1, Number.NaN]),
      boolean: true,
    });
  });

  it('says why a column cannot be had from the log: not a model input, or made from one that is not', async () => {
    const { columns, unavailable } = await sliceColumns(['tenure', 'zone_x2', 'zone'], window, version);
    expect(columns.size).toBe(0);
    expect(unavailable).toEqual(
      new Map([
        ['tenure', "is not one of the model's inputs, so the prediction log does not have it"],
        [
          'zone_x2',
          'is computed from column "zone", which is not one of the model\'s inputs, so the prediction log does not have it',
        ],
        ['zone', "is not one of the model's inputs, so the prediction log does not have it"],
      ]),
    );
  });
});
