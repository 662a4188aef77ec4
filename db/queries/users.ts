import { and, asc, count, eq, max } from 'drizzle-orm';
import type { Database } from '../client';
import { auditLog, session, user } from '../schema';

export async function findUserById(db: Database, id: string) {
  const [row] = await db.select().from(user).where(eq(user.id, id));
  return row;
}

export async function findUserByEmail(db: Database, email: string) {
  const [row] = await db.select().from(user).where(eq(user.email, email.trim().toLowerCase()));
  return row;
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ users: count() }).from(user);
  return row?.users ?? 0;
}

export type UserRow = typeof user.$inferSelect;

/** One row of the admin's user list: the account, and when it last signed in. */
export interface UserSummary {
  id: string;
  name: string;
  email: string;
  role: string;
  deactivated: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
}

/**
 * Every account, oldest first. The last sign-in is the later of its newest session and its newest
 * `sign-in` audit entry: sessions end at sign-out, the audit log keeps the moment.
 */
export async function listUsers(db: Database, limit = 1000): Promise<UserSummary[]> {
  const lastSession = db
    .select({ userId: session.userId, at: max(session.createdAt).as('last_session_at') })
    .from(session)
    .groupBy(session.userId)
    .as('last_session');
  const lastAudit = db
    .select({ userId: auditLog.actorId, at: max(auditLog.at).as('last_audit_at') })
    .from(auditLog)
    .where(eq(auditLog.action, 'sign-in'))
    .groupBy(auditLog.actorId)
    .as('last_audit');
  const rows = await db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      deactivated: user.banned,
      createdAt: user.createdAt,
      lastSessionAt: lastSession.at,
      lastAuditAt: lastAudit.at,
    })
    .from(user)
    .leftJoin(lastSession, eq(lastSession.userId, user.id))
    .leftJoin(lastAudit, eq(lastAudit.userId, user.id))
    .orderBy(asc(user.createdAt), asc(user.id))
    .limit(limit);
  return rows.map(({ lastSessionAt, lastAuditAt, ...row }) => ({
    ...row,
    lastSignInAt: latest(lastSessionAt, lastAuditAt),
  }));
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (a === null || b === null) return a ?? b;
  return a > b ? a : b;
}

/** Why an account change was refused: the account does not exist, or it would leave no active admin. */
export type AccountChangeRefusal = 'not-found' | 'last-admin';
export type AccountChange = { ok: true; before: UserRow } | { ok: false; reason: AccountChangeRefusal };

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Runs a change to one account while holding the rows of every active admin, so two admins demoting
 * or deactivating each other at the same moment cannot both succeed and leave nobody in charge.
 */
async function changeAccount(
  db: Database,
  userId: string,
  removesAdmin: (before: UserRow) => boolean,
  apply: (tx: Tx) => Promise<void>,
): Promise<AccountChange> {
  return db.transaction(async (tx) => {
    const admins = await tx
      .select({ id: user.id })
      .from(user)
      .where(and(eq(user.role, 'admin'), eq(user.banned, false)))
      // One order for every transaction, so two of them never hold each other's rows.
      .orderBy(asc(user.id))
      .for('update');
    const [before] = await tx.select().from(user).where(eq(user.id, userId)).for('update');
    if (!before) return { ok: false, reason: 'not-found' };
    const isActiveAdmin = admins.some((admin) => admin.id === userId);
    if (isActiveAdmin && admins.length <= 1 && removesAdmin(before))
      return { ok: false, reason: 'last-admin' };
    await apply(tx);
    return { ok: true, before };
  });
}

export function changeUserRole(db: Database, userId: string, role: string): Promise<AccountChange> {
  return changeAccount(
    db,
    userId,
    () => role !== 'admin',
    async (tx) => {
      await tx.update(user).set({ role, updatedAt: new Date() }).where(eq(user.id, userId));
    },
  );
}

/** Deactivating also ends the account's sessions; its API keys stop working because their owner is banned. */
export function setUserDeactivated(
  db: Database,
  userId: string,
  deactivated: boolean,
): Promise<AccountChange> {
  return changeAccount(
    db,
    userId,
    () => deactivated,
    async (tx) => {
      await tx
        .update(user)
        .set({ banned: deactivated, banReason: null, banExpires: null, updatedAt: new Date() })
        .where(eq(user.id, userId));
      if (deactivated) await tx.delete(session).where(eq(session.userId, userId));
    },
  );
}
