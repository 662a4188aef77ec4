/**
 * A failed query's parameters never reach a log line: drizzle puts them in its error's message
 * (`params: …`), and they hold session tokens, password hashes and sealed passwords. Queries are made
 * to fail here with a known value among their parameters, through a tRPC procedure (logged by the
 * route's onError) and through better-auth (logged by its own logger), and the console is searched.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appRouter } from '../app/_server/root';
import { logServerError } from '../app/_server/trpc';
import type { Auth } from '../runtime/auth/auth';
import { accountsAuth, createAccount } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { databaseOnlyServices, testContext } from './support/services';

let database: TestDatabase;
let auth: Auth;
beforeAll(async () => {
  database = await createTestDatabase();
  auth = accountsAuth(database.db);
});
afterAll(() => database?.drop());
afterEach(() => vi.restoreAllMocks());

/** Everything written to the console while `action` runs, one string per call. */
async function consoleDuring(action: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const capture = (...parts: unknown[]) => {
    lines.push(
      parts.map((part) => (part instanceof Error ? `${part.stack} ${String(part)}` : String(part))).join(' '),
    );
  };
  for (const method of ['error', 'warn', 'log', 'info', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation(capture);
  await action();
  return lines.join('\n');
}

/** A tRPC mutation through the same handler and onError as app/api/trpc, signed in as an admin. */
function mutation(procedure: string, input: unknown): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(`http://localhost:3000/api/trpc/${procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize(input)),
    }),
    router: appRouter,
    createContext: () => testContext(databaseOnlyServices(database, auth)),
    onError: logServerError,
  });
}

describe('a failed query in the log', () => {
  it('names the query and the database error of a procedure, never its parameters', async () => {
    const marker = 'marker_user_3f9a1c';
    await database.sql`alter table connections add constraint refuses_all check (false) not valid`;
    try {
      let answer = '';
      const logged = await consoleDuring(async () => {
        const response = await mutation('connections.create', {
          name: 'LEAKY',
          host: 'db.example.com',
          port: 5432,
          database: 'sales',
          username: marker,
          password: 'conn-password-91b2',
          options: { sslmode: 'require', applicationName: marker },
        });
        expect(response.status).toBe(500);
        answer = await response.text();
      });
      expect(logged).toContain('Failed query: insert into "connections"');
      expect(logged).toContain('violates check constraint "refuses_all"');
      expect(logged).not.toContain(marker);
      expect(logged).not.toContain('db.example.com');
      expect(logged).not.toContain('conn-password-91b2');
      expect(answer).not.toContain(marker);
    } finally {
      await database.sql`alter table connections drop constraint refuses_all`;
    }
  });

  it('names the query of a failed sign-in that better-auth logs, never its parameters', async () => {
    const account = await createAccount(auth, 'viewer');
    const userAgent = 'agent-marker-77d0e4';
    await database.sql`alter table sessions add constraint refuses_all check (false) not valid`;
    try {
      // The app's auth route, over this file's better-auth (appAuth() keeps one per process).
      globalThis.pipewrightAuth = auth;
      const route = await import('../app/api/auth/[...all]/route');
      let answer = '';
      const logged = await consoleDuring(async () => {
        const response = await route.POST(
          new Request('http://localhost:3000/api/auth/sign-in/email', {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              origin: 'http://localhost:3000',
              'x-forwarded-for': '10.9.8.7',
              'user-agent': userAgent,
            },
            body: JSON.stringify({ email: account.email, password: account.password }),
          }),
        );
        expect(response.status).toBe(500);
        answer = await response.text();
      });
      expect(logged).toContain('insert into "sessions"');
      expect(logged).toContain('violates check constraint "refuses_all"');
      expect(logged).not.toContain(userAgent);
      expect(logged).not.toContain(account.userId);
      expect(logged).not.toContain(account.password);
      expect(answer).toMatch(/^\{"error":"Something went wrong on the server \(error id [0-9a-f-]+\)/);
      expect(answer).not.toContain(userAgent);
    } finally {
      await database.sql`alter table sessions drop constraint refuses_all`;
    }
  });
});
