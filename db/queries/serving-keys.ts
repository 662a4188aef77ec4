import type { Sql } from '../client';

/**
 * What the serving process's key cache reads about API keys and their owners, many at once (a
 * batch of cache misses, or every cached entry after a change), and the batched last-used write.
 * better-auth writes the keys; api_keys.key holds better-auth's hash of the key.
 */

export interface ServingKeyRow {
  /** api_keys.key: better-auth's hash of the key. */
  hash: string;
  keyId: string;
  ownerId: string;
  /** JSON text written by better-auth: { scope, models? }. */
  metadata: string | null;
  enabled: boolean | null;
  /** expires_at in epoch milliseconds (a number whatever date parsers the pool was given). */
  expiresAtMs: number | null;
  ownerRole: string;
  ownerBanned: boolean;
}

/** The keys with these hashes, with their owner's role and deactivation. */
export async function findServingKeys(sql: Sql, hashes: readonly string[]): Promise<ServingKeyRow[]> {
  if (hashes.length === 0) return [];
  return sql<ServingKeyRow[]>`
    select k.key as hash, k.id as "keyId", k.reference_id as "ownerId", k.metadata, k.enabled,
      (extract(epoch from k.expires_at) * 1000)::float8 as "expiresAtMs", u.role as "ownerRole", u.banned as "ownerBanned"
    from api_keys k join users u on u.id = k.reference_id
    where k.key = any(${[...hashes]}::text[])`;
}

export interface ServingUserRow {
  id: string;
  role: string;
  banned: boolean;
}

/** These users' roles and deactivation (for the app's internal serving credential). */
export async function findServingUsers(sql: Sql, ids: readonly string[]): Promise<ServingUserRow[]> {
  if (ids.length === 0) return [];
  return sql<ServingUserRow[]>`
    select id, role, banned from users where id = any(${[...ids]}::text[])`;
}

export interface KeyUse {
  keyId: string;
  lastUsed: Date;
  /** Requests since the last write. */
  count: number;
}

/**
 * Writes last-used times and request counts of many keys in one statement. Neither column is one
 * the api_keys trigger announces, so this does not clear the serving processes' key caches.
 */
export async function recordKeyUses(sql: Sql, uses: readonly KeyUse[]): Promise<void> {
  if (uses.length === 0) return;
  await sql`
    update api_keys as k
    set last_request = greatest(k.last_request, u.last_used),
      request_count = least(k.request_count::bigint + u.count, 2147483647)::int
    from unnest(
      ${uses.map((use) => use.keyId)}::text[],
      ${uses.map((use) => use.lastUsed.toISOString())}::text[]::timestamptz[],
      ${uses.map((use) => use.count)}::int[]) as u(key_id, last_used, count)
    where k.id = u.key_id`;
}
