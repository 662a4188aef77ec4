import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck } from '../nodes/_data/duck';
import { nodeRuns } from '../nodes/runs';
import { createTestDatabase, type TestDatabase } from './support/database';
import { NodeHarness } from './support/node-harness';

let database: TestDatabase;
const harness = new NodeHarness();

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  await database.sql.unsafe(`
    create table sales ("x""; drop table t; --" text, amount numeric(10, 2), units bigint, sold_on date, paid boolean);
    insert into sales values ('a', 12.50, 3, '2026-01-02', true), ('b''; drop', null, 9007199254740, '2026-02-03', false);`);
  process.env.PIPEWRIGHT_CONNECTION_SALES_DB = database.url;
});
afterAll(async () => {
  delete process.env.PIPEWRIGHT_CONNECTION_SALES_DB;
  harness.cleanup();
  await database?.drop();
});

const ingest = (config: Record<string, unknown>) =>
  harness.run(nodeRuns.ingest, { source: 'postgres', connection: 'sales_db', ...config });

describe('ingest from PostgreSQL', () => {
  it('streams a query into a dataset, numbers staying numbers and names intact', async () => {
    const result = await ingest({ query: 'select * from sales order by units' });
    expect(result.summary).toMatchObject({ rows: 2, columns: 5 });
    const duck = await Duck.open();
    try {
      const rows = await duck.all('select * from read_parquet($1)', [
        new URL(result.outputs.data?.uri ?? '').pathname,
      ]);
      expect(rows).toEqual([
        {
          'x"; drop table t; --': 'a',
          amount: 12.5,
          units: 3,
          sold_on: '2026-01-02T00:00:00.000Z',
          paid: true,
        },
        {
          'x"; drop table t; --': "b'; drop",
          amount: null,
          units: 9007199254740,
          sold_on: '2026-02-03T00:00:00.000Z',
          paid: false,
        },
      ]);
    } finally {
      duck.close();
    }
  });

  it('runs the query read-only', async () => {
    await expect(ingest({ query: 'delete from sales returning *' })).rejects.toThrow(
      /^The query failed on 127\.0\.0\.1:\d+\/test_\w+: cannot execute DELETE in a read-only transaction$/,
    );
    const [count] = await database.sql<{ n: number }[]>`select count(*)::int as n from sales`;
    expect(count?.n).toBe(2);
  });

  it('names a missing connection, an unreachable database and an empty result, never the password', async () => {
    await expect(ingest({ connection: 'nowhere', query: 'select 1' })).rejects.toThrow(
      'No connection "nowhere": set PIPEWRIGHT_CONNECTION_NOWHERE on the worker',
    );
    process.env.PIPEWRIGHT_CONNECTION_DOWN = 'postgres://admin:s3cret@127.0.0.1:1/warehouse';
    const down = ingest({ connection: 'down', query: 'select 1' });
    await expect(down).rejects.toThrow(/^Cannot reach the database 127\.0\.0\.1:1\/warehouse: /);
    await expect(down).rejects.not.toThrow(/s3cret/);
    delete process.env.PIPEWRIGHT_CONNECTION_DOWN;
    await expect(ingest({ query: 'select * from sales where false' })).rejects.toThrow(
      /^The query returned no rows on /,
    );
  });
});
