import { createHash } from 'node:crypto';

/**
 * The hash better-auth's api-key plugin keeps in api_keys.key (its defaultKeyHasher, in
 * @better-auth/api-key: SHA-256 of the key's UTF-8 bytes, base64url without padding), so the
 * serving process finds a key's row without calling better-auth.
 */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('base64url');
}
