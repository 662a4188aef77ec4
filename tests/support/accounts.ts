import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyScope, Role } from '../../access/roles';
import { deriveKey } from '../../config/secret-key';
import type { Database } from '../../db/client';
import { type Auth, createAuth } from '../../runtime/auth/auth';
import { testSecretKey } from './secret-key';

/** The origin better-auth is told users reach the app at; sign-in requests come from it. */
const TEST_ORIGIN = 'http://localhost:3000';

/**
 * Better-auth over a test database with the secret key the test web app is given (testSecretKey),
 * so a session cookie made here is one the app accepts.
 */
export function accountsAuth(db: Database): Auth {
  return createAuth({
    db,
    secret: deriveKey(testSecretKey, 'sessions'),
    publicOrigin: new URL(TEST_ORIGIN),
  });
}

export interface Account {
  userId: string;
  email: string;
  password: string;
  role: Role;
}

/** A user of this role, created through better-auth as the join flow and the CLI create them. */
export async function createAccount(
  auth: Auth,
  role: Role,
  options: { email?: string; password?: string } = {},
): Promise<Account> {
  const email = options.email ?? `${role}-${randomUUID().slice(0, 8)}@example.test`;
  const password = options.password ?? `pw-${randomBytes(12).toString('hex')}`;
  const created = await auth.api.createUser({
    body: { email, password, name: `Test ${role}`, role },
  });
  return { userId: created.user.id, email, password, role };
}

/** The name and value of a session cookie, as better-auth set it. */
export interface SessionCookie {
  name: string;
  value: string;
}

/** Signs in through better-auth's own endpoint (as the sign-in page does) and returns the session cookie. */
export async function signIn(auth: Auth, email: string, password: string): Promise<SessionCookie> {
  // An address per sign-in: the per-address limit must not decide a test that signs in often.
  const response = await signInAnswer(auth, email, password, `10.${randomBytes(3).join('.')}`);
  if (response.status !== 200) {
    throw new Error(`signing in as ${email} answered ${response.status}: ${await response.text()}`);
  }
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('pipewright.session_token='));
  if (cookie === undefined) throw new Error(`signing in as ${email} set no session cookie`);
  const separator = cookie.indexOf('=');
  return { name: cookie.slice(0, separator), value: cookie.slice(separator + 1) };
}

/** better-auth's answer to a sign-in from the sign-in page, sent from this client address. */
export function signInAnswer(
  auth: Auth,
  email: string,
  password: string,
  address: string,
): Promise<Response> {
  return auth.handler(
    new Request(`${TEST_ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: TEST_ORIGIN, 'x-forwarded-for': address },
      body: JSON.stringify({ email, password }),
    }),
  );
}

/** The Cookie header that carries this session. */
export function cookieHeader(cookie: SessionCookie): string {
  return `${cookie.name}=${cookie.value}`;
}

export interface SignedIn extends Account {
  cookie: SessionCookie;
  /** `{ cookie: … }`, to spread into a request's headers. */
  headers: { cookie: string };
}

/** A new user of this role, signed in. */
export async function signedInAs(
  auth: Auth,
  role: Role,
  options: { email?: string; password?: string } = {},
): Promise<SignedIn> {
  const account = await createAccount(auth, role, options);
  const cookie = await signIn(auth, account.email, account.password);
  return { ...account, cookie, headers: { cookie: cookieHeader(cookie) } };
}

/** An API key of this scope for the user, created server-side as the keys page does; the key is shown once. */
export async function createKey(
  auth: Auth,
  userId: string,
  scope: KeyScope,
  options: { models?: string[]; name?: string } = {},
): Promise<{ id: string; key: string; start: string | null }> {
  const created = await auth.api.createApiKey({
    body: {
      userId,
      name: options.name ?? `test ${scope} key`,
      metadata: { scope, ...(options.models ? { models: options.models } : {}) },
    },
  });
  return { id: created.id, key: created.key, start: created.start };
}

/** Revokes a key as `keys revoke` does: it stays listed, but no request is accepted with it. */
export async function revokeKey(auth: Auth, userId: string, keyId: string): Promise<void> {
  await auth.api.updateApiKey({ body: { keyId, userId, enabled: false } });
}

/** The session cookie as Chromium takes it (`context.addCookies`), for the app at this address. */
export function browserCookie(cookie: SessionCookie, appUrl: string) {
  return { ...cookie, url: appUrl, httpOnly: true, sameSite: 'Lax' as const };
}
