import { z } from 'zod';
import {
  type KeyMetadata,
  type KeyScope,
  keyMetadataSchema,
  keyScopeSchema,
  permissionNeeds,
  type Role,
  roleMayHoldScope,
} from '../../access/roles';
import type { Database } from '../../db/client';
import { findApiKeysByShownPrefix, type StoredApiKey } from '../../db/queries/api-keys';
import { type AuditEntry, recordAudit } from '../../db/queries/audit';
import { API_KEY_SHOWN_CHARACTERS, type Auth } from './auth';

/**
 * Creating and revoking API keys, shared by the app's keys procedures and `pipewright keys`: one
 * place checks the scope against the owner's role, talks to better-auth and writes the audit log.
 */

// The metadata schema lives with the key scopes, so the serving process reads it too.
export { type KeyMetadata, keyMetadataSchema } from '../../access/roles';

/** A new key as a caller asks for it (the keys page, the CLI). */
export const newKeySchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Give the key a name, e.g. "nightly CI"')
      .max(64, 'A key name has at most 64 characters'),
    scope: keyScopeSchema,
    /** Predict keys only: the models it may call; none means every model. */
    models: z
      .array(z.string().trim().min(1, 'A model name cannot be empty').max(200))
      .max(100, 'A key names at most 100 models')
      .optional(),
  })
  .superRefine((key, context) => {
    if (key.scope !== 'predict' && key.models !== undefined && key.models.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['models'],
        message: `Only predict keys name models; a ${key.scope} key cannot`,
      });
    }
  });
export type NewKey = z.infer<typeof newKeySchema>;

/** A request about keys that cannot be done as asked; its message says why. */
export class KeyRequestError extends Error {
  override name = 'KeyRequestError';
  constructor(
    message: string,
    readonly reason: 'forbidden' | 'not-found' | 'conflict',
  ) {
    super(message);
  }
}

/** Who acts, as the audit log records it. */
export type KeyAuditActor = Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorEmail' | 'ipAddress'> & {
  details?: Record<string, unknown>;
};

export interface KeyOwner {
  id: string;
  email: string;
  role: Role;
}

export interface CreatedKey {
  id: string;
  /** The key itself: returned once, never stored (better-auth keeps its hash). */
  key: string;
  start: string;
  name: string;
  scope: KeyScope;
  models?: string[];
}

/** The sentence that refuses a scope to an owner whose role may not hold it. */
export function scopeRefusal(owner: Pick<KeyOwner, 'email' | 'role'>, scope: KeyScope): string | undefined {
  if (roleMayHoldScope(owner.role, scope)) return undefined;
  return `${owner.email} (${owner.role}) may not hold a ${scope} key: ${scope} keys need ${permissionNeeds[scope]}.`;
}

/** Creates a key for its owner through better-auth and records `key.created` (with its prefix, never the key). */
export async function createKey(
  auth: Auth,
  db: Database,
  owner: KeyOwner,
  request: NewKey,
  by: KeyAuditActor,
): Promise<CreatedKey> {
  const refusal = scopeRefusal(owner, request.scope);
  if (refusal !== undefined) throw new KeyRequestError(refusal, 'forbidden');
  const models =
    request.scope === 'predict' && request.models?.length ? [...new Set(request.models)] : undefined;
  const metadata: KeyMetadata = { scope: request.scope, ...(models ? { models } : {}) };
  const created = await auth.api.createApiKey({ body: { userId: owner.id, name: request.name, metadata } });
  const start = created.start ?? created.key.slice(0, API_KEY_SHOWN_CHARACTERS);
  await recordAudit(db, {
    ...by,
    action: 'key.created',
    objectType: 'api-key',
    objectId: created.id,
    objectLabel: `${start}…`,
    details: {
      ...by.details,
      name: request.name,
      scope: request.scope,
      models: models ?? null,
      owner: owner.email,
    },
  });
  return { id: created.id, key: created.key, start, name: request.name, scope: request.scope, models };
}

/**
 * Revokes a key: better-auth disables it, so the next request with it is refused (resolveActor
 * asks better-auth on every request), while the list still shows it as revoked.
 */
export async function revokeKey(
  auth: Auth,
  db: Database,
  key: StoredApiKey,
  by: KeyAuditActor,
): Promise<void> {
  const shown = `${key.start ?? key.id}…`;
  if (key.enabled === false) throw new KeyRequestError(`The key ${shown} is already revoked.`, 'conflict');
  await auth.api.updateApiKey({ body: { keyId: key.id, userId: key.ownerId, enabled: false } });
  await recordAudit(db, {
    ...by,
    action: 'key.revoked',
    objectType: 'api-key',
    objectId: key.id,
    objectLabel: shown,
    details: { ...by.details, name: key.name, owner: key.ownerEmail },
  });
}

/** The one key whose shown prefix starts with this text (a trailing "…" is ignored), for `keys revoke`. */
export async function findKeyByShownPrefix(db: Database, typed: string): Promise<StoredApiKey> {
  const prefix = typed.trim().replace(/(…|\.\.\.)$/, '');
  if (prefix.length < 4) {
    throw new KeyRequestError(
      `Give at least the first 4 characters of the key's prefix (e.g. pw_abc12345), not "${prefix}".`,
      'not-found',
    );
  }
  const found = await findApiKeysByShownPrefix(db, prefix, { limit: 6 });
  const [only, ...others] = found;
  if (only === undefined) throw new KeyRequestError(`No API key starts with ${prefix}.`, 'not-found');
  if (others.length > 0) {
    const shown = found
      .slice(0, 5)
      .map((key) => `${key.start}… (${key.ownerEmail}, ${key.name ?? 'unnamed'})`);
    throw new KeyRequestError(
      `${prefix} matches ${found.length > 5 ? 'more than 5' : found.length} keys: ${shown.join(', ')}. Give more of the prefix.`,
      'conflict',
    );
  }
  return only;
}

/** A stored key's scope and models; a key whose metadata is not Pipewright's shows scope "unknown". */
export function keyMetadataOf(stored: string | null): KeyMetadata | undefined {
  if (stored === null) return undefined;
  try {
    return keyMetadataSchema.safeParse(JSON.parse(stored)).data;
  } catch {
    return undefined;
  }
}
