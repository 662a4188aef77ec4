import { ConfigError, type Env, publicUrl } from './env';
import { readServicesFile } from './services-file';

export interface Connections {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
}

/**
 * Where the database and Temporal are: the environment wins; otherwise the services of a running
 * `npm start` for the same DATA_DIR.
 */
export function resolveConnections(env: Env): Connections {
  const running = readServicesFile(env.DATA_DIR);
  const databaseUrl = env.DATABASE_URL ?? running?.databaseUrl;
  const temporalAddress = env.TEMPORAL_ADDRESS ?? running?.temporalAddress;
  if (!databaseUrl || !temporalAddress) {
    throw new ConfigError(
      `No database or Temporal server configured: set DATABASE_URL and TEMPORAL_ADDRESS, or run \`npm start\` (DATA_DIR ${env.DATA_DIR}).`,
    );
  }
  return {
    databaseUrl,
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE,
  };
}

/**
 * Where people reach the app: PIPEWRIGHT_PUBLIC_URL wins; otherwise the address of a running
 * `npm start` for the same DATA_DIR (started with its own PORT, which this process may not share);
 * otherwise http://localhost:PORT.
 */
export function resolveAppUrl(env: Env): URL {
  if (env.PIPEWRIGHT_PUBLIC_URL) return publicUrl(env);
  const running = readServicesFile(env.DATA_DIR)?.appUrl;
  if (running && URL.canParse(running)) return new URL(running);
  return publicUrl(env);
}
