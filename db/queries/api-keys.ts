import { desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { apikey, user } from '../schema';

/**
 * API keys as lists show them: never the key or its hash. better-auth writes the rows (create,
 * disable); these queries only read them.
 */
const shownColumns = {
  id: apikey.id,
  name: apikey.name,
  start: apikey.start,
  /** JSON text written by better-auth: { scope, models? } (auth/api-keys.ts reads it). */
  metadata: apikey.metadata,
  enabled: apikey.enabled,
  createdAt: apikey.createdAt,
  lastRequest: apikey.lastRequest,
  ownerId: apikey.referenceId,
  ownerEmail: user.email,
};

export type StoredApiKey = Awaited<ReturnType<typeof listApiKeys>>[number];

/** Keys newest first: one owner's, or everybody's when no owner is given. */
export async function listApiKeys(db: Database, filter: { ownerId?: string } = {}) {
  return db
    .select(shownColumns)
    .from(apikey)
    .innerJoin(user, eq(user.id, apikey.referenceId))
    .where(filter.ownerId === undefined ? undefined : eq(apikey.referenceId, filter.ownerId))
    .orderBy(desc(apikey.createdAt), desc(apikey.id));
}

export async function findApiKey(db: Database, id: string): Promise<StoredApiKey | undefined> {
  const [row] = await db
    .select(shownColumns)
    .from(apikey)
    .innerJoin(user, eq(user.id, apikey.referenceId))
    .where(eq(apikey.id, id));
  return row;
}

/**
 * Keys whose shown prefix starts with this text (`keys revoke PREFIX`). starts_with compares
 * literally: the `_` of `pw_` would be a wildcard in LIKE.
 */
export async function findApiKeysByShownPrefix(db: Database, prefix: string, options: { limit: number }) {
  return db
    .select(shownColumns)
    .from(apikey)
    .innerJoin(user, eq(user.id, apikey.referenceId))
    .where(sql`starts_with(${apikey.start}, ${prefix})`)
    .orderBy(desc(apikey.createdAt))
    .limit(options.limit);
}
