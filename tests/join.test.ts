import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app/_server/root';
import { createCallerFactory } from '../app/_server/trpc';
import { claimInvite, createInvite, findInviteById } from '../db/queries/invites';
import { user } from '../db/schema';
import type { Auth } from '../runtime/auth/auth';
import { createTestDatabase, type TestDatabase } from './support/database';
import { databaseOnlyServices, testAuth, testContext } from './support/services';
import { rejection } from './support/trpc-rejection';

let database: TestDatabase;
let auth: Auth;
beforeAll(async () => {
  database = await createTestDatabase();
  auth = testAuth(database.db);
});
afterAll(() => database?.drop());

const PASSWORD = 'correct horse battery';

function anonymous() {
  return createCallerFactory(appRouter)(testContext(databaseOnlyServices(database, auth), null));
}

describe('join links', () => {
  it('closes the setup link once any account exists, changing nothing', async () => {
    const { token } = await createInvite(database.db, {
      kind: 'setup',
      role: 'admin',
      validForMs: 3_600_000,
    });
    // The first account comes from elsewhere (the CLI, say) while the setup link is still open.
    await auth.api.createUser({
      body: { email: 'first@join.test', password: PASSWORD, name: 'First', role: 'admin' },
    });
    const closed =
      'An account already exists, so this setup link no longer works. Sign in, or ask an admin for an invite.';
    expect(await anonymous().join.describe({ token })).toMatchObject({ state: 'closed', message: closed });
    const refused = await rejection(
      anonymous().join.accept({ token, name: 'Mallory', email: 'mallory@join.test', password: PASSWORD }),
    );
    expect([refused.code, refused.message]).toEqual(['UNAUTHORIZED', closed]);
    expect(await database.db.select().from(user).where(eq(user.email, 'mallory@join.test'))).toEqual([]);
  });

  it('refuses to claim a setup link when an account exists, and any link past its expiry', async () => {
    const setup = await createInvite(database.db, { kind: 'setup', role: 'admin', validForMs: 3_600_000 });
    expect(await claimInvite(database.db, { id: setup.id, kind: 'setup' })).toEqual({
      ok: false,
      reason: 'users-exist',
    });
    const invite = await createInvite(database.db, { kind: 'invite', role: 'viewer', validForMs: 60_000 });
    const later = new Date(Date.now() + 120_000);
    expect(await claimInvite(database.db, { id: invite.id, kind: 'invite' }, later)).toEqual({
      ok: false,
      reason: 'unavailable',
    });
    expect((await findInviteById(database.db, invite.id))?.usedAt).toBeNull();
    expect(await claimInvite(database.db, { id: invite.id, kind: 'invite' })).toEqual({ ok: true });
  });

  it('answers 409 with a sentence when two invites make the same account at once', async () => {
    const tokens = await Promise.all(
      [0, 1].map(async () => {
        const created = await createInvite(database.db, {
          kind: 'invite',
          role: 'viewer',
          validForMs: 60_000,
        });
        return created.token;
      }),
    );
    const outcomes = await Promise.allSettled(
      tokens.map((token) =>
        anonymous().join.accept({ token, name: 'Twin', email: 'twin@join.test', password: PASSWORD }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = outcomes.find((outcome) => outcome.status === 'rejected');
    const reason: unknown = loser?.status === 'rejected' ? loser.reason : undefined;
    expect(reason).toMatchObject({
      code: 'CONFLICT',
      message: 'twin@join.test already has an account: sign in instead.',
    });
    expect(await database.db.select().from(user).where(eq(user.email, 'twin@join.test'))).toHaveLength(1);
  });
});
