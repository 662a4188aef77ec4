import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Webhook requests are signed, so a receiver can tell they come from this installation and were
 * not changed or replayed later: X-Pipewright-Timestamp is the time of sending in unix seconds, and
 * X-Pipewright-Signature is `sha256=` and the hex HMAC-SHA256 of "<timestamp>.<raw body>" under
 * the webhook's signing secret.
 *
 * The secret is derived, never stored: HKDF-SHA256 of the installation's secret key with the
 * webhook's id and its signing generation. Rotating it is adding one to the generation; the old
 * secret then signs nothing more. The secret is a string (`pwsec_` and 43 base64url characters)
 * and the HMAC key is that string's bytes, as a receiver pastes it.
 */

export const TIMESTAMP_HEADER = 'X-Pipewright-Timestamp';
export const SIGNATURE_HEADER = 'X-Pipewright-Signature';

const SECRET_PREFIX = 'pwsec_';

export function webhookSigningSecret(secretKey: Buffer, webhookId: string, generation: number): string {
  const key = hkdfSync(
    'sha256',
    secretKey,
    Buffer.alloc(0),
    `pipewright webhook signing ${webhookId} generation ${generation}`,
    32,
  );
  return `${SECRET_PREFIX}${Buffer.from(key).toString('base64url')}`;
}

/** The hex HMAC-SHA256 of "<timestamp>.<body>" under the secret string's bytes. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`).digest('hex');
}

/** The two headers of one request, signed at `now`. */
export function signatureHeaders(
  secret: string,
  body: string,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: `sha256=${webhookSignature(secret, timestamp, body)}`,
  };
}
