import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { findApiKey, listApiKeys, type StoredApiKey } from '../../../db/queries/api-keys';
import {
  createKey,
  KeyRequestError,
  keyMetadataOf,
  newKeySchema,
  revokeKey,
} from '../../../runtime/auth/api-keys';
import type { Actor } from '../auth/actor';
import { auditActor } from '../auth/audit-actor';
import type { Services } from '../services';
import { procedure, router } from '../trpc';

const keyIdSchema = z.object({ keyId: z.string().min(1).max(100) });

/** A key as lists show it: its prefix, never the key or its hash. */
function shownKey(key: StoredApiKey) {
  const metadata = keyMetadataOf(key.metadata);
  return {
    id: key.id,
    name: key.name ?? '',
    start: key.start ?? '',
    scope: metadata?.scope ?? null,
    models: metadata?.models ?? null,
    createdAt: key.createdAt,
    lastUsedAt: key.lastRequest,
    revoked: key.enabled === false,
    ownerEmail: key.ownerEmail,
  };
}

const errorCodes = { forbidden: 'FORBIDDEN', 'not-found': 'NOT_FOUND', conflict: 'CONFLICT' } as const;

/** Key refusals (a scope the role may not hold, a key already revoked) become tRPC errors with their sentence. */
async function withKeyErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof KeyRequestError)) throw error;
    throw new TRPCError({ code: errorCodes[error.reason], message: error.message });
  }
}

interface KeysCall {
  services: Services;
  actor: Actor;
  ipAddress: string | null;
}

/** Revokes a key: any key for an admin's revokeAny, only the caller's own otherwise. */
async function revoke(ctx: KeysCall, keyId: string, onlyOwn: boolean) {
  const key = await findApiKey(ctx.services.db, keyId);
  if (!key || (onlyOwn && key.ownerId !== ctx.actor.userId)) {
    throw new TRPCError({ code: 'NOT_FOUND', message: `You have no API key with id ${keyId}.` });
  }
  await withKeyErrors(
    revokeKey(ctx.services.auth(), ctx.services.db, key, auditActor(ctx.actor, ctx.ipAddress)),
  );
  return { keyId, start: key.start ?? '' };
}

export const keysRouter = router({
  /** A key for the caller; the answer holds the key itself, which is never shown again. */
  create: procedure('signedIn')
    .input(newKeySchema)
    .mutation(async ({ ctx, input }) => {
      const owner = { id: ctx.actor.userId, email: ctx.actor.email, role: ctx.actor.role };
      return withKeyErrors(
        createKey(ctx.services.auth(), ctx.services.db, owner, input, auditActor(ctx.actor, ctx.ipAddress)),
      );
    }),

  /** The caller's own keys, newest first, revoked ones included. */
  list: procedure('signedIn').query(async ({ ctx }) =>
    (await listApiKeys(ctx.services.db, { ownerId: ctx.actor.userId })).map(shownKey),
  ),

  revoke: procedure('signedIn')
    .input(keyIdSchema)
    .mutation(({ ctx, input }) => revoke(ctx, input.keyId, true)),

  /** Every account's keys, with their owners: for admins. */
  listAll: procedure('admin').query(async ({ ctx }) => (await listApiKeys(ctx.services.db)).map(shownKey)),

  revokeAny: procedure('admin')
    .input(keyIdSchema)
    .mutation(({ ctx, input }) => revoke(ctx, input.keyId, false)),
});
