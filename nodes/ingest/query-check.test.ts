import { describe, expect, it } from 'vitest';
import { checkReadOnlyQuery } from './query-check';

describe('checkReadOnlyQuery', () => {
  it('accepts one SELECT, with CTEs, subqueries, joins and ordinary functions', async () => {
    for (const query of [
      'select 1',
      'with a as (select 1 as x) select x from a',
      "select lower(name), count(*) from (select 'A' as name) s group by 1 order by 2 desc limit 5",
      'select * from a join b using (id) where exists (select 1 from c where c.id = a.id)',
    ])
      await expect(checkReadOnlyQuery(query), query).resolves.toBeUndefined();
  });

  it('finds a refused function or a write wherever it hides', async () => {
    const refused: [string, RegExp][] = [
      ["select (select pg_read_binary_file('/etc/passwd')) as x", /calls pg_read_binary_file\(\)/],
      ['select * from sales where id in (select lo_get(16384))', /calls lo_get\(\)/],
      ["select * from dblink('host=x', 'select 1') as t(a int)", /calls dblink\(\)/],
      ['with a as (insert into t values (1) returning *) select * from a', /contains an INSERT statement/],
      ['with a as (update t set x = 1 returning *) select * from a', /contains an UPDATE statement/],
      ['create table t (x int)', /the query is a CREATE TABLE statement/],
      ['set statement_timeout = 0', /the query is a SET statement/],
      [' ; ', /the query has 0 statements/],
    ];
    for (const [query, message] of refused)
      await expect(checkReadOnlyQuery(query), query).rejects.toThrow(message);
  });
});
