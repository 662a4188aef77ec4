import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { ConnectionLookup } from '../../config/connection-settings';
import { NodeInputError } from '../_kit/errors';
import {
  isConnectionProblem,
  type PostgresSource,
  refusePowerfulRole,
  resolvePostgresSource,
  scrubbedMessage,
} from './postgres-login';
import { checkReadOnlyQuery } from './query-check';

export interface QueryLimits {
  /** Most rows the query may return. */
  rows: number;
  /** Most bytes its rows may take as NDJSON. */
  bytes: number;
}

/**
 * Runs one checked SELECT in a read-only transaction and streams its rows, a cursor batch at a time,
 * into an NDJSON file that DuckDB then reads like any uploaded file. Numbers stay numbers (NUMERIC and
 * BIGINT included). The connection is a stored one (Admin → Connections) or the worker's
 * PIPEWRIGHT_CONNECTION_<NAME>. Its role must not be a superuser or reach the server's files; the
 * statement and idle-in-transaction timeouts apply (5 minutes unless the connection sets them); rows
 * and bytes are capped. Error messages name the host and database, never the password.
 */
export async function exportQuery(options: {
  connection: string;
  query: string;
  file: string;
  env: NodeJS.ProcessEnv;
  /** Stored connections; without it only the environment's are known. */
  lookup: ConnectionLookup | undefined;
  signal: AbortSignal;
  limits: QueryLimits;
}): Promise<number> {
  const source = await resolvePostgresSource(options.connection, options.env, options.lookup);
  await checkReadOnlyQuery(options.query);
  const sql = source.open({ connectTimeoutSeconds: 10 });
  const out = createWriteStream(options.file);
  let rows = 0;
  let bytes = 0;
  try {
    await refusePowerfulRole(sql, source);
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
    throw describeQueryError(error, source);
  } finally {
    out.end();
    await once(out, 'finish').catch(() => {});
    await sql.end({ timeout: 5 });
  }
  if (rows === 0)
    throw new NodeInputError(`The query returned no rows on ${source.where}`, { field: 'query' });
  return rows;
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

/** A failure in words: unreachable database, a timeout (naming it), or the query's own error. */
function describeQueryError(error: unknown, source: PostgresSource): NodeInputError {
  const message = scrubbedMessage(error, source);
  if (/statement timeout/i.test(message))
    return new NodeInputError(
      `The query on ${source.where} ran longer than its statement timeout (${source.timeouts.statement_timeout}); ${source.timeoutAdvice}`,
      { field: 'query' },
    );
  const connectionProblem = isConnectionProblem(message);
  return new NodeInputError(
    connectionProblem
      ? `Cannot reach the database ${source.where}: ${message}`
      : `The query failed on ${source.where}: ${message}`,
    { field: connectionProblem ? 'connection' : 'query' },
  );
}
