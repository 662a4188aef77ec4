import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { invites, user } from '../schema';

export type InviteKind = 'setup' | 'invite';
export type Invite = typeof invites.$inferSelect;

/** Only a token's SHA-256 is stored: a copy of the database does not hold usable links. */
export function hashInviteToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewInvite {
  kind: InviteKind;
  role: string;
  email?: string;
  createdBy?: string;
  validForMs: number;
}

/** Stores a one-time link and returns its token, which exists nowhere else. */
export async function createInvite(
  db: Database,
  invite: NewInvite,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + invite.validForMs);
  await db.insert(invites).values({
    id,
    tokenHash: hashInviteToken(token),
    kind: invite.kind,
    role: invite.role,
    email: invite.email?.trim().toLowerCase(),
    createdBy: invite.createdBy,
    expiresAt,
  });
  return { id, token, expiresAt };
}

export async function findInviteByToken(db: Database, token: string): Promise<Invite | undefined> {
  const [row] = await db
    .select()
    .from(invites)
    .where(eq(invites.tokenHash, hashInviteToken(token)));
  return row;
}

/**
 * Why a link could not be claimed: another request used, revoked or outlived it first, or (for a
 * setup link) an account exists already.
 */
export type ClaimRefusal = 'unavailable' | 'users-exist';
export type Claim = { ok: true } | { ok: false; reason: ClaimRefusal };

/**
 * Serialises setup-link claims with each other and with `revokeOpenSetupLinks`: the check that no
 * account exists and the claim happen under one lock, so a setup link never works once anyone has an
 * account. A fixed key, since there is one setup link at a time.
 */
const SETUP_LOCK = sql`select pg_advisory_xact_lock(hashtext('pipewright.setup-link'))`;

/** Claims the link before its account is made, if it is still open and unexpired at `now`. */
export async function claimInvite(
  db: Database,
  invite: { id: string; kind: string },
  now = new Date(),
): Promise<Claim> {
  return db.transaction(async (tx) => {
    if (invite.kind === 'setup') {
      await tx.execute(SETUP_LOCK);
      const [row] = await tx.select({ users: count() }).from(user);
      if ((row?.users ?? 0) > 0) return { ok: false, reason: 'users-exist' };
    }
    const used = await tx
      .update(invites)
      .set({ usedAt: now })
      .where(
        and(
          eq(invites.id, invite.id),
          isNull(invites.usedAt),
          isNull(invites.revokedAt),
          gt(invites.expiresAt, now),
        ),
      )
      .returning({ id: invites.id });
    return used.length === 1 ? { ok: true } : { ok: false, reason: 'unavailable' };
  });
}

/** Gives a claimed link back when its account could not be made, so the person can try again. */
export async function releaseInvite(db: Database, id: string): Promise<void> {
  await db
    .update(invites)
    .set({ usedAt: null })
    .where(and(eq(invites.id, id), isNull(invites.usedBy)));
}

export async function recordInviteUser(db: Database, id: string, userId: string): Promise<void> {
  await db.update(invites).set({ usedBy: userId }).where(eq(invites.id, id));
}

/**
 * Setup links from earlier starts stop working when a new one is printed, and every open one stops
 * once an account exists (the CLI's `users create`, a start that finds users).
 */
export async function revokeOpenSetupLinks(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(SETUP_LOCK);
    await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(and(eq(invites.kind, 'setup'), isNull(invites.usedAt), isNull(invites.revokedAt)));
  });
}

export async function revokeInvite(db: Database, id: string): Promise<boolean> {
  const revoked = await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(and(eq(invites.id, id), isNull(invites.usedAt), isNull(invites.revokedAt)))
    .returning({ id: invites.id });
  return revoked.length === 1;
}

export async function listInvites(db: Database, limit = 100): Promise<Invite[]> {
  return db
    .select()
    .from(invites)
    .where(eq(invites.kind, 'invite'))
    .orderBy(desc(invites.createdAt))
    .limit(limit);
}

export async function findInviteById(db: Database, id: string): Promise<Invite | undefined> {
  const [row] = await db.select().from(invites).where(eq(invites.id, id));
  return row;
}

/** Invites that still work: not used, not revoked, not expired; newest first. */
export async function listOpenInvites(db: Database, now = new Date(), limit = 200): Promise<Invite[]> {
  return db
    .select()
    .from(invites)
    .where(
      and(
        eq(invites.kind, 'invite'),
        isNull(invites.usedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, now),
      ),
    )
    .orderBy(desc(invites.createdAt))
    .limit(limit);
}
