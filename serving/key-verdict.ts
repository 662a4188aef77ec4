import { type KeyMetadata, keyMetadataSchema, roleSchema } from '../access/roles';
import type { ServingKeyRow } from '../db/queries/serving-keys';
import type { KeyCheck } from './contracts';

/**
 * What the key cache keeps about a key, and the answer it gives from that: pure, so a cached key
 * is judged (revoked, expired, owner deactivated) with no database call.
 */

/** What a key check needs to know about a key, as it stood when last read. */
export interface KeyFacts {
  keyId: string;
  ownerId: string;
  /** Undefined when the metadata is not Pipewright's (no scope): such a key is refused. */
  metadata: KeyMetadata | undefined;
  enabled: boolean;
  /** Epoch milliseconds; null never expires. */
  expiresAt: number | null;
  /** The owner has a known role and is not deactivated. */
  ownerActive: boolean;
}

/** Refusals: each says what is wrong and never echoes the credential. */
export const KEY_MESSAGES = {
  missing: 'This request needs an API key: send the header "Authorization: Bearer <API key>".',
  malformed: 'The Authorization header must be "Bearer <API key>".',
  unknown: 'This API key is not valid: it is unknown or mistyped. Create one on the API keys page.',
  noScope: 'This API key has no Pipewright scope. Create a new one on the API keys page.',
  revoked: 'This API key has been revoked. Create a new one on the API keys page.',
  expired: 'This API key has expired. Create a new one on the API keys page.',
  ownerInactive: "This API key's owner has been deactivated.",
  internalInvalid: 'This internal credential is not valid or has expired. Reload the page and try again.',
  internalInactive: 'The account behind this internal credential has been deactivated or removed.',
} as const;

export function factsOf(row: ServingKeyRow): KeyFacts {
  return {
    keyId: row.keyId,
    ownerId: row.ownerId,
    metadata: parseKeyMetadata(row.metadata),
    enabled: row.enabled !== false,
    expiresAt: row.expiresAtMs,
    ownerActive: userActive({ role: row.ownerRole, banned: row.ownerBanned }),
  };
}

/** An account may act when its role is one of ours and it is not deactivated (better-auth's "banned"). */
export function userActive(row: { role: string; banned: boolean }): boolean {
  return roleSchema.safeParse(row.role).success && !row.banned;
}

/** better-auth keeps metadata as JSON text; older versions stored it JSON-encoded twice. */
export function parseKeyMetadata(stored: string | null): KeyMetadata | undefined {
  if (stored === null) return undefined;
  try {
    let value: unknown = JSON.parse(stored);
    if (typeof value === 'string') value = JSON.parse(value);
    return keyMetadataSchema.safeParse(value).data;
  } catch {
    return undefined;
  }
}

export function keyVerdict(facts: KeyFacts, now = Date.now()): KeyCheck {
  if (!facts.enabled) return refused(KEY_MESSAGES.revoked);
  if (facts.expiresAt !== null && facts.expiresAt <= now) return refused(KEY_MESSAGES.expired);
  if (!facts.ownerActive) return refused(KEY_MESSAGES.ownerInactive);
  if (facts.metadata === undefined) return refused(KEY_MESSAGES.noScope);
  const { scope, models } = facts.metadata;
  return {
    ok: true,
    caller: { kind: 'key', keyId: facts.keyId, ownerId: facts.ownerId, scope, ...(models ? { models } : {}) },
  };
}

export function refused(message: string): KeyCheck {
  return { ok: false, status: 401, message };
}
