import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck } from '../nodes/_data/duck';
import { nodeRuns } from '../nodes/runs';
import { createTestDatabase, type TestDatabase } from './support/database';
import { NodeHarness } from './support/node-harness';

let database: TestDatabase;
const harness = new NodeHarness();
/** Roles are shared by the whole server: named after this file's database, so files never collide. */
let reader = '';
let fileReader = '';

/** The test database's URL with another role, and optional query parameters. */
function urlAs(role: string, search = ''): string {
  const url = new URL(database.url);
  url.username = role;
  url.password = 'reader-secret';
  url.search = search;
  return url.toString();
}

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  reader = `${database.name}_reader`;
  fileReader = `${database.name}_files`;
  await database.sql.unsafe(`
    create table sales ("x""; drop table t; --" text, amount numeric(10, 2), units bigint, sold_on date, paid boolean);
    insert into sales values ('a', 12.50, 3, '2026-01-02', true), ('b''; drop', null, 9007199254740, '2026-02-03', false);
    create sequence ticket;
    create role "${reader}" login password 'reader-secret';
    grant select on sales to "${reader}";
    grant usage on sequence ticket to "${reader}";
    create role "${fileReader}" login password 'reader-secret' in role pg_read_server_files;`);
  // The test database's own role is a superuser: the connection it gives is refused.
  process.env.PIPEWRIGHT_CONNECTION_ADMIN_DB = database.url;
  process.env.PIPEWRIGHT_CONNECTION_FILES_DB = urlAs(fileReader);
  process.env.PIPEWRIGHT_CONNECTION_SALES_DB = urlAs(reader);
});
afterAll(async () => {
  for (const name of ['ADMIN_DB', 'FILES_DB', 'SALES_DB', 'SHORT_DB'])
    delete process.env[`PIPEWRIGHT_CONNECTION_${name}`];
  harness.cleanup();
  if (database) {
    await database.sql.unsafe(
      `drop owned by "${reader}", "${fileReader}"; drop role "${reader}"; drop role "${fileReader}";`,
    );
    await database.drop();
  }
});

const ingest = (config: Record<string, unknown>) =>
  harness.run(nodeRuns.ingest, { source: 'postgres', connection: 'sales_db', ...config });

async function rowsOf(result: Awaited<ReturnType<typeof ingest>>): Promise<Record<string, unknown>[]> {
  const duck = await Duck.open();
  try {
    return await duck.all('select * from read_parquet($1)', [
      new URL(result.outputs.data?.uri ?? '').pathname,
    ]);
  } finally {
    duck.close();
  }
}

describe('ingest from PostgreSQL', () => {
  it('streams a query into a dataset, numbers staying numbers and names intact', async () => {
    const result = await ingest({ query: 'select * from sales order by units' });
    expect(result.summary).toMatchObject({ rows: 2, columns: 5 });
    expect(await rowsOf(result)).toEqual([
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
  });

  it('accepts one SELECT or WITH only, refusing writes, COPY and file, large-object, dblink and admin functions', async () => {
    const refusals: [string, string][] = [
      [
        'delete from sales returning *',
        'Only a SELECT (or WITH … SELECT) can be run; the query is a DELETE statement',
      ],
      [
        "copy sales to program 'id'",
        'Only a SELECT (or WITH … SELECT) can be run; the query is a COPY statement',
      ],
      [
        "copy (select 1) to '/tmp/x'",
        'Only a SELECT (or WITH … SELECT) can be run; the query is a COPY statement',
      ],
      ['select 1; select 2', 'Write one SELECT statement; the query has 2 statements'],
      [
        'with gone as (delete from sales returning *) select * from gone',
        'Only reading is allowed; the query contains a DELETE statement',
      ],
      ['select * into copied from sales', 'SELECT … INTO creates a table; write a plain SELECT'],
    ];
    for (const name of [
      "pg_catalog.pg_read_file('/etc/hostname')",
      "pg_ls_dir('.')",
      "lo_import('/etc/hostname')",
      "dblink('host=elsewhere', 'select 1')",
      'pg_terminate_backend(1)',
      "set_config('statement_timeout', '0', false)",
      "query_to_xml('select 1', true, true, '')",
    ]) {
      const bare = name.replace(/^pg_catalog\./, '').replace(/\(.*$/, '');
      refusals.push([
        `select ${name} as x`,
        `The query calls ${bare}(), which ingest does not allow (server files, large objects, other databases or administration)`,
      ]);
    }
    for (const [query, message] of refusals) {
      await expect(ingest({ query }), query).rejects.toMatchObject({
        name: 'NodeInputError',
        message,
        details: { field: 'query' },
      });
    }
    await expect(ingest({ query: 'selec 1' })).rejects.toThrow(
      'The query is not valid SQL: syntax error at or near "selec" (at character 1)',
    );
    const withClause = await ingest({
      query: 'with paid as (select * from sales where paid) select units from paid',
    });
    expect(await rowsOf(withClause)).toEqual([{ units: 3 }]);
  });

  it('runs the query read-only, behind the parser', async () => {
    await expect(ingest({ query: "select nextval('ticket') as n" })).rejects.toThrow(
      /^The query failed on 127\.0\.0\.1:\d+\/test_\w+: cannot execute nextval\(\) in a read-only transaction$/,
    );
    const [count] = await database.sql<{ n: number }[]>`select count(*)::int as n from sales`;
    expect(count?.n).toBe(2);
  });

  it('refuses a superuser or a role that reaches the server files, naming the role and what to do', async () => {
    const [admin] = await database.sql<{ name: string }[]>`select current_user as name`;
    await expect(ingest({ connection: 'admin_db', query: 'select 1 as x' })).rejects.toMatchObject({
      name: 'NodeInputError',
      message: `PIPEWRIGHT_CONNECTION_ADMIN_DB logs in as role "${admin?.name}", which is a superuser: it could read or write the database server's files, so ingest will not use it. Give the connection a role that can only read, e.g. CREATE ROLE pipewright_reader LOGIN PASSWORD '…'; GRANT pg_read_all_data TO pipewright_reader; and put that role in PIPEWRIGHT_CONNECTION_ADMIN_DB.`,
      details: { field: 'connection' },
    });
    await expect(ingest({ connection: 'files_db', query: 'select 1 as x' })).rejects.toThrow(
      `PIPEWRIGHT_CONNECTION_FILES_DB logs in as role "${fileReader}", which is a member of pg_read_server_files: `,
    );
  });

  it('sets statement and idle-in-transaction timeouts, 5 minutes unless the URL options say otherwise', async () => {
    const settings =
      "select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle";
    expect(await rowsOf(await ingest({ query: settings }))).toEqual([{ statement: '5min', idle: '5min' }]);
    process.env.PIPEWRIGHT_CONNECTION_SHORT_DB = urlAs(
      reader,
      `?options=${encodeURIComponent('-c statement_timeout=100ms -c idle_in_transaction_session_timeout=2s')}`,
    );
    expect(await rowsOf(await ingest({ connection: 'short_db', query: settings }))).toEqual([
      { statement: '100ms', idle: '2s' },
    ]);
    await expect(ingest({ connection: 'short_db', query: 'select pg_sleep(2) as slept' })).rejects.toThrow(
      /^The query on 127\.0\.0\.1:\d+\/test_\w+ ran longer than its statement timeout \(100ms\); set a longer one with \?options=-c statement_timeout=… on the connection URL$/,
    );
    process.env.PIPEWRIGHT_CONNECTION_SHORT_DB = urlAs(reader, '?statement_timeout=soon');
    await expect(ingest({ connection: 'short_db', query: settings })).rejects.toThrow(
      'statement_timeout in PIPEWRIGHT_CONNECTION_SHORT_DB must be a duration such as 30s, 5min or 1h, not "soon"',
    );
  });

  it('caps the rows and bytes a query may return', async () => {
    await expect(ingest({ query: 'select * from sales', maxRows: 1 })).rejects.toMatchObject({
      message:
        'The query returns more than 1 rows (Row limit): narrow it with WHERE or LIMIT, or raise the limit',
      details: { field: 'maxRows' },
    });
    await expect(ingest({ query: 'select * from sales', maxBytes: 50 })).rejects.toMatchObject({
      message:
        "The query's rows take more than 50 bytes (Size limit): select fewer columns or rows, or raise the limit",
      details: { field: 'maxBytes' },
    });
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
