import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from './secret-key';

/**
 * The short-lived credential the app sends to the serving process when a signed-in user tries a
 * model (the model page's Try it form), instead of anyone's API key: `pwi_<expiry ms>.<user id>.<hmac>`,
 * signed with a key derived from the installation's secret, which both processes read.
 */

/** How the credential starts, so a key check can tell it from an API key (`pw_…`). */
export const SERVING_CREDENTIAL_PREFIX = 'pwi_';
/** Long enough for one request through the app's forwarding, short enough to be useless if logged. */
export const SERVING_CREDENTIAL_SECONDS = 60;

function signature(secret: Buffer, payload: string): string {
  return createHmac('sha256', deriveKey(secret, 'serving')).update(payload).digest('base64url');
}

/** A credential for `userId`, valid for SERVING_CREDENTIAL_SECONDS from `now`. */
export function issueServingCredential(secret: Buffer, userId: string, now = Date.now()): string {
  const payload = `${now + SERVING_CREDENTIAL_SECONDS * 1000}.${userId}`;
  return `${SERVING_CREDENTIAL_PREFIX}${payload}.${signature(secret, payload)}`;
}

/** The user id a valid, unexpired credential was issued for; undefined for anything else. */
export function verifyServingCredential(secret: Buffer, token: string, now = Date.now()): string | undefined {
  if (!token.startsWith(SERVING_CREDENTIAL_PREFIX)) return undefined;
  const body = token.slice(SERVING_CREDENTIAL_PREFIX.length);
  const cut = body.lastIndexOf('.');
  if (cut < 0) return undefined;
  const payload = body.slice(0, cut);
  const given = Buffer.from(body.slice(cut + 1));
  const expected = Buffer.from(signature(secret, payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const dot = payload.indexOf('.');
  const expiry = Number(payload.slice(0, dot));
  const userId = payload.slice(dot + 1);
  if (!Number.isFinite(expiry) || expiry < now || userId === '') return undefined;
  return userId;
}
