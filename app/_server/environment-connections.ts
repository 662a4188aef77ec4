import { CONNECTION_NAME, connectionVariable } from '../../config/connection-settings';

const PREFIX = 'PIPEWRIGHT_CONNECTION_';

/** process.env, or any set of variables (tests pass their own). */
type Environment = Record<string, string | undefined>;

/** A PIPEWRIGHT_CONNECTION_<NAME> of this server, its URL's parts read for the list (never the password). */
export interface EnvironmentConnection {
  name: string;
  url: string;
  host: string;
  port: number | undefined;
  database: string;
  username: string;
  hasPassword: boolean;
}

/** The server's environment connections, by name; a name the pattern refuses is left out. */
export function environmentConnections(env: Environment): EnvironmentConnection[] {
  return Object.entries(env)
    .filter((entry): entry is [string, string] => entry[0].startsWith(PREFIX) && Boolean(entry[1]))
    .map(([variable, url]) => describe(variable.slice(PREFIX.length), url))
    .filter(({ name }) => CONNECTION_NAME.test(name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The URL of the environment connection a name stands for (names ignore case, like the variables). */
export function environmentUrl(env: Environment, name: string): string | undefined {
  const wanted = connectionVariable(name);
  return environmentConnections(env).find((found) => connectionVariable(found.name) === wanted)?.url;
}

function describe(name: string, url: string): EnvironmentConnection {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  return {
    name,
    url,
    host: parsed?.hostname || '(not a postgres:// URL)',
    port: parsed ? Number(parsed.port || 5432) : undefined,
    database: decoded(parsed?.pathname.replace(/^\//, '') ?? ''),
    username: decoded(parsed?.username ?? ''),
    hasPassword: Boolean(parsed?.password),
  };
}

/** A URL part as written by a person: percent-escapes decoded when they are well formed. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
