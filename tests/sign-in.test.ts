import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadCredentialError, resolveActor } from '../app/_server/auth/actor';
import { appRouter } from '../app/_server/root';
import { createCallerFactory } from '../app/_server/trpc';
import { createInvite } from '../db/queries/invites';
import type { Auth } from '../runtime/auth/auth';
import { signInAnswer } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { databaseOnlyServices, testAuth, testContext } from './support/services';

let database: TestDatabase;
let auth: Auth;
beforeAll(async () => {
  database = await createTestDatabase();
  auth = testAuth(database.db);
});
afterAll(() => database?.drop());

function anonymousCaller() {
  return createCallerFactory(appRouter)(testContext(databaseOnlyServices(database, auth), null));
}

function signIn(email: string, password: string, address = '10.0.0.1') {
  return signInAnswer(auth, email, password, address);
}

describe('setup link and sign-in', () => {
  it('creates the first admin from the setup link once, and signs in with a session cookie', async () => {
    const { token } = await createInvite(database.db, {
      kind: 'setup',
      role: 'admin',
      validForMs: 3_600_000,
    });
    const api = anonymousCaller();
    expect((await api.join.describe({ token })).state).toBe('valid');
    const joined = await api.join.accept({
      token,
      name: 'Ada',
      email: 'Ada@Example.com',
      password: 'correct horse battery',
    });
    expect(joined).toEqual({ email: 'ada@example.com', role: 'admin' });
    await expect(
      api.join.accept({ token, name: 'Eve', email: 'eve@example.com', password: 'correct horse battery' }),
    ).rejects.toThrow('already been used');

    const response = await signIn('ada@example.com', 'correct horse battery');
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/pipewright\.session_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const actor = await resolveActor(auth, database.db, new Headers({ cookie: cookie.split(';')[0] ?? '' }));
    expect(actor).toMatchObject({ kind: 'user', email: 'ada@example.com', role: 'admin' });
  });

  it('refuses an account after five failed sign-ins, and says so', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await signIn('ada@example.com', 'wrong password!', `10.0.1.${attempt}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const refused = await signIn('ada@example.com', 'correct horse battery', '10.0.2.1');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      message: expect.stringContaining('Too many failed sign-ins for ada@example.com'),
    });
  });
});

describe('the per-address sign-in limit', () => {
  it('refuses the 11th attempt in a minute from one address, counting in PostgreSQL', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      // A different email each time, so the per-account limit does not fire first.
      statuses.push((await signIn(`nobody${attempt}@example.com`, 'wrong password!', '10.9.9.9')).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    const counted = await database.sql<{ count: number }[]>`
      select count from auth_rate_limits where key like ${'%10.9.9.9%'}`;
    expect(counted[0]?.count).toBeGreaterThanOrEqual(10);
    // Another address is not affected.
    expect((await signIn('nobody@example.com', 'wrong password!', '10.9.9.10')).status).toBe(401);
  });
});

describe('the Authorization header', () => {
  it('takes only the Bearer scheme as an API key: Basic from a reverse proxy falls back to the session cookie', async () => {
    await auth.api.createUser({
      body: { email: 'basil@example.com', password: 'correct horse battery', name: 'Basil', role: 'viewer' },
    });
    const response = await signIn('basil@example.com', 'correct horse battery', '10.0.3.1');
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '';
    const basic = `Basic ${Buffer.from('proxy-user:proxy-pass').toString('base64')}`;
    expect(
      await resolveActor(auth, database.db, new Headers({ authorization: basic, cookie })),
    ).toMatchObject({ kind: 'user', email: 'basil@example.com' });
    expect(await resolveActor(auth, database.db, new Headers({ authorization: basic }))).toBeNull();
    await expect(
      resolveActor(auth, database.db, new Headers({ authorization: 'Bearer', cookie })),
    ).rejects.toBeInstanceOf(BadCredentialError);
    await expect(
      resolveActor(auth, database.db, new Headers({ authorization: 'bearer pw_not-a-key', cookie })),
    ).rejects.toBeInstanceOf(BadCredentialError);
  });
});
