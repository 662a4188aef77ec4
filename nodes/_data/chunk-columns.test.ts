import { DOUBLE, DuckDBDataChunk } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDoubleColumn, requireDoubleColumns, writeDoubleColumn } from './chunk-columns';
import { Duck } from './duck';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

/** Every chunk of a query, each column copied whole with copyDoubleColumn, rows in order. */
async function readDoubles(sql: string, columns: number): Promise<number[][]> {
  const read: number[][] = Array.from({ length: columns }, () => []);
  await duck.forEachDataChunk(sql, [], (chunk) => {
    requireDoubleColumns(chunk, [...read.keys()]);
    for (const [column, values] of read.entries()) {
      const target = new Float64Array(chunk.rowCount);
      copyDoubleColumn(chunk, column, { from: 0, count: chunk.rowCount }, target, 0);
      values.push(...target);
    }
  });
  return read;
}

describe('copyDoubleColumn', () => {
  it('reads every value of many chunks as the client does, missing values as NaN', async () => {
    // 5,000 rows: three chunks, the last one short; a null every 7th row crosses validity words.
    const sql = `select case when i % 7 = 0 then null else i * 0.5 end::double as a, (i * -3)::double as b
      from range(5000) t(i) order by i`;
    const [a, b] = await readDoubles(sql, 2);
    const expected = await duck.all(sql);
    expect(a).toHaveLength(5000);
    expect(a?.map((value) => (Number.isNaN(value) ? null : value))).toEqual(expected.map((row) => row.a));
    expect(b).toEqual(expected.map((row) => row.b));
  });

  it('copies a range of rows to an offset in the target', async () => {
    let copied = new Float64Array(0);
    await duck.forEachDataChunk(
      'select (case when i = 5 then null else i end)::double from range(10) t(i) order by i',
      [],
      (chunk) => {
        copied = new Float64Array(6).fill(-1);
        copyDoubleColumn(chunk, 0, { from: 3, count: 4 }, copied, 2);
      },
    );
    expect(Array.from(copied)).toEqual([-1, -1, 3, 4, Number.NaN, 6]);
  });

  it('refuses a column that is not DOUBLE, naming its type', async () => {
    await expect(
      duck.forEachDataChunk('select 1.5::double as a, 2::bigint as b', [], (chunk) =>
        requireDoubleColumns(chunk, [0, 1]),
      ),
    ).rejects.toThrow('column 1 of the result is BIGINT, not DOUBLE');
  });
});

describe('writeDoubleColumn', () => {
  it('fills a chunk that an appender writes as is', async () => {
    await duck.exec('create table written (x double)');
    const { appender, close } = await duck.appender('written');
    try {
      const chunk = DuckDBDataChunk.create([DOUBLE], 3);
      writeDoubleColumn(chunk, 0, Float64Array.of(1.25, -2, 1e300));
      appender.appendDataChunk(chunk);
    } finally {
      close();
    }
    expect((await duck.all('select x from written')).map((row) => row.x)).toEqual([1.25, -2, 1e300]);
  });
});
