import type { DuckDBValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition } from '../_data/condition';
import { conditionSql } from '../_data/condition-sql';
import { Duck } from '../_data/duck';
import { conditionMask, type SliceColumn, SliceConditionError } from './slice-condition';

/** Rows with every kind of value, missing ones included: age (number), member (yes/no), plan (text). */
const ROWS: [number | null, boolean | null, string | null][] = [
  [25, true, 'basic'],
  [40, false, 'pro'],
  [null, true, 'team'],
  [35, null, null],
  [52.5, true, 'pro'],
  [30, false, 'Basic'],
  [61, true, ''],
  [18, false, 'probe'],
];

const columns = new Map<string, SliceColumn>([
  ['age', { kind: 'number', values: Float64Array.from(ROWS, ([age]) => age ?? Number.NaN), boolean: false }],
  [
    'member',
    {
      kind: 'number',
      values: Float64Array.from(ROWS, ([, member]) => (member === null ? Number.NaN : member ? 1 : 0)),
      boolean: true,
    },
  ],
  ['plan', { kind: 'text', values: ROWS.map(([, , plan]) => plan) }],
]);

const CONDITIONS: Condition[] = [
  { column: 'age', operator: '>', value: 40 },
  { column: 'age', operator: '<=', value: '30' },
  { column: 'age', operator: '!=', value: 35 },
  { column: 'age', operator: '=', value: 52.5 },
  { column: 'age', operator: 'in', value: [25, '40'] },
  { column: 'age', operator: 'not_in', value: [25] },
  { column: 'age', operator: 'is_missing' },
  { column: 'member', operator: '=', value: true },
  { column: 'member', operator: '!=', value: 'true' },
  { column: 'member', operator: 'is_not_missing' },
  { column: 'member', operator: 'starts_with', value: 'tr' },
  { column: 'plan', operator: 'in', value: ['pro', 'team'] },
  { column: 'plan', operator: 'not_in', value: ['pro'] },
  { column: 'plan', operator: 'contains', value: 'ro' },
  { column: 'plan', operator: 'starts_with', value: 'b' },
  { column: 'plan', operator: '<', value: 'c' },
  { column: 'plan', operator: '>=', value: 'pro' },
  { column: 'plan', operator: 'is_missing' },
  { column: 'plan', operator: '=', value: '' },
  {
    all: [
      { column: 'age', operator: '>=', value: 25 },
      {
        any: [
          { column: 'plan', operator: '=', value: 'pro' },
          { column: 'member', operator: '=', value: true },
        ],
      },
    ],
  },
];

let duck: Duck;

beforeAll(async () => {
  duck = await Duck.open();
  await duck.exec('create table t (row_number integer, age double, member boolean, plan varchar)');
  for (const [index, [age, member, plan]] of ROWS.entries())
    await duck.exec('insert into t values ($1, $2, $3, $4)', [index, age, member, plan]);
});

afterAll(() => duck.close());

/** The rows the evaluate step's SQL selects with the condition. */
async function sqlMask(condition: Condition): Promise<number[]> {
  const params: DuckDBValue[] = [];
  const bind = (value: DuckDBValue) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = conditionSql(
    condition,
    [
      { name: 'age', storage: 'DOUBLE' },
      { name: 'member', storage: 'BOOLEAN' },
      { name: 'plan', storage: 'VARCHAR' },
    ],
    bind,
  );
  const rows = await duck.all(`select ${where} as hit from t order by row_number`, params);
  return rows.map((row) => (row.hit ? 1 : 0));
}

describe('conditionMask', () => {
  it.each(CONDITIONS.map((condition) => [JSON.stringify(condition), condition] as const))(
    'selects the rows the evaluate step selects in SQL: %s',
    async (_, condition) => {
      const expected = await sqlMask(condition);
      expect(Array.from(conditionMask(condition, columns, ROWS.length))).toEqual(expected);
      // Not vacuous: each condition holds for some rows and not for others.
      expect(new Set(expected)).toEqual(new Set([0, 1]));
    },
  );

  it('names the column and the value it cannot compare, as the evaluate step does', () => {
    expect(() => conditionMask({ column: 'age', operator: '>', value: 'old' }, columns, ROWS.length)).toThrow(
      new SliceConditionError('the condition on "age" compares it with "old", which is not a number'),
    );
    expect(() =>
      conditionMask({ column: 'member', operator: '=', value: 'yes' }, columns, ROWS.length),
    ).toThrow('the condition on "member" compares it with "yes", which is not true or false');
    expect(() =>
      conditionMask({ column: 'city', operator: '=', value: 'Oslo' }, columns, ROWS.length),
    ).toThrow('column "city" is not in the logged data');
  });
});
