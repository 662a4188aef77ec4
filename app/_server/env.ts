import { type Connections, resolveConnections } from '../../config/connections';
import { type Env, readEnv } from '../../config/env';

export const env: Env = readEnv();

let cached: Connections | undefined;

/** Database and Temporal addresses, read once (the launcher passes them in the environment). */
export function connections(): Connections {
  cached ??= resolveConnections(env);
  return cached;
}
