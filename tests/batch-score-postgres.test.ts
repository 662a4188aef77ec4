/**
 * Batch score's write to PostgreSQL, against a real database as an outside one: a writer role that
 * may create tables, a stored connection marked "Allows writes" (and one that is not), create and
 * append in one transaction each, the run id on every row, a retried step replacing its own rows,
 * and a failed write leaving the table as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionLogin } from '../config/connection-settings';
import type { ArtifactRef } from '../nodes/_kit/artifact-ref';
import { nodeRuns } from '../nodes/runs';
import { trainCustomerModel } from './support/customer-model';
import { createTestDatabase, type TestDatabase } from './support/database';
import { NodeHarness } from './support/node-harness';
import { readDataset } from './support/test-dataset';

let database: TestDatabase;
const harness = new NodeHarness();
let writer = '';
let raw: ArtifactRef;
let model: ArtifactRef;

function login(name: string, allowsWrites: boolean): ConnectionLogin {
  const url = new URL(database.url);
  return {
    name,
    host: url.hostname,
    port: Number(url.port),
    database: database.name,
    username: writer,
    password: 'writer-secret',
    options: { sslmode: 'disable' },
    allowsWrites,
  };
}

const connections = async (name: string) =>
  name === 'SCORES_DB' ? login('SCORES_DB', true) : name === 'READ_DB' ? login('READ_DB', false) : undefined;

const score = (config: Record<string, unknown>) =>
  harness.run(nodeRuns.score, config, { data: raw, model }, { ports: { connections } });

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  writer = `${database.name}_writer`;
  await database.sql.unsafe(`
    create schema marts;
    create role "${writer}" login password 'writer-secret';
    grant create, usage on schema public, marts to "${writer}";`);
  ({ raw, model } = await trainCustomerModel(harness));
}, 120_000);

afterAll(async () => {
  harness.cleanup();
  if (database) {
    await database.sql.unsafe(`drop owned by "${writer}"; drop role "${writer}";`);
    await database.drop();
  }
});

describe('Batch score writing to PostgreSQL', () => {
  it('creates the table with the scored rows and the run id, in the types of the data', async () => {
    const result = await score({ writeConnection: 'SCORES_DB', writeTable: 'marts.churn_scores' });
    expect(result.summary).toMatchObject({ written: '600 rows to marts.churn_scores (create)' });
    const columns = await database.sql<{ name: string; type: string }[]>`
      select column_name as name, data_type as type from information_schema.columns
      where table_schema = 'marts' and table_name = 'churn_scores' order by ordinal_position`;
    expect(columns.map((column) => column.name)).toEqual([
      'id',
      'tenure',
      'plan',
      'member',
      'left',
      '_split',
      'prediction',
      'probability_no',
      'probability_yes',
      'pipewright_run_id',
    ]);
    expect(columns.find((column) => column.name === 'prediction')?.type).toBe('text');
    expect(columns.find((column) => column.name === 'probability_yes')?.type).toBe('double precision');
    expect(columns.find((column) => column.name === 'id')?.type).toBe('bigint');
    const scored = await readDataset(result.outputs.scored);
    const written = await database.sql<{ id: number; prediction: string; yes: number; run: string }[]>`
      select id, prediction, probability_yes as yes, pipewright_run_id as run from marts.churn_scores order by id`;
    expect(written).toHaveLength(600);
    const byId = new Map(scored.rows.map((row) => [Number(row.id), row]));
    for (const row of written) {
      expect(row.prediction).toBe(byId.get(Number(row.id))?.prediction);
      expect(row.yes).toBeCloseTo(Number(byId.get(Number(row.id))?.probability_yes), 6);
      expect(row.run).toBe('test-run');
    }
  });

  it('lets a retried step replace its own rows; appends; refuses a table another run made', async () => {
    // The same run again (a retry): create finds its own table and replaces its rows.
    const retried = await score({ writeConnection: 'SCORES_DB', writeTable: 'marts.churn_scores' });
    expect(retried.logs.map((log) => log.message)).toContain(
      'Wrote 600 rows to marts.churn_scores through connection "SCORES_DB" (replacing 600 of an earlier attempt)',
    );
    const count = async () =>
      Number((await database.sql`select count(*) as n from marts.churn_scores`)[0]?.n);
    expect(await count()).toBe(600);
    // Rows of another run: append keeps them, adding this run's once.
    await database.sql`update marts.churn_scores set pipewright_run_id = 'earlier-run' where id < 100`;
    await score({ writeConnection: 'SCORES_DB', writeTable: 'marts.churn_scores', writeMode: 'append' });
    expect(await count()).toBe(700);
    await expect(
      score({ writeConnection: 'SCORES_DB', writeTable: 'marts.churn_scores' }),
    ).rejects.toMatchObject({
      message: 'Table marts.churn_scores already exists: choose "append" to add rows to it, or another name',
      details: { field: 'writeTable' },
    });
    expect(await count()).toBe(700);
  });

  it('writes nothing when the write fails, its own earlier rows included, and says why without secrets', async () => {
    await score({ writeConnection: 'SCORES_DB', writeTable: 'atomic_scores' });
    // From now on this run may write only ids below 300: its second write fails after deleting its
    // earlier rows and inserting some, and all of that must roll back.
    await database.sql.unsafe(`
      alter table public.atomic_scores add constraint only_low_ids
        check (pipewright_run_id <> 'test-run' or id < 300) not valid`);
    const failure = await score({
      writeConnection: 'SCORES_DB',
      writeTable: 'atomic_scores',
      writeMode: 'append',
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      message: expect.stringMatching(
        /^Writing to atomic_scores through connection "SCORES_DB" failed, and nothing was written: .*only_low_ids/,
      ),
      details: { field: 'writeTable' },
    });
    expect(String(failure)).not.toContain('writer-secret');
    const [kept] = await database.sql<{ n: string; high: string }[]>`
      select count(*) as n, count(*) filter (where id >= 300) as high from public.atomic_scores`;
    expect(kept).toEqual({ n: '600', high: '300' });
  });

  it('refuses a connection without "Allows writes", an environment one, an unknown table or half a target', async () => {
    await expect(score({ writeConnection: 'READ_DB', writeTable: 'anything' })).rejects.toMatchObject({
      message:
        'Connection "READ_DB" does not allow writes: an admin can allow them under Admin → Connections',
      details: { field: 'writeConnection' },
    });
    process.env.PIPEWRIGHT_CONNECTION_ENV_DB = database.url;
    try {
      await expect(score({ writeConnection: 'ENV_DB', writeTable: 'anything' })).rejects.toMatchObject({
        message: expect.stringContaining('environment connections are never written to'),
      });
    } finally {
      delete process.env.PIPEWRIGHT_CONNECTION_ENV_DB;
    }
    await expect(
      score({ writeConnection: 'SCORES_DB', writeTable: 'missing_table', writeMode: 'append' }),
    ).rejects.toMatchObject({ message: 'Table missing_table does not exist: choose "create" to make it' });
    await expect(score({ writeTable: 'anything' })).rejects.toMatchObject({
      details: { field: 'writeConnection' },
    });
  });
});
