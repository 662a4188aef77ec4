import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import postgres from 'postgres';
import { NodeInputError } from '../_kit/errors';
import { checkReadOnlyQuery } from './query-check';

/** Connection strings live in the worker's environment, never in a pipeline: PIPEWRIGHT_CONNECTION_<NAME>. */
export function connectionVariable(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new NodeInputError(`Connection name "${name}" must be letters, digits and _ (e.g. SALES_DB)`, {
      field: 'connection',
    });
  }
  return `PIPEWRIGHT_CONNECTION_${name.toUpperCase()}`;
}

/** How long one statement may run, and a transaction sit idle, unless the connection URL says otherwise. */
export const DEFAULT_TIMEOUT = '5min';

/** Built-in roles that reach the server's files and programs: a connection must be in none of them. */
const SERVER_ACCESS_ROLES = ['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'];

export interface QueryLimits {
  /** Most rows the query may return. */
  rows: number;
  /** Most bytes its rows may take as NDJSON. */
  bytes: number;
}

/**
 * Runs one checked SELECT in a read-only transaction and streams its rows, a cursor batch at a time,
 * into an NDJSON file that DuckDB then reads like any uploaded file. Numbers stay numbers (NUMERIC and
 * BIGINT included). The connection's role must not be a superuser or reach the server's files; the
 * statement and idle-in-transaction timeouts apply (5 minutes unless the URL's options set them); rows
 * and bytes are capped. Error messages name the host and database, never the password.
 */
export async function exportQuery(options: {
  connection: string;
  query: string;
  file: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  limits: QueryLimits;
}): Promise<number> {
  const variable = connectionVariable(options.connection);
  const url = options.env[variable];
  if (!url) {
    throw new NodeInputError(
      `No connection "${options.connection}": set ${variable} on the worker to the database's postgres:// URL`,
      {
        field: 'connection',
      },
    );
  }
  await checkReadOnlyQuery(options.query);
  const where = describeUrl(url);
  const timeouts = timeoutsOf(url, variable);
  const sql = postgres(url, {
    max: 1,
    connect_timeout: 10,
    onnotice: () => {},
    // Startup parameters: in force from the first statement, the role check included.
    connection: {
      statement_timeout: milliseconds(timeouts.statement_timeout),
      idle_in_transaction_session_timeout: milliseconds(timeouts.idle_in_transaction_session_timeout),
    },
    types: {
      numeric: { to: 1700, from: [1700], serialize: String, parse: Number },
      bigint: { to: 20, from: [20], serialize: String, parse: Number },
    },
  });
  const out = createWriteStream(options.file);
  let rows = 0;
  let bytes = 0;
  try {
    await refusePowerfulRole(sql, variable);
    await sql.begin('read only', async (tx) => {
      for await (const batch of tx.unsafe(options.query).cursor(5000)) {
        options.signal.throwIfAborted();
        const text = batch.map((row) => JSON.stringify(row)).join('\n');
        rows += batch.length;
        bytes += Buffer.byteLength(text) + 1;
        refuseBeyondLimits(rows, bytes, options.limits);
        if (text && !out.write(`${text}\n`)) await once(out, 'drain');
      }
    });
  } catch (error) {
    if (options.signal.aborted || error instanceof NodeInputError) throw error;
    throw describeQueryError(error, where, timeouts);
  } finally {
    out.end();
    await once(out, 'finish').catch(() => {});
    await sql.end({ timeout: 5 });
  }
  if (rows === 0) throw new NodeInputError(`The query returned no rows on ${where}`, { field: 'query' });
  return rows;
}

/**
 * Refuses a role that is a superuser or a member of a role reaching the server's files or programs:
 * a read-only transaction does not stop COPY … TO PROGRAM or pg_read_file for those.
 */
async function refusePowerfulRole(sql: postgres.Sql, variable: string): Promise<void> {
  const [role] = await sql<{ name: string; superuser: boolean; powers: string[] }[]>`
    select current_user as name, rolsuper as superuser,
      array(select granted from unnest(${SERVER_ACCESS_ROLES}::text[]) granted
            where pg_has_role(current_user, granted, 'member')) as powers
    from pg_roles where rolname = current_user`;
  if (!role) return;
  // A superuser counts as a member of every role: saying so is enough.
  const reason = role.superuser
    ? 'is a superuser'
    : role.powers.length
      ? `is a member of ${role.powers.join(', ')}`
      : undefined;
  if (!reason) return;
  throw new NodeInputError(
    `${variable} logs in as role "${role.name}", which ${reason}: it could read or write the database server's files, so ingest will not use it. Give the connection a role that can only read, e.g. CREATE ROLE pipewright_reader LOGIN PASSWORD '…'; GRANT pg_read_all_data TO pipewright_reader; and put that role in ${variable}.`,
    { field: 'connection' },
  );
}

function refuseBeyondLimits(rows: number, bytes: number, limits: QueryLimits): void {
  if (rows > limits.rows)
    throw new NodeInputError(
      `The query returns more than ${limits.rows.toLocaleString('en')} rows (Row limit): narrow it with WHERE or LIMIT, or raise the limit`,
      { field: 'maxRows' },
    );
  if (bytes > limits.bytes)
    throw new NodeInputError(
      `The query's rows take more than ${limits.bytes.toLocaleString('en')} bytes (Size limit): select fewer columns or rows, or raise the limit`,
      { field: 'maxBytes' },
    );
}

const TIMEOUT_SETTINGS = ['statement_timeout', 'idle_in_transaction_session_timeout'] as const;
type Timeouts = Record<(typeof TIMEOUT_SETTINGS)[number], string>;

/**
 * The two timeouts, from the URL's libpq-style options (`?options=-c statement_timeout=10min`) or
 * its parameters (`?statement_timeout=10min`), else 5 minutes each.
 */
export function timeoutsOf(url: string, variable: string): Timeouts {
  let search: URLSearchParams;
  try {
    search = new URL(url).searchParams;
  } catch {
    throw new NodeInputError(`${variable} is not a postgres:// URL`, { field: 'connection' });
  }
  const fromOptions = new Map(
    [...(search.get('options') ?? '').matchAll(/(?:-c\s*|--)([a-z_]+)=(\S+)/g)].map((match) => [
      match[1] ?? '',
      match[2] ?? '',
    ]),
  );
  const value = (setting: (typeof TIMEOUT_SETTINGS)[number]) => {
    const given = search.get(setting) ?? fromOptions.get(setting) ?? DEFAULT_TIMEOUT;
    if (!/^\d+\s*(us|ms|s|min|h|d)?$/.test(given))
      throw new NodeInputError(
        `${setting} in ${variable} must be a duration such as 30s, 5min or 1h, not "${given}"`,
        { field: 'connection' },
      );
    return given;
  };
  return {
    statement_timeout: value('statement_timeout'),
    idle_in_transaction_session_timeout: value('idle_in_transaction_session_timeout'),
  };
}

const UNIT_MILLISECONDS = new Map([
  ['us', 0.001],
  ['ms', 1],
  ['s', 1000],
  ['min', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
]);

/** A checked duration in milliseconds, PostgreSQL's unit for both settings (at least 1 unless 0). */
function milliseconds(duration: string): number {
  const match = /^(\d+)\s*([a-z]*)$/.exec(duration);
  const amount = Number(match?.[1] ?? 0) * (UNIT_MILLISECONDS.get(match?.[2] || 'ms') ?? 1);
  return amount > 0 ? Math.max(1, Math.round(amount)) : 0;
}

/** A failure in words: unreachable database, a timeout (naming it), or the query's own error. */
function describeQueryError(error: unknown, where: string, timeouts: Timeouts): NodeInputError {
  const message = error instanceof Error ? error.message : String(error);
  if (/statement timeout/i.test(message))
    return new NodeInputError(
      `The query on ${where} ran longer than its statement timeout (${timeouts.statement_timeout}); set a longer one with ?options=-c statement_timeout=… on the connection URL`,
      { field: 'query' },
    );
  const connectionProblem =
    /ECONNREFUSED|ENOTFOUND|timeout|password authentication|does not exist/i.test(message) &&
    !/relation|column/i.test(message);
  return new NodeInputError(
    connectionProblem
      ? `Cannot reach the database ${where}: ${message}`
      : `The query failed on ${where}: ${message}`,
    { field: connectionProblem ? 'connection' : 'query' },
  );
}

/** host:port/database of a connection string, never its user or password. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable connection string)';
  }
}
