import { describe, expect, it } from 'vitest';
import type { ModelSignature } from '../registry/version-schema';
import { readRequestRows } from './request-rows';

const signature: ModelSignature = {
  inputs: [
    { name: 'a', type: 'number', nullable: false, unknownCategories: 'accept' },
    { name: 'b', type: 'string', nullable: true, unknownCategories: 'accept' },
  ],
  output: { task: 'regression' },
};
const rows = [
  { a: 1, b: 'x' },
  { a: 2, b: null },
];

describe('request bodies', () => {
  it('reads every accepted format into the same rows', () => {
    const bodies: unknown[] = [
      { rows },
      { dataframe_records: rows },
      {
        dataframe_split: {
          columns: ['a', 'b'],
          data: [
            [1, 'x'],
            [2, null],
          ],
        },
      },
      {
        dataframe_split: {
          columns: ['b', 'a'],
          data: [
            ['x', 1],
            [null, 2],
          ],
          index: [7, 8],
        },
      },
      { instances: rows },
      {
        instances: [
          [1, 'x'],
          [2, null],
        ],
      },
      { inputs: rows, params: { ignored: true } },
      {
        inputs: [
          [1, 'x'],
          [2, null],
        ],
      },
      { inputs: { a: [1, 2], b: ['x', null] } },
    ];
    for (const body of bodies) expect(readRequestRows(body, signature)).toMatchObject({ ok: true, rows });
    expect(readRequestRows({ rows }, signature)).toMatchObject({ format: 'rows' });
    expect(readRequestRows({ inputs: rows }, signature)).toMatchObject({ format: 'inputs' });
  });

  it('refuses anything else with a sentence', () => {
    const refusal = (body: unknown) => {
      const read = readRequestRows(body, signature);
      return read.ok ? 'accepted' : read.message;
    };
    expect(refusal(null)).toMatch(/^The body must be a JSON object with "rows"/);
    expect(refusal({ rows, extra: 1, more: 2 })).toMatch(/^Unknown fields "extra", "more"\./);
    expect(refusal({ rows: [[1, 'x']] })).toBe('"rows" row 0 is not a record ({"column": value, …})');
    expect(refusal({ dataframe_split: { columns: [1], data: [] } })).toMatch(/^"dataframe_split" must be/);
    expect(refusal({ dataframe_split: { columns: ['a'], data: [[1, 2]] } })).toBe(
      '"dataframe_split" row 0 has 2 values for 1 columns ("a")',
    );
    expect(refusal({ inputs: { a: [1], b: 'x' } })).toBe('"inputs" column "b" must be a list of values');
    expect(refusal({ instances: {} })).toBe('"instances" must be a list of records or a list of lists');
    expect(refusal({ dataframe_records: [] })).toBe('"dataframe_records" holds no rows');
  });
});

describe('an oversized request', () => {
  /** A list of `length` copies of `item` that counts how many of its items are read. */
  function countedList(length: number, item: unknown) {
    const counts = { reads: 0 };
    const list = new Proxy(new Array<unknown>(length).fill(item), {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property)) counts.reads += 1;
        return Reflect.get(target, property, receiver);
      },
    });
    return { list, counts };
  }

  it('is refused on its lists’ lengths, before a single row is built, in every format', () => {
    const shapes: [string, (list: unknown[]) => unknown, unknown][] = [
      ['rows', (list) => ({ rows: list }), { a: 1 }],
      ['dataframe_records', (list) => ({ dataframe_records: list }), { a: 1 }],
      ['dataframe_split', (list) => ({ dataframe_split: { columns: ['a', 'b'], data: list } }), [1, 'x']],
      ['instances', (list) => ({ instances: list }), [1, 'x']],
      ['inputs', (list) => ({ inputs: { a: list, b: list } }), 1],
    ];
    for (const [format, body, item] of shapes) {
      const { list, counts } = countedList(2_000_000, item);
      expect(readRequestRows(body(list), signature)).toEqual({
        ok: false,
        message: `"${format}" holds 2000000 rows; one request takes at most 10000`,
      });
      expect({ format, reads: counts.reads }).toEqual({ format, reads: 0 });
    }
  });
});
