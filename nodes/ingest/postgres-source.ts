import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import postgres from 'postgres';
import { NodeInputError } from '../_kit/errors';

/** Connection strings live in the worker's environment, never in a pipeline: PIPEWRIGHT_CONNECTION_<NAME>. */
export function connectionVariable(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new NodeInputError(`Connection name "${name}" must be letters, digits and _ (e.g. SALES_DB)`, {
      field: 'connection',
    });
  }
  return `PIPEWRIGHT_CONNECTION_${name.toUpperCase()}`;
}

/**
 * Runs a query in a read-only transaction and streams its rows, a cursor batch at a time, into an
 * NDJSON file that DuckDB then reads like any uploaded file. Numbers stay numbers (NUMERIC and BIGINT
 * included). Error messages name the host and database, never the password.
 */
export async function exportQuery(options: {
  connection: string;
  query: string;
  file: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
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
  const where = describeUrl(url);
  const sql = postgres(url, {
    max: 1,
    connect_timeout: 10,
    onnotice: () => {},
    types: {
      numeric: { to: 1700, from: [1700], serialize: String, parse: Number },
      bigint: { to: 20, from: [20], serialize: String, parse: Number },
    },
  });
  const out = createWriteStream(options.file);
  let rows = 0;
  try {
    await sql.begin('read only', async (tx) => {
      for await (const batch of tx.unsafe(options.query).cursor(5000)) {
        options.signal.throwIfAborted();
        const text = batch.map((row) => JSON.stringify(row)).join('\n');
        if (text && !out.write(`${text}\n`)) await once(out, 'drain');
        rows += batch.length;
      }
    });
  } catch (error) {
    if (options.signal.aborted || error instanceof NodeInputError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const connectionProblem =
      /ECONNREFUSED|ENOTFOUND|timeout|password authentication|does not exist/i.test(message) &&
      !/relation|column/i.test(message);
    throw new NodeInputError(
      connectionProblem
        ? `Cannot reach the database ${where}: ${message}`
        : `The query failed on ${where}: ${message}`,
      {
        field: connectionProblem ? 'connection' : 'query',
      },
    );
  } finally {
    out.end();
    await once(out, 'finish').catch(() => {});
    await sql.end({ timeout: 5 });
  }
  if (rows === 0) throw new NodeInputError(`The query returned no rows on ${where}`, { field: 'query' });
  return rows;
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
