/**
 * No secret leaves the server: not in an answer, an error message or a log line. The production app
 * over real HTTP is signed in to, refused, fed bad input and asked for every list it has; then every
 * answer and every log file is searched for the passwords, the keys, a key's stored hash, the
 * session tokens, the secret key and the database password.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app/_server/root';
import { deriveKey } from '../config/secret-key';
import type { RunningApp } from '../runtime/launcher/web-app';
import { accountsAuth, createKey, revokeKey, type SignedIn, signedInAs } from './support/accounts';
import { setUpDatabaseAndWorker } from './support/fixture';
import { proceduresOf } from './support/procedures';
import { testSecretKey } from './support/secret-key';
import { startWebApp } from './support/web-app';

const fixture = setUpDatabaseAndWorker();
const WRONG_PASSWORD = 'not-the-password-4f1c9a';
/** A stored connection's password: wrong for the database it names, so testing it fails. */
const CONNECTION_PASSWORD = 'conn-secret-8e2d61b0';

let app: RunningApp;
let admin: SignedIn;
let editor: SignedIn;
let viewer: SignedIn;
let adminKey: { id: string; key: string };
let revokedKey: { id: string; key: string };
/** Every answer body (and status line) the app gave in this file, in order. */
const answers: string[] = [];

beforeAll(async () => {
  delete process.env.PIPEWRIGHT_PUBLIC_URL;
  app = await startWebApp(fixture);
  const auth = accountsAuth(fixture.database.db);
  admin = await signedInAs(auth, 'admin');
  editor = await signedInAs(auth, 'editor');
  viewer = await signedInAs(auth, 'viewer');
  adminKey = await createKey(auth, admin.userId, 'admin');
  revokedKey = await createKey(auth, admin.userId, 'run');
  await revokeKey(auth, admin.userId, revokedKey.id);
}, 900_000);

afterAll(async () => {
  await app?.stop();
});

async function send(pathname: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(new URL(pathname, app.url), init);
  const text = await response.text();
  // Set-Cookie is where a session token belongs (httpOnly: page scripts cannot read it).
  const headers = [...response.headers].filter(([name]) => name !== 'set-cookie');
  answers.push(`${response.status} ${pathname}\n${headers.join('\n')}\n${text}`);
  return new Response(text, { status: response.status, headers: response.headers });
}

function signInOverHttp(email: string, password: string): Promise<Response> {
  return send('/api/auth/sign-in/email', {
    method: 'POST',
    // The app's public address (PIPEWRIGHT_PUBLIC_URL unset: localhost on its port) is the one origin
    // better-auth trusts.
    headers: { 'content-type': 'application/json', origin: `http://localhost:${new URL(app.url).port}` },
    body: JSON.stringify({ email, password }),
  });
}

function query(procedure: string, input: unknown, headers: Record<string, string>): Promise<Response> {
  const encoded = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  return send(`/api/trpc/${procedure}?input=${encoded}`, { headers });
}

function mutation(procedure: string, input: unknown, headers: Record<string, string>): Promise<Response> {
  return send(`/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(superjson.serialize(input)),
  });
}

/** The secrets this file made, by name: none may appear anywhere outside the server's own state. */
async function secrets(): Promise<Record<string, string>> {
  const stored = await fixture.database.sql<{ id: string; key: string }[]>`select id, key from api_keys`;
  const sessions = await fixture.database.sql<{ token: string }[]>`select token from sessions`;
  const databasePassword = decodeURIComponent(new URL(fixture.database.url).password);
  return {
    'admin password': admin.password,
    'editor password': editor.password,
    'viewer password': viewer.password,
    'wrong password tried': WRONG_PASSWORD,
    'admin key': adminKey.key,
    'revoked key': revokedKey.key,
    // The part of a key after its shown prefix: what the prefix does not already show.
    'admin key (hidden part)': adminKey.key.slice(11),
    ...Object.fromEntries(stored.map((row) => [`stored hash of key ${row.id}`, row.key])),
    ...Object.fromEntries(sessions.map((row, index) => [`session token ${index + 1}`, row.token])),
    'secret key': testSecretKey.toString('base64'),
    'secret key (hex)': testSecretKey.toString('hex'),
    'session signing key': deriveKey(testSecretKey, 'sessions').toString('base64'),
    ...(databasePassword.length >= 4 ? { 'database password': databasePassword } : {}),
    'database URL': fixture.database.url,
    'connection password': CONNECTION_PASSWORD,
  };
}

/** Which secrets the text holds, by name. */
function leaksIn(text: string, named: Record<string, string>): string[] {
  return Object.entries(named)
    .filter(([, secret]) => secret.length > 0 && text.includes(secret))
    .map(([name]) => name);
}

function logFiles(): string[] {
  const logs = path.join(fixture.worker.dataDir, 'logs');
  return readdirSync(logs, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('secrets', () => {
  it('a stored connection never answers its password: not listed, not in a failed test, not stored in clear', async () => {
    expect(proceduresOf(appRouter).map((procedure) => procedure.path)).toContain('connections.create');
    const database = new URL(fixture.database.url);
    const created = await mutation(
      'connections.create',
      {
        name: 'SECRETS_TEST',
        host: database.hostname,
        port: Number(database.port),
        database: database.pathname.slice(1),
        username: decodeURIComponent(database.username),
        password: CONNECTION_PASSWORD,
        options: { sslmode: 'disable' },
      },
      admin.headers,
    );
    expect(created.status).toBe(200);
    const tested = await mutation('connections.test', { name: 'SECRETS_TEST' }, admin.headers);
    expect(tested.status).toBeLessThan(500);
    const listed = await query('connections.list', undefined, admin.headers);
    expect(await listed.text()).toContain('SECRETS_TEST');
    const [row] = await fixture.database.sql<{ sealed: Buffer }[]>`
      select password_sealed as sealed from connections where name = 'SECRETS_TEST'`;
    expect(row?.sealed.length).toBeGreaterThan(CONNECTION_PASSWORD.length);
    expect(row?.sealed.includes(Buffer.from(CONNECTION_PASSWORD))).toBe(false);
    expect(answers.flatMap((answer) => leaksIn(answer, { connection: CONNECTION_PASSWORD }))).toEqual([]);
  });

  it('a wrong password, a revoked key, a malformed key and a refused role say why, and nothing more', async () => {
    const wrong = await signInOverHttp(admin.email, WRONG_PASSWORD);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({
      message: expect.stringMatching(/invalid email or password/i),
    });

    const revoked = await query('pipelines.list', {}, { authorization: `Bearer ${revokedKey.key}` });
    expect(revoked.status).toBe(401);
    expect(await revoked.text()).toContain('This API key is not valid');
    // One character off: the message must not echo what was sent.
    const mistyped = await query('pipelines.list', {}, { authorization: `Bearer ${adminKey.key}x` });
    expect(mistyped.status).toBe(401);
    const mistypedText = await mistyped.text();
    expect(mistypedText).toContain('This API key is not valid');
    expect(mistypedText).not.toContain(adminKey.key);
    expect(mistypedText).not.toContain(adminKey.key.slice(-8));
    // Without the Bearer scheme the header is not Pipewright's (a proxy's Basic login, say): the caller
    // is anonymous, told how to send a key, and the key is not echoed.
    const malformed = await query('pipelines.list', {}, { authorization: adminKey.key });
    expect(malformed.status).toBe(401);
    const malformedText = await malformed.text();
    expect(malformedText).toContain('Authorization: Bearer …');
    expect(malformedText).not.toContain(adminKey.key);

    const refused = await mutation('pipelines.create', { name: 'x' }, viewer.headers);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain(
      `${viewer.email} (viewer) may not create, edit or import pipelines`,
    );
    const badInput = await mutation('pipelines.create', { name: '' }, admin.headers);
    expect(badInput.status).toBe(400);
    const badJoin = await mutation(
      'join.accept',
      {
        token: 'no-such-token-000000000000',
        name: 'Eve',
        email: 'eve@example.test',
        password: admin.password,
      },
      {},
    );
    // An unknown invite link is a bad credential, like a wrong password: 401 and a sentence.
    expect(badJoin.status).toBe(401);
    expect(await badJoin.text()).toContain('This link is not valid.');
  });

  it('signing in works with the right password, and every list and account answer holds no secret', async () => {
    expect((await signInOverHttp(admin.email, admin.password)).status).toBe(200);
    for (const headers of [admin.headers, { authorization: `Bearer ${adminKey.key}` }]) {
      // Every query the router has, with no input and with an empty one: lists answer, the others
      // refuse the input; neither may carry a secret. Procedures added later (users, keys,
      // connections, audit) are called here as soon as they exist.
      const queries = proceduresOf(appRouter)
        .filter((procedure) => procedure.type === 'query')
        .map((procedure) => procedure.path);
      expect(queries).toContain('account.me');
      for (const name of queries) {
        await query(name, undefined, headers);
        await query(name, {}, headers);
      }
    }
    // better-auth's own answers about the session: the token belongs in the httpOnly cookie only.
    expect((await send('/api/auth/get-session', { headers: admin.headers })).status).toBe(200);
    // Closed: only sign-in, sign-out, change-password and get-session are open (auth-routes.ts).
    expect((await send('/api/auth/list-sessions', { headers: admin.headers })).status).toBe(404);
    const named = await secrets();
    const leaks = answers.flatMap((answer) =>
      leaksIn(answer, named).map((name) => `${name} in: ${answer.split('\n')[0]}`),
    );
    expect(leaks).toEqual([]);
  });

  it('GET /api/health is public and names neither the database URL, its password nor the secret key', async () => {
    const health = await send('/api/health');
    expect(health.status).not.toBe(401);
    const text = await health.text();
    expect(leaksIn(text, await secrets())).toEqual([]);
    expect(text).not.toMatch(/postgres(ql)?:\/\//);
  });

  it('no log line holds a secret', async () => {
    const named = await secrets();
    const files = logFiles();
    expect(files.map((file) => path.basename(file))).toContain('app.log');
    const leaks = files.flatMap((file) =>
      leaksIn(readFileSync(file, 'utf8'), named).map((name) => `${name} in ${path.basename(file)}`),
    );
    expect(leaks).toEqual([]);
  });
});
