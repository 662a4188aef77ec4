import type { DuckDBValue } from '@duckdb/node-api';
import type postgres from 'postgres';
import { type ConnectionLookup, connectionVariable } from '../../config/connection-settings';
import type { Duck } from '../_data/duck';
import { quoteIdent, quoteIdents } from '../_data/sql';
import { NodeInputError } from '../_kit/errors';
import { scrubbedMessage, storedSource } from '../ingest/postgres-login';
import type { writeModes } from './spec';

/**
 * Batch score's write to PostgreSQL: the scored rows into a table, through a stored connection an
 * admin marked "Allows writes", never an environment one. A path of its own: ingest's connections
 * read in read-only transactions; this one writes, in ONE transaction per step, so a failed step
 * leaves the table as it was. Every row carries the run's id (RUN_ID_COLUMN), which also makes a
 * retried step safe: it replaces its own rows instead of adding them twice.
 */

export const RUN_ID_COLUMN = 'pipewright_run_id';
/** Rows per INSERT: one JSON parameter each, typed by PostgreSQL from the table's own columns. */
const BATCH_ROWS = 10_000;

export interface WriteTarget {
  connection: string;
  table: string;
  mode: (typeof writeModes)[number];
}

export interface ScoredFile {
  file: string;
  columns: readonly { name: string; storage: string }[];
}

export async function writeScoresToPostgres(options: {
  target: WriteTarget;
  duck: Duck;
  scored: ScoredFile;
  runId: string;
  lookup: ConnectionLookup | undefined;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}): Promise<{ rows: number; replaced: number }> {
  const { target, scored } = options;
  const login = await writableLogin(target.connection, options.lookup, options.env);
  if (scored.columns.some((column) => column.name === RUN_ID_COLUMN))
    throw new NodeInputError(`The data already has a column "${RUN_ID_COLUMN}", which the write adds`, {
      field: 'data',
      column: RUN_ID_COLUMN,
    });
  const source = storedSource(login);
  const sql = source.open({ connectTimeoutSeconds: 10 });
  const names = [...scored.columns.map((column) => column.name), RUN_ID_COLUMN];
  try {
    return await sql.begin(async (tx) => {
      const exists = (
        await tx<{ found: boolean }[]>`select to_regclass(${quoted(target.table)}) is not null as found`
      )[0]?.found;
      let replaced = 0;
      if (target.mode === 'create') {
        if (exists) replaced = await replaceOwnTable(tx, target.table, options.runId);
        else await tx.unsafe(createTableSql(target.table, scored.columns));
      } else {
        if (!exists)
          throw new NodeInputError(`Table ${target.table} does not exist: choose "create" to make it`, {
            field: 'writeTable',
          });
        replaced = await deleteRunRows(tx, target.table, options.runId);
      }
      let rows = 0;
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        options.signal.throwIfAborted();
        await tx.unsafe(insertSql(target.table, names), [JSON.stringify(batch)]);
        rows += batch.length;
        batch = [];
      };
      await options.duck.forEachChunk(
        'select * from read_parquet($1)',
        [scored.file],
        async (chunk, count) => {
          for (let row = 0; row < count; row++) {
            const record: Record<string, unknown> = { [RUN_ID_COLUMN]: options.runId };
            scored.columns.forEach((column, index) => {
              record[column.name] = jsonValue(chunk[index]?.[row] ?? null);
            });
            batch.push(record);
            if (batch.length >= BATCH_ROWS) await flush();
          }
        },
      );
      await flush();
      return { rows, replaced };
    });
  } catch (error) {
    if (error instanceof NodeInputError || options.signal.aborted) throw error;
    throw new NodeInputError(
      `Writing to ${target.table} through ${source.label} failed, and nothing was written: ${scrubbedMessage(error, source)}`,
      { field: 'writeTable' },
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The stored login, if an admin allowed writes through it; else an error saying how to allow them. */
async function writableLogin(name: string, lookup: ConnectionLookup | undefined, env: NodeJS.ProcessEnv) {
  const login = await lookup?.(name);
  if (!login) {
    const variable = connectionVariable(name);
    throw new NodeInputError(
      env[variable]
        ? `Connection "${name}" comes from ${variable}, and environment connections are never written to: add it under Admin → Connections and mark it "Allows writes"`
        : `No stored connection is named "${name}": add it under Admin → Connections and mark it "Allows writes"`,
      { field: 'writeConnection' },
    );
  }
  if (!login.allowsWrites)
    throw new NodeInputError(
      `Connection "${login.name}" does not allow writes: an admin can allow them under Admin → Connections`,
      { field: 'writeConnection' },
    );
  return login;
}

/**
 * "create" when the table is already there: a retried step finds the table its first attempt made
 * (every row of this run), and replaces those rows; any other table is not this step's to touch.
 */
async function replaceOwnTable(tx: postgres.TransactionSql, table: string, runId: string): Promise<number> {
  const [column] = await tx<{ found: boolean }[]>`
    select exists(select 1 from information_schema.columns
      where table_schema = coalesce(${schemaOf(table)}, current_schema()) and table_name = ${tableOf(table)}
        and column_name = ${RUN_ID_COLUMN}) as found`;
  const others = column?.found ? await otherRunsRows(tx, table, runId) : 1;
  if (others > 0)
    throw new NodeInputError(
      `Table ${table} already exists: choose "append" to add rows to it, or another name`,
      {
        field: 'writeTable',
      },
    );
  return deleteRunRows(tx, table, runId);
}

/** How many rows of the table another run wrote. */
async function otherRunsRows(tx: postgres.TransactionSql, table: string, runId: string): Promise<number> {
  const [counted] = await tx.unsafe<{ n: string }[]>(
    `select count(*) as n from ${quoted(table)} where ${quoteIdent(RUN_ID_COLUMN)} is distinct from $1`,
    [runId],
  );
  return Number(counted?.n ?? 1);
}

async function deleteRunRows(tx: postgres.TransactionSql, table: string, runId: string): Promise<number> {
  const deleted = await tx.unsafe(`delete from ${quoted(table)} where ${quoteIdent(RUN_ID_COLUMN)} = $1`, [
    runId,
  ]);
  return deleted.count;
}

/**
 * One INSERT of a batch: its rows as one JSON parameter, read into the table's own column types by
 * json_populate_recordset. Names are quoted here (postgres.js's identifier helper would split a
 * column named "a.b" at its dot); the values only ever travel as the parameter.
 */
function insertSql(table: string, names: readonly string[]): string {
  const list = quoteIdents(names);
  return `insert into ${quoted(table)} (${list}) select ${list} from json_populate_recordset(null::${quoted(table)}, $1::text::json)`;
}

function createTableSql(table: string, columns: ScoredFile['columns']): string {
  const definitions = columns.map((column) => `${quoteIdent(column.name)} ${postgresType(column.storage)}`);
  return `create table ${quoted(table)} (${[...definitions, `${quoteIdent(RUN_ID_COLUMN)} text not null`].join(', ')})`;
}

/** DuckDB's storage type as PostgreSQL's; text for what has no counterpart. */
export function postgresType(storage: string): string {
  const type = storage.toUpperCase();
  if (/^(BIGINT|INT8|UINTEGER)$/.test(type)) return 'bigint';
  if (/^(INTEGER|INT4|INT|SMALLINT|INT2|TINYINT|INT1|USMALLINT|UTINYINT)$/.test(type)) return 'integer';
  if (/^(HUGEINT|UBIGINT|UHUGEINT)$/.test(type)) return 'numeric';
  if (/^(DOUBLE|FLOAT8)$/.test(type)) return 'double precision';
  if (/^(FLOAT|FLOAT4|REAL)$/.test(type)) return 'real';
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return `numeric(${decimal[1]}, ${decimal[2]})`;
  if (type === 'BOOLEAN') return 'boolean';
  if (type === 'DATE') return 'date';
  if (/^TIMESTAMP( WITH TIME ZONE|TZ)$/.test(type)) return 'timestamptz';
  if (/^TIMESTAMP/.test(type)) return 'timestamp';
  return 'text';
}

/** A value as the JSON PostgreSQL reads into the column: big integers and dates as text. */
function jsonValue(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  return String(value);
}

/** "schema"."table" or "table": TABLE_NAME has no quotes to escape, but quoting keeps the name exact. */
function quoted(table: string): string {
  return table.split('.').map(quoteIdent).join('.');
}

function schemaOf(table: string): string | null {
  return table.includes('.') ? (table.split('.')[0] ?? null) : null;
}

function tableOf(table: string): string {
  return table.split('.').at(-1) ?? table;
}
