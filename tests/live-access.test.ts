/**
 * A live stream outlives the call that opened it: runs.onChange is asked again whether its caller
 * may still read, and ends once a user is deactivated or a key revoked. Real better-auth sessions
 * and keys, real PostgreSQL LISTEN/NOTIFY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveActor } from '../app/_server/auth/actor';
import { reauthorizerOf } from '../app/_server/auth/reauthorize';
import { appRouter } from '../app/_server/root';
import type { Services } from '../app/_server/services';
import { createCallerFactory } from '../app/_server/trpc';
import { RUN_CHANGES_CHANNEL, type RunChange } from '../db/queries/run-state';
import type { Auth } from '../runtime/auth/auth';
import { accountsAuth, createKey, revokeKey, signedInAs } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { databaseOnlyServices, testActor, testContext } from './support/services';

let database: TestDatabase;
let auth: Auth;
let services: Services;
beforeAll(async () => {
  database = await createTestDatabase();
  auth = accountsAuth(database.db);
  services = databaseOnlyServices(database, auth);
});
afterAll(() => database?.drop());

/** Announces a change of this run, as the worker does when a run's status changes. */
async function announce(runId: string): Promise<void> {
  const change: RunChange = { type: 'run', runId, status: 'running', error: null };
  await database.sql`select pg_notify(${RUN_CHANGES_CHANNEL}, ${JSON.stringify(change)})`;
}

/**
 * Opens runs.onChange as the tRPC route does for a request with these headers (its reauthorize not
 * cached, so the test need not wait), and collects what it yields until it ends.
 */
async function openStream(headers: Headers) {
  const actor = await resolveActor(auth, database.db, headers);
  const controller = new AbortController();
  const context = { ...testContext(services, actor), reauthorize: reauthorizerOf(services, headers, 0) };
  const stream = await createCallerFactory(appRouter)(context, { signal: controller.signal }).runs.onChange(
    {},
  );
  const received: string[] = [];
  let open = true;
  const ended = (async () => {
    for await (const change of stream) received.push(change.runId);
    open = false;
  })();
  // The first change through proves the stream is listening; a few may be announced before it is.
  while (received.length === 0 && open) {
    await announce('before');
    await Promise.race([ended, new Promise((resolve) => setImmediate(resolve))]);
  }
  expect(received.length).toBeGreaterThan(0);
  return { received, ended, controller };
}

describe('a live run stream', () => {
  it('ends once its signed-in user is deactivated, without the changes after', async () => {
    const viewer = await signedInAs(auth, 'viewer');
    const { received, ended, controller } = await openStream(new Headers(viewer.headers));
    try {
      const admin = createCallerFactory(appRouter)(testContext(services, testActor('admin')));
      await admin.users.deactivate({ userId: viewer.userId });
      await announce('after');
      await ended;
      expect(received.length).toBeGreaterThan(0);
      expect(received.every((runId) => runId === 'before')).toBe(true);
    } finally {
      controller.abort();
    }
  });

  it('ends once its API key is revoked, without the changes after', async () => {
    const owner = await signedInAs(auth, 'editor');
    const key = await createKey(auth, owner.userId, 'read');
    const { received, ended, controller } = await openStream(
      new Headers({ authorization: `Bearer ${key.key}` }),
    );
    try {
      await revokeKey(auth, owner.userId, key.id);
      await announce('after');
      await ended;
      expect(received.every((runId) => runId === 'before')).toBe(true);
    } finally {
      controller.abort();
    }
  });

  it('keeps streaming to a caller who still may read', async () => {
    const viewer = await signedInAs(auth, 'viewer');
    const { received, ended, controller } = await openStream(new Headers(viewer.headers));
    await announce('after');
    // Ends only if the stream does, which would fail the expectation below.
    await Promise.race([
      ended,
      (async () => {
        while (!received.includes('after')) await new Promise((resolve) => setImmediate(resolve));
      })(),
    ]);
    expect(received).toContain('after');
    controller.abort();
    await ended;
  });
});
