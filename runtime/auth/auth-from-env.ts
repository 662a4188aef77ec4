import { type Env, publicUrl } from '../../config/env';
import { deriveKey, readSecretKey } from '../../config/secret-key';
import type { Database } from '../../db/client';
import { type Auth, createAuth } from './auth';

/** The names a local browser may open the app at: the proxy answers them too (request-origin.ts). */
function loopbackOrigins(port: string | number): string[] {
  return ['localhost', '127.0.0.1', '[::1]'].map((host) => `http://${host}:${port}`);
}

/**
 * The installation's better-auth, as configured by its environment: sessions signed with the key
 * derived from the secret key, links and cookies for the public URL, sign-in also from loopback
 * names, client addresses read past the trusted proxies. The server and the CLI build it here, so both hash keys and sign sessions the same way.
 * Throws the secret key's one-line ConfigError when there is none.
 */
export function authFromEnv(env: Env, db: Database): Auth {
  return createAuth({
    db,
    secret: deriveKey(readSecretKey(env), 'sessions'),
    publicOrigin: publicUrl(env),
    otherOrigins: loopbackOrigins(env.PORT),
    trustedProxies: env.PIPEWRIGHT_TRUSTED_PROXIES,
  });
}
