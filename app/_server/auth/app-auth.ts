import type { Auth } from '../../../runtime/auth/auth';
import { authFromEnv } from '../../../runtime/auth/auth-from-env';
import { database } from '../db';
import { env } from '../env';

declare global {
  // One instance per server process (and across Next's hot reloads in development).
  var pipewrightAuth: Auth | undefined;
}

/** This server's better-auth, made on first use: `next build` imports routes without a secret key. */
export function appAuth(): Auth {
  globalThis.pipewrightAuth ??= authFromEnv(env, database().db);
  return globalThis.pipewrightAuth;
}
