import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Actor, BadCredentialError, resolveActor } from '../app/_server/auth/actor';
import { env } from '../app/_server/env';
import { appRouter } from '../app/_server/root';
import type { Services } from '../app/_server/services';
import { createCallerFactory } from '../app/_server/trpc';
import { publicUrl } from '../config/env';
import { auditLog, session, user } from '../db/schema';
import type { Auth } from '../runtime/auth/auth';
import { signInAnswer } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { databaseOnlyServices, testActor, testAuth, testContext } from './support/services';
import { rejection } from './support/trpc-rejection';

let database: TestDatabase;
let auth: Auth;
let services: Services;
beforeAll(async () => {
  database = await createTestDatabase();
  auth = testAuth(database.db);
  services = databaseOnlyServices(database, auth);
});
afterAll(() => database?.drop());

const PASSWORD = 'correct horse battery';

function callerAs(actor: Actor | null) {
  return createCallerFactory(appRouter)(testContext(services, actor));
}

/** An account made the way the CLI makes one, and the actor its session would resolve to. */
async function accountOf(email: string, role: 'admin' | 'editor' | 'viewer'): Promise<Actor> {
  const { user: created } = await auth.api.createUser({
    body: { email, password: PASSWORD, name: email.split('@')[0] ?? email, role },
  });
  return { kind: 'user', userId: created.id, email: created.email, name: created.name, role };
}

function signIn(email: string, password = PASSWORD) {
  return signInAnswer(auth, email, password, '10.9.0.1');
}

async function sessionCookie(email: string): Promise<string> {
  const response = await signIn(email);
  expect(response.status).toBe(200);
  return response.headers.get('set-cookie')?.split(';')[0] ?? '';
}

async function auditOf(objectId: string) {
  return database.db.select().from(auditLog).where(eq(auditLog.objectId, objectId)).orderBy(asc(auditLog.id));
}

describe('user management', () => {
  it('invite → join → role change → deactivate (sign-in, session and key refused) → reactivate, all audited', async () => {
    const ada = await accountOf('ada@users.test', 'admin');
    const admin = callerAs(ada);

    const invite = await admin.users.invite({ role: 'editor', email: 'Bob@Users.test' });
    const link = new URL(invite.link);
    expect(link.origin).toBe(publicUrl(env).origin);
    const token = link.pathname.replace(/^\/join\//, '');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invite.expiresAt.getTime() - Date.now()).toBeGreaterThan(7 * 24 * 3_600_000 - 60_000);
    expect(await admin.users.invites()).toEqual([
      expect.objectContaining({ id: invite.id, role: 'editor', email: 'bob@users.test' }),
    ]);
    // The token is in the answer only: the open-invites list never carries a link.
    expect(JSON.stringify(await admin.users.invites())).not.toContain(token);

    const joined = await callerAs(null).join.accept({
      token,
      name: 'Bob',
      email: 'bob@users.test',
      password: PASSWORD,
    });
    expect(joined).toEqual({ email: 'bob@users.test', role: 'editor' });
    expect(await admin.users.invites()).toEqual([]);
    const bob = (await admin.users.list()).find((row) => row.email === 'bob@users.test');
    expect(bob).toMatchObject({ name: 'Bob', role: 'editor', deactivated: false, lastSignInAt: null });
    const bobId = bob?.id ?? '';

    expect(await admin.users.changeRole({ userId: bobId, role: 'operator' })).toEqual({
      userId: bobId,
      role: 'operator',
    });

    const cookie = await sessionCookie('bob@users.test');
    const listed = (await admin.users.list()).find((row) => row.id === bobId);
    expect(listed?.role).toBe('operator');
    expect(listed?.lastSignInAt).toBeInstanceOf(Date);
    const { key } = await auth.api.createApiKey({
      body: { userId: bobId, name: 'ci', metadata: { scope: 'read' } },
    });
    const bearer = new Headers({ authorization: `Bearer ${key}` });
    expect(await resolveActor(auth, database.db, bearer)).toMatchObject({ kind: 'key', userId: bobId });
    expect(await resolveActor(auth, database.db, new Headers({ cookie }))).toMatchObject({ userId: bobId });

    expect(await admin.users.deactivate({ userId: bobId })).toEqual({ userId: bobId, deactivated: true });
    expect(await database.db.select().from(session).where(eq(session.userId, bobId))).toEqual([]);
    expect(await resolveActor(auth, database.db, new Headers({ cookie }))).toBeNull();
    await expect(resolveActor(auth, database.db, bearer)).rejects.toBeInstanceOf(BadCredentialError);
    const refused = await signIn('bob@users.test');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      message: 'This account has been deactivated. Ask an admin to reactivate it.',
    });
    expect((await admin.users.list()).find((row) => row.id === bobId)?.deactivated).toBe(true);

    await admin.users.reactivate({ userId: bobId });
    expect((await signIn('bob@users.test')).status).toBe(200);
    expect(await resolveActor(auth, database.db, bearer)).toMatchObject({ kind: 'key', userId: bobId });

    const entries = [...(await auditOf(invite.id)), ...(await auditOf(bobId))].filter(
      (entry) => entry.actorId === ada.userId,
    );
    expect(
      entries.map(({ action, actorKind, actorEmail, objectType, objectLabel, details }) => ({
        action,
        actorKind,
        actorEmail,
        objectType,
        objectLabel,
        details,
      })),
    ).toEqual([
      {
        action: 'user.invited',
        actorKind: 'user',
        actorEmail: 'ada@users.test',
        objectType: 'invite',
        objectLabel: 'bob@users.test',
        details: { role: 'editor', email: 'bob@users.test' },
      },
      {
        action: 'user.role-changed',
        actorKind: 'user',
        actorEmail: 'ada@users.test',
        objectType: 'user',
        objectLabel: 'bob@users.test',
        details: { from: 'editor', to: 'operator' },
      },
      {
        action: 'user.deactivated',
        actorKind: 'user',
        actorEmail: 'ada@users.test',
        objectType: 'user',
        objectLabel: 'bob@users.test',
        details: { role: 'operator' },
      },
      {
        action: 'user.reactivated',
        actorKind: 'user',
        actorEmail: 'ada@users.test',
        objectType: 'user',
        objectLabel: 'bob@users.test',
        details: { role: 'operator' },
      },
    ]);
  });

  it('keeps one active admin: no demoting or deactivating the last one, and no deactivating oneself', async () => {
    const cy = await accountOf('cy@users.test', 'admin');
    const dee = await accountOf('dee@users.test', 'admin');
    const ada = (await database.db.select().from(user).where(eq(user.email, 'ada@users.test')))[0];
    expect(ada?.role).toBe('admin');

    const self = await rejection(callerAs(cy).users.deactivate({ userId: cy.userId }));
    expect(self.code).toBe('FORBIDDEN');
    expect(self.message).toBe('You cannot deactivate your own account: ask another admin to do it.');

    // Three admins: two may go, the third may not.
    await callerAs(cy).users.changeRole({ userId: dee.userId, role: 'viewer' });
    await callerAs(cy).users.deactivate({ userId: ada?.id ?? '' });
    const demote = await rejection(callerAs(cy).users.changeRole({ userId: cy.userId, role: 'editor' }));
    expect(demote.code).toBe('CONFLICT');
    expect(demote.message).toBe(
      'This is the last active admin: changing its role would leave nobody able to manage users. Make another user an admin first.',
    );
    // An API key of the last admin cannot deactivate its owner either (the self check comes first).
    const keyActor: Actor = { ...cy, kind: 'key', keyId: 'k', keyPrefix: 'pw_abcdefgh', scope: 'admin' };
    expect((await rejection(callerAs(keyActor).users.deactivate({ userId: cy.userId }))).code).toBe(
      'FORBIDDEN',
    );

    const admins = await database.db
      .select({ email: user.email, role: user.role, banned: user.banned })
      .from(user)
      .where(inArray(user.email, ['ada@users.test', 'cy@users.test', 'dee@users.test']))
      .orderBy(asc(user.email));
    expect(admins).toEqual([
      { email: 'ada@users.test', role: 'admin', banned: true },
      { email: 'cy@users.test', role: 'admin', banned: false },
      { email: 'dee@users.test', role: 'viewer', banned: false },
    ]);
    // Making Dee an admin again frees Cy to step down.
    await callerAs(cy).users.changeRole({ userId: dee.userId, role: 'admin' });
    await callerAs(cy).users.changeRole({ userId: cy.userId, role: 'editor' });
    await callerAs(dee).users.reactivate({ userId: ada?.id ?? '' });
  });

  it('lets only one of two admins deactivating each other at the same moment succeed', async () => {
    const eli = await accountOf('eli@users.test', 'admin');
    const fay = await accountOf('fay@users.test', 'admin');
    // Everyone else steps down first, so Eli and Fay are the only active admins.
    await database.db
      .update(user)
      .set({ role: 'viewer' })
      .where(inArray(user.email, ['cy@users.test', 'dee@users.test', 'ada@users.test']));
    // Both calls must really overlap: a third transaction holds both accounts' rows until both calls
    // are waiting for them, then lets them go at once.
    let calls: Promise<PromiseSettledResult<unknown>[]> | undefined;
    await database.sql.begin(async (hold) => {
      await hold`select id from users where id in (${eli.userId}, ${fay.userId}) for update`;
      calls = Promise.allSettled([
        callerAs(eli).users.deactivate({ userId: fay.userId }),
        callerAs(fay).users.deactivate({ userId: eli.userId }),
      ]);
      await vi.waitFor(
        async () => {
          const [row] = await database.sql`
            select count(*)::int as waiting from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`;
          expect(row?.waiting).toBe(2);
        },
        { timeout: 10_000, interval: 20 },
      );
    });
    const outcomes = (await calls) ?? [];
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(refused?.status === 'rejected' && String(refused.reason)).toContain(
      'This is the last active admin',
    );
    const active = await database.db
      .select({ email: user.email })
      .from(user)
      .where(and(eq(user.role, 'admin'), eq(user.banned, false)));
    expect(active).toHaveLength(1);
  });

  it('refuses non-admins, unknown accounts and bad input with a sentence, changing nothing', async () => {
    const before = await callerAs(testActor()).users.list();
    const editor = await rejection(callerAs(testActor('editor')).users.list());
    expect(editor.code).toBe('FORBIDDEN');
    expect(editor.message).toBe(
      'editor@example.test (editor) may not manage users, keys, connections or the audit log: that needs the admin role.',
    );
    expect((await rejection(callerAs(null).users.invite({ role: 'viewer' }))).code).toBe('UNAUTHORIZED');
    const readKey: Actor = {
      ...testActor(),
      kind: 'key',
      keyId: 'k',
      keyPrefix: 'pw_abcdefgh',
      scope: 'read',
    };
    expect((await rejection(callerAs(readKey).users.list())).code).toBe('FORBIDDEN');

    const admin = callerAs(testActor());
    const unknown = await rejection(admin.users.changeRole({ userId: 'nobody', role: 'viewer' }));
    expect([unknown.code, unknown.message]).toEqual(['NOT_FOUND', 'There is no such user.']);
    // @ts-expect-error: a role that does not exist, as a client could send it.
    const badRole = await rejection(admin.users.invite({ role: 'owner' }));
    expect(badRole.code).toBe('BAD_REQUEST');
    const badEmail = await rejection(admin.users.invite({ role: 'viewer', email: 'not an email' }));
    expect(badEmail.code).toBe('BAD_REQUEST');
    expect(badEmail.message).toContain('email must be an email address');
    expect(await admin.users.invites()).toEqual([]);
    expect(await admin.users.list()).toEqual(before);
  });

  it('revokes an open invite once: the link then says it was withdrawn', async () => {
    const admin = callerAs(testActor());
    const invite = await admin.users.invite({ role: 'viewer' });
    const token = new URL(invite.link).pathname.replace(/^\/join\//, '');
    expect(await admin.users.revokeInvite({ inviteId: invite.id })).toEqual({ revoked: true });
    expect(await callerAs(null).join.describe({ token })).toMatchObject({ state: 'revoked' });
    const again = await rejection(admin.users.revokeInvite({ inviteId: invite.id }));
    expect([again.code, again.message]).toEqual([
      'CONFLICT',
      'This invite was already used or withdrawn; nothing changed.',
    ]);
    expect((await auditOf(invite.id)).map((entry) => [entry.action, entry.objectLabel])).toEqual([
      ['user.invited', 'any viewer'],
      ['invite.revoked', 'any viewer'],
    ]);
  });
});
