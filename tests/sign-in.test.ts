import { randomBytes } from 'node:crypto';
import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadCredentialError, resolveActor } from '../app/_server/auth/actor';
import { appRouter } from '../app/_server/root';
import { createCallerFactory } from '../app/_server/trpc';
import { createInvite } from '../db/queries/invites';
import { auditLog } from '../db/schema';
import { type Auth, createAuth } from '../runtime/auth/auth';
import { handleAuthRequest } from '../runtime/auth/auth-routes';
import { clientAddress } from '../runtime/auth/client-address';
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
});

const PASSWORD = 'correct horse battery';

async function account(email: string) {
  await auth.api.createUser({
    body: { email, password: PASSWORD, name: email.split('@')[0] ?? email, role: 'viewer' },
  });
}

async function statusesOf(responses: Promise<Response>[]): Promise<number[]> {
  return Promise.all(responses.map(async (response) => (await response).status));
}

async function failedSignIns(email: string) {
  return database.db
    .select({ objectId: auditLog.objectId, ipAddress: auditLog.ipAddress })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'sign-in.failed'), eq(auditLog.objectId, email)))
    .orderBy(asc(auditLog.id));
}

describe('the per-account sign-in limits', () => {
  it('refuses an account from one address after five failures there, while its owner elsewhere still signs in', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await signIn('ada@example.com', 'wrong password!', '10.0.1.1')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const refused = await signIn('ada@example.com', PASSWORD, '10.0.1.1');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      message:
        'Too many failed sign-ins for ada@example.com from this address: try again in 15 minutes, or an admin can run `npx pipewright users set-password`.',
    });
    expect((await signIn('ada@example.com', PASSWORD, '10.0.2.1')).status).toBe(200);
  });

  it('counts failures only since the last successful sign-in', async () => {
    await account('bea@example.com');
    const wrong = () => signIn('bea@example.com', 'wrong password!', '10.0.4.1');
    expect([
      (await wrong()).status,
      (await wrong()).status,
      (await wrong()).status,
      (await wrong()).status,
    ]).toEqual([401, 401, 401, 401]);
    expect((await signIn('bea@example.com', PASSWORD, '10.0.4.1')).status).toBe(200);
    expect([
      (await wrong()).status,
      (await wrong()).status,
      (await wrong()).status,
      (await wrong()).status,
    ]).toEqual([401, 401, 401, 401]);
    expect((await signIn('bea@example.com', PASSWORD, '10.0.4.1')).status).toBe(200);
  });

  it('slows guessing from many addresses: twenty failures for one account refuse the next from anywhere', async () => {
    await account('cleo@example.com');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      statuses.push((await signIn('cleo@example.com', 'wrong password!', `10.0.5.${attempt % 4}`)).status);
    }
    expect(statuses).toEqual(Array(20).fill(401));
    const refused = await signIn('cleo@example.com', PASSWORD, '10.0.6.1');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      message:
        'Too many failed sign-ins for cleo@example.com: try again in 15 minutes, or an admin can run `npx pipewright users set-password`.',
    });
  });

  it('counts guesses sent at once: eight at the same moment from one address get five tries', async () => {
    await account('dora@example.com');
    const attempt = () =>
      handleAuthRequest(
        auth,
        new Request('http://localhost:3000/api/auth/sign-in/email', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: 'http://localhost:3000',
            'x-forwarded-for': '10.0.7.1',
          },
          body: JSON.stringify({ email: 'dora@example.com', password: 'wrong password!' }),
        }),
      );
    const statuses = await statusesOf(Array.from({ length: 8 }, attempt));
    expect(statuses.sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(await failedSignIns('dora@example.com')).toHaveLength(5);
  });

  it('records a failed sign-in as "(not an email)" when what was typed is not an email', async () => {
    const before = (await failedSignIns('(not an email)')).length;
    const response = await signIn('<script>alert(1)</script>', 'wrong password!', '10.0.8.1');
    expect([400, 401]).toContain(response.status);
    expect(await failedSignIns('(not an email)')).toHaveLength(before + 1);
    const logged = await database.db.select().from(auditLog).where(like(auditLog.objectId, '%script%'));
    expect(logged).toEqual([]);
  });
});

describe('the client address', () => {
  it('with trusted proxies, is the nearest address they did not add: a forged first entry changes nothing', async () => {
    const proxied = createAuth({
      db: database.db,
      secret: randomBytes(32),
      publicOrigin: new URL('http://localhost:3000'),
      trustedProxies: ['192.0.2.0/24'],
    });
    await account('eve-target@example.com');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      // The client forges the first entry; the proxy (192.0.2.1) appended the address it saw.
      const forged = `6.6.6.${attempt}, 203.0.113.7, 192.0.2.1`;
      statuses.push(
        (await signInAnswer(proxied, 'eve-target@example.com', 'wrong password!', forged)).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await failedSignIns('eve-target@example.com')).map((row) => row.ipAddress)).toEqual(
      Array(5).fill('203.0.113.7'),
    );
    expect(clientAddress(new Headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }), proxied.options)).toBe(
      '203.0.113.7',
    );
  });

  it("without trusted proxies, agrees with better-auth's limiter and never takes the first of a list", async () => {
    await account('finn@example.com');
    await signIn('finn@example.com', 'wrong password!', '6.6.6.6, 203.0.113.8');
    const [failure] = await failedSignIns('finn@example.com');
    expect(failure?.ipAddress).not.toBe('6.6.6.6');
    expect(failure?.ipAddress).toBe(
      clientAddress(new Headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.8' }), auth.options),
    );
    const counted = await database.sql<{ key: string }[]>`
      select key from auth_rate_limits where key = ${`${failure?.ipAddress}|/sign-in/email`}`;
    expect(counted).toHaveLength(1);
    // One address is taken as it stands: without a proxy, nothing better exists (client-address.ts).
    expect(clientAddress(new Headers({ 'x-forwarded-for': '203.0.113.9' }), auth.options)).toBe(
      '203.0.113.9',
    );
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
