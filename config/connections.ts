import { ConfigError, type Env } from './env';
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
