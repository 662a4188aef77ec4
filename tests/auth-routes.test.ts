import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Auth } from '../runtime/auth/auth';
import { handleAuthRequest, OPEN_AUTH_ROUTES } from '../runtime/auth/auth-routes';
import { createAccount } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { testAuth } from './support/services';

const ORIGIN = 'http://localhost:3000';

let database: TestDatabase;
let auth: Auth;
let cookie: string;
beforeAll(async () => {
  database = await createTestDatabase();
  auth = testAuth(database.db);
  const account = await createAccount(auth, 'admin');
  const signedIn = await auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': '10.7.0.1' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    }),
  );
  cookie = signedIn.headers.get('set-cookie')?.split(';')[0] ?? '';
});
afterAll(() => database?.drop());

/** Every HTTP endpoint better-auth's router has (auth.api), with its methods; `:param` filled in. */
function betterAuthEndpoints(): { path: string; method: string }[] {
  return Object.values(auth.api).flatMap((endpoint) => {
    const path = 'path' in endpoint && typeof endpoint.path === 'string' ? endpoint.path : undefined;
    if (path === undefined) return [];
    const declared: unknown = 'options' in endpoint ? endpoint.options.method : undefined;
    const methods = (Array.isArray(declared) ? declared : [declared])
      .flatMap((method) => (method === '*' ? ['GET', 'POST'] : [method]))
      .filter((method): method is string => method === 'GET' || method === 'POST');
    return methods.map((method) => ({ path: path.replace(/:\w+/g, 'x'), method }));
  });
}

function requestTo(method: string, path: string): Request {
  return new Request(`${ORIGIN}/api/auth${path}`, {
    method,
    headers: {
      cookie,
      origin: ORIGIN,
      'x-forwarded-for': '10.7.0.2',
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
}

describe('the /api/auth allow-list', () => {
  it('answers 404 for every better-auth endpoint but sign-in, sign-out, change-password and get-session', async () => {
    const endpoints = betterAuthEndpoints();
    // The router's own list, not a copy: these are among the ones a signed-in attacker would try.
    for (const path of [
      '/verify-password',
      '/revoke-session',
      '/list-sessions',
      '/update-user',
      '/api-key/list',
    ]) {
      expect(endpoints.map((endpoint) => endpoint.path)).toContain(path);
    }
    const open = new Set(OPEN_AUTH_ROUTES.map((route) => `${route.method} ${route.path}`));
    const answers: Record<string, number> = {};
    for (const { method, path } of endpoints) {
      if (open.has(`${method} ${path}`)) continue;
      answers[`${method} ${path}`] = (await handleAuthRequest(auth, requestTo(method, path))).status;
    }
    expect(Object.keys(answers).length).toBeGreaterThan(40);
    expect(Object.entries(answers).filter(([, status]) => status !== 404)).toEqual([]);
  });

  it('answers 404 for other spellings and methods of the open routes', async () => {
    for (const [method, path] of [
      ['POST', '/get-session'],
      ['GET', '/sign-out'],
      ['POST', '/sign-in/email/'],
      ['POST', '/sign-in/%65mail'],
      ['POST', '//sign-in/email'],
    ] as const) {
      expect((await handleAuthRequest(auth, requestTo(method, path))).status, `${method} ${path}`).toBe(404);
    }
  });

  it('passes the open routes to better-auth', async () => {
    const session = await handleAuthRequest(auth, requestTo('GET', '/get-session'));
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ user: { role: 'admin' } });
    expect((await handleAuthRequest(auth, requestTo('POST', '/change-password'))).status).toBe(400);
  });
});
