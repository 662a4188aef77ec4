import postgres from 'postgres';
import {
  CONNECTION_NAME,
  type ConnectionLogin,
  type ConnectionLookup,
  connectionVariable,
  scrubSecrets,
} from '../../config/connection-settings';
import { NodeInputError } from '../_kit/errors';

/** How long one statement may run, and a transaction sit idle, unless the connection says otherwise. */
export const DEFAULT_TIMEOUT = '5min';

/** Built-in roles that reach the server's files and programs: a connection must be in none of them. */
const SERVER_ACCESS_ROLES = ['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'];

const TIMEOUT_SETTINGS = ['statement_timeout', 'idle_in_transaction_session_timeout'] as const;
export type Timeouts = Record<(typeof TIMEOUT_SETTINGS)[number], string>;

/** A connection an ingest step may open: stored (Admin → Connections) or a URL in the worker's environment. */
export interface PostgresSource {
  /** How messages name it: `connection "SALES_DB"` or `PIPEWRIGHT_CONNECTION_SALES_DB`. */
  label: string;
  /** host:port/database, never the user or password. */
  where: string;
  timeouts: Timeouts;
  /** Where the role is changed, ending the refusal's advice. */
  roleAdvice: string;
  /** How to allow a longer statement. */
  timeoutAdvice: string;
  /** Masked in every message: the password and the URL holding it. */
  secrets: string[];
  /** A one-connection pool with the timeouts as startup parameters. */
  open(options: { connectTimeoutSeconds: number }): postgres.Sql;
}

/** Numbers stay numbers in the exported rows (NUMERIC and BIGINT included). */
const numberTypes = {
  numeric: { to: 1700, from: [1700], serialize: String, parse: Number },
  bigint: { to: 20, from: [20], serialize: String, parse: Number },
};

/**
 * The connection a name stands for: a stored one first (the worker's look-up), else the URL in
 * PIPEWRIGHT_CONNECTION_<NAME>. A name that is neither says where to add it.
 */
export async function resolvePostgresSource(
  name: string,
  env: NodeJS.ProcessEnv,
  lookup: ConnectionLookup | undefined,
): Promise<PostgresSource> {
  if (!CONNECTION_NAME.test(name)) {
    throw new NodeInputError(`Connection name "${name}" must be letters, digits and _ (e.g. SALES_DB)`, {
      field: 'connection',
    });
  }
  const stored = await lookup?.(name);
  if (stored) return storedSource(stored);
  const variable = connectionVariable(name);
  const url = env[variable];
  if (!url) {
    throw new NodeInputError(
      `No connection "${name}": set ${variable} on the worker to the database's postgres:// URL, or add the connection under Admin → Connections`,
      { field: 'connection' },
    );
  }
  return environmentSource(url, variable);
}

/** A stored connection: every part passed separately to the driver, never spliced into a URL. */
export function storedSource(login: ConnectionLogin): PostgresSource {
  const label = `connection "${login.name}"`;
  const { statementTimeoutMs, sslmode, applicationName } = login.options;
  const timeouts: Timeouts = {
    statement_timeout: statementTimeoutMs === undefined ? DEFAULT_TIMEOUT : `${statementTimeoutMs}ms`,
    idle_in_transaction_session_timeout: DEFAULT_TIMEOUT,
  };
  return {
    label,
    where: `${login.host}:${login.port}/${login.database}`,
    timeouts,
    roleAdvice: `use that role in ${label} (Admin → Connections)`,
    timeoutAdvice: `raise the statement timeout of ${label} under Admin → Connections`,
    secrets: login.password ? [login.password] : [],
    open: ({ connectTimeoutSeconds }) =>
      postgres({
        host: login.host,
        port: login.port,
        database: login.database,
        username: login.username,
        password: login.password,
        ssl: sslmode === 'disable' ? false : sslmode,
        max: 1,
        connect_timeout: connectTimeoutSeconds,
        onnotice: () => {},
        connection: {
          ...startupTimeouts(timeouts),
          application_name: applicationName || 'pipewright',
        },
        types: numberTypes,
      }),
  };
}

/** A PIPEWRIGHT_CONNECTION_<NAME> URL, handed whole to the driver. */
export function environmentSource(url: string, variable: string): PostgresSource {
  const timeouts = timeoutsOf(url, variable);
  return {
    label: variable,
    where: describeUrl(url),
    timeouts,
    roleAdvice: `put that role in ${variable}`,
    timeoutAdvice: 'set a longer one with ?options=-c statement_timeout=… on the connection URL',
    secrets: [url, passwordOf(url)],
    open: ({ connectTimeoutSeconds }) =>
      postgres(url, {
        max: 1,
        connect_timeout: connectTimeoutSeconds,
        onnotice: () => {},
        // Startup parameters: in force from the first statement, the role check included.
        connection: startupTimeouts(timeouts),
        types: numberTypes,
      }),
  };
}

function startupTimeouts(timeouts: Timeouts) {
  return {
    statement_timeout: milliseconds(timeouts.statement_timeout),
    idle_in_transaction_session_timeout: milliseconds(timeouts.idle_in_transaction_session_timeout),
  };
}

/**
 * Refuses a role that is a superuser or a member of a role reaching the server's files or programs:
 * a read-only transaction does not stop COPY … TO PROGRAM or pg_read_file for those.
 */
export async function refusePowerfulRole(sql: postgres.Sql, source: PostgresSource): Promise<string> {
  const [role] = await sql<{ name: string; superuser: boolean; powers: string[] }[]>`
    select current_user as name, rolsuper as superuser,
      array(select granted from unnest(${SERVER_ACCESS_ROLES}::text[]) granted
            where pg_has_role(current_user, granted, 'member')) as powers
    from pg_roles where rolname = current_user`;
  if (!role) return '';
  // A superuser counts as a member of every role: saying so is enough.
  const reason = role.superuser
    ? 'is a superuser'
    : role.powers.length
      ? `is a member of ${role.powers.join(', ')}`
      : undefined;
  if (!reason) return role.name;
  throw new NodeInputError(
    `${capitalised(source.label)} logs in as role "${role.name}", which ${reason}: it could read or write the database server's files, so ingest will not use it. Give the connection a role that can only read, e.g. CREATE ROLE pipewright_reader LOGIN PASSWORD '…'; GRANT pg_read_all_data TO pipewright_reader; and ${source.roleAdvice}.`,
    { field: 'connection' },
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whether a driver error means the database was not reached or refused the login. */
export function isConnectionProblem(message: string): boolean {
  return (
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|timeout|password authentication|does not exist|SSL|no pg_hba/i.test(
      message,
    ) && !/relation|column|function/i.test(message)
  );
}

/** A driver error's message with the source's secrets masked. */
export function scrubbedMessage(error: unknown, source: PostgresSource): string {
  return scrubSecrets(error instanceof Error ? error.message : String(error), source.secrets);
}

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

/** host:port/database of a connection string, never its user or password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable connection string)';
  }
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
