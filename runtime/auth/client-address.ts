import type { BetterAuthOptions } from 'better-auth';
import { getIP } from 'better-auth/api';

/**
 * The client's address, exactly as better-auth's rate limiter reads it, so the audit log names the
 * address the per-address limit counted.
 *
 * How far to trust it: Next sets X-Forwarded-For to the socket's address only when the request has
 * none, and a route handler sees no socket. So without a reverse proxy a client can name any
 * address it likes (one address per request; a list is not trusted and reads as unknown). With
 * PIPEWRIGHT_TRUSTED_PROXIES, the proxies that append to X-Forwarded-For are skipped from the right
 * and the first other address is the client's: sound as long as clients reach the app only through
 * those proxies. Either way the per-account limits (sign-in-limits.ts) do not depend on it.
 */
export function clientAddress(
  headers: Headers | undefined,
  /** better-auth's options (auth.options), for its trusted proxies; none when left out. */
  options: Pick<BetterAuthOptions, 'advanced'> = {},
): string | null {
  return headers ? getIP(headers, options) : null;
}
