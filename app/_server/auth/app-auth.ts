import { publicUrl } from '../../../config/env';
import { deriveKey, readSecretKey } from '../../../config/secret-key';
import { type Auth, createAuth } from '../../../runtime/auth/auth';
import { database } from '../db';
import { env } from '../env';

declare global {
  // One instance per server process (and across Next's hot reloads in development).
  var pipewrightAuth: Auth | undefined;
}

/** This server's better-auth, made on first use: `next build` imports routes without a secret key. */
export function appAuth(): Auth {
  globalThis.pipewrightAuth ??= createAuth({
    db: database().db,
    secret: deriveKey(readSecretKey(env), 'sessions'),
    publicOrigin: publicUrl(env),
    // The proxy answers loopback names too (request-origin.ts), so sign-in works at any of them.
    otherOrigins: ['localhost', '127.0.0.1', '[::1]'].map((host) => `http://${host}:${env.PORT}`),
    trustedProxies: env.PIPEWRIGHT_TRUSTED_PROXIES,
  });
  return globalThis.pipewrightAuth;
}
