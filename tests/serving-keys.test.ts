import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../access/roles';
import { issueServingCredential, SERVING_CREDENTIAL_SECONDS } from '../config/serving-credential';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { setUserDeactivated } from '../db/queries/users';
import type { Auth } from '../runtime/auth/auth';
import type { KeyCheck } from '../serving/contracts';
import {
  BUSY_MESSAGE,
  CLIENT_BUSY_MESSAGE,
  createKeyCache,
  KEY_MESSAGES,
  type KeyCache,
  type KeyCacheOptions,
  UNAVAILABLE_MESSAGE,
} from '../serving/key-cache';
import { apiKeyHash } from '../serving/key-hash';
import { createTestDatabase, type TestDatabase } from './support/database';
import { type OwnPostgres, startOwnPostgres } from './support/own-postgres';
import { testAuth } from './support/services';

const secret = randomBytes(32);

/** A postgres.js pool that counts the statements it sends (the key cache's only way to the database). */
function countingSql(url: string) {
  const seen: string[] = [];
  /** The key hashes each key lookup (or re-read) asked for, in order. */
  const keyLookups: unknown[] = [];
  const sql = postgres(url, {
    max: 3,
    connect_timeout: 3,
    onnotice: () => {},
    debug: (_connection, query, parameters) => {
      seen.push(query);
      if (/from api_keys k join users/.test(query)) keyLookups.push(parameters[0]);
    },
  });
  return {
    sql,
    keyLookups,
    statements: () => seen.length,
    /** Statements about keys and users (a new pooled connection first asks for PostgreSQL's array types). */
    keyQueries: () => seen.filter((query) => /\b(api_keys|users)\b/.test(query)).length,
    seen,
  };
}

async function createUser(auth: Auth, role: Role): Promise<string> {
  const { user } = await auth.api.createUser({
    body: {
      email: `${role}-${randomBytes(4).toString('hex')}@keys.test`,
      password: 'a long enough password',
      name: role,
      role,
    },
  });
  return user.id;
}

async function createKey(
  auth: Auth,
  userId: string,
  metadata: Record<string, unknown> = { scope: 'predict' },
  expiresIn?: number,
): Promise<{ id: string; key: string }> {
  const created = await auth.api.createApiKey({
    body: { userId, name: 'serving test', metadata, expiresIn },
  });
  return { id: created.id, key: created.key };
}

const bearer = (key: string) => `Bearer ${key}`;
const refusal = (message: string, status: 401 | 503 = 401): KeyCheck => ({ ok: false, status, message });

/** A well-formed key nobody made. */
const madeUpKey = () =>
  `pw_${randomBytes(48)
    .toString('base64')
    .replace(/[^A-Za-z]/g, '')
    .slice(0, 40)}`;

describe('the serving key cache (shared database)', () => {
  let database: TestDatabase;
  let auth: Auth;
  let counting: ReturnType<typeof countingSql>;
  const caches: KeyCache[] = [];

  function cache(options: Partial<KeyCacheOptions> = {}): KeyCache {
    const made = createKeyCache({ sql: counting.sql, secret, report: () => {}, ...options });
    caches.push(made);
    return made;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    auth = testAuth(database.db);
    counting = countingSql(database.url);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(caches.splice(0).map((each) => each.close()));
  });
  afterAll(async () => {
    await counting?.sql.end({ timeout: 1 });
    await database?.drop();
  });

  it('asks PostgreSQL once for a key, then answers from the cache with no query at all', async () => {
    const owner = await createUser(auth, 'viewer');
    const { id, key } = await createKey(auth, owner, { scope: 'predict', models: ['churn', 'iris'] });
    const keys = cache();
    await keys.ready();

    const before = counting.keyQueries();
    // Twenty requests with a new key at once share one lookup.
    const first = await Promise.all(Array.from({ length: 20 }, () => keys.check(bearer(key))));
    for (const answer of first) {
      expect(answer).toEqual({
        ok: true,
        caller: { kind: 'key', keyId: id, ownerId: owner, scope: 'predict', models: ['churn', 'iris'] },
      });
    }
    expect(counting.keyQueries() - before).toBe(1);

    const cachedFrom = counting.statements();
    for (let index = 0; index < 500; index += 1) {
      expect((await keys.check(`bearer   ${key}`)).ok).toBe(true);
    }
    expect(counting.statements() - cachedFrom).toBe(0);
  });

  it('refuses missing, malformed and unknown credentials with a sentence that never echoes them; a flood of unknown keys costs one query per batch, not per request', async () => {
    const keys = cache();
    await keys.ready();
    const before = counting.statements();
    expect(await keys.check(undefined)).toEqual(refusal(KEY_MESSAGES.missing));
    expect(await keys.check('  ')).toEqual(refusal(KEY_MESSAGES.missing));
    expect(await keys.check('Basic dXNlcjpwYXNz')).toEqual(refusal(KEY_MESSAGES.malformed));
    expect(await keys.check('Bearer a b')).toEqual(refusal(KEY_MESSAGES.malformed));
    // Not shaped like a key: refused without asking.
    expect(await keys.check(bearer('pw_short'))).toEqual(refusal(KEY_MESSAGES.unknown));
    expect(await keys.check(bearer("pw_'; drop table api_keys; --"))).toEqual(
      refusal(KEY_MESSAGES.malformed),
    );
    expect(counting.statements() - before).toBe(0);

    const bad = madeUpKey();
    const lookupsFrom = counting.keyQueries();
    const answers = await Promise.all(Array.from({ length: 50 }, () => keys.check(bearer(bad))));
    for (const answer of answers) expect(answer).toEqual(refusal(KEY_MESSAGES.unknown));
    for (let index = 0; index < 50; index += 1) {
      expect(await keys.check(bearer(bad))).toEqual(refusal(KEY_MESSAGES.unknown));
    }
    // One lookup, then remembered as unknown.
    expect(counting.keyQueries() - lookupsFrom).toBe(1);

    const flood = Array.from({ length: 300 }, madeUpKey);
    const floodFrom = counting.keyQueries();
    const flooded = await Promise.all(flood.map((each) => keys.check(bearer(each))));
    expect(flooded.every((answer) => !answer.ok && answer.status === 401)).toBe(true);
    expect(counting.keyQueries() - floodFrom).toBe(1);
    for (const answer of [...answers, ...flooded]) {
      expect(JSON.stringify(answer)).not.toMatch(/pw_[A-Za-z]{10}/);
    }
  });

  it('answers 503 rather than queueing without bound when too many unknown keys wait for a lookup', async () => {
    const keys = cache({ maxWaitingLookups: 10 });
    await keys.ready();
    const answers = await Promise.all(Array.from({ length: 25 }, () => keys.check(bearer(madeUpKey()))));
    expect(answers.filter((answer) => !answer.ok && answer.status === 401)).toHaveLength(10);
    expect(answers.filter((answer) => !answer.ok && answer.status === 503)).toHaveLength(15);
    expect(answers.find((answer) => !answer.ok && answer.status === 503)).toEqual(refusal(BUSY_MESSAGE, 503));
  });

  it('gives each client address a share of the lookups: a flood of made-up keys from one does not turn away a real key from another', async () => {
    const owner = await createUser(auth, 'viewer');
    const { key } = await createKey(auth, owner);
    const keys = cache({ maxWaitingLookups: 20 });
    await keys.ready();
    const flood = Array.from({ length: 50 }, () => keys.check(bearer(madeUpKey()), '203.0.113.9'));
    const real = keys.check(bearer(key), '198.51.100.7');
    expect((await real).ok).toBe(true);
    const flooded = await Promise.all(flood);
    // Two places (a tenth of 20) for the flooding address; the rest are told to slow down.
    expect(flooded.filter((answer) => !answer.ok && answer.status === 401)).toHaveLength(2);
    expect(flooded.filter((answer) => !answer.ok && answer.status === 503)).toHaveLength(48);
    expect(flooded.at(-1)).toEqual(refusal(CLIENT_BUSY_MESSAGE, 503));
  });

  it('refuses a revoked key within 2 seconds, and a deleted one', async () => {
    const owner = await createUser(auth, 'editor');
    const revoked = await createKey(auth, owner);
    const deleted = await createKey(auth, owner, { scope: 'read' });
    const keys = cache();
    await keys.ready();
    expect((await keys.check(bearer(revoked.key))).ok).toBe(true);
    expect(await keys.check(bearer(deleted.key))).toMatchObject({ ok: true, caller: { scope: 'read' } });

    await auth.api.updateApiKey({ body: { keyId: revoked.id, userId: owner, enabled: false } });
    const revokedAt = Date.now();
    await vi.waitFor(
      async () => expect(await keys.check(bearer(revoked.key))).toEqual(refusal(KEY_MESSAGES.revoked)),
      { timeout: 2_000, interval: 5 },
    );
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
    expect((await keys.check(bearer(deleted.key))).ok).toBe(true);

    await database.sql`delete from api_keys where id = ${deleted.id}`;
    await vi.waitFor(
      async () => expect(await keys.check(bearer(deleted.key))).toEqual(refusal(KEY_MESSAGES.unknown)),
      { timeout: 2_000, interval: 5 },
    );
  });

  it('re-reads only the key or owner a change names; the other cached keys answer without a query', async () => {
    const owner = await createUser(auth, 'viewer');
    const other = await createUser(auth, 'viewer');
    const revoked = await createKey(auth, owner);
    const kept = await createKey(auth, owner);
    const othersKey = await createKey(auth, other);
    const keys = cache({ refreshEveryMs: 3_600_000 });
    await keys.ready();
    for (const { key } of [revoked, kept, othersKey]) expect((await keys.check(bearer(key))).ok).toBe(true);

    const from = counting.keyLookups.length;
    await auth.api.updateApiKey({ body: { keyId: revoked.id, userId: owner, enabled: false } });
    await vi.waitFor(
      async () => expect(await keys.check(bearer(revoked.key))).toEqual(refusal(KEY_MESSAGES.revoked)),
      { timeout: 2_000, interval: 5 },
    );
    expect(counting.keyLookups.slice(from)).toEqual([[apiKeyHash(revoked.key)]]);

    const statements = counting.statements();
    expect((await keys.check(bearer(kept.key))).ok).toBe(true);
    expect((await keys.check(bearer(othersKey.key))).ok).toBe(true);
    expect(counting.statements() - statements).toBe(0);

    // A user change: their keys only.
    const userFrom = counting.keyLookups.length;
    await setUserDeactivated(database.db, other, true);
    await vi.waitFor(
      async () =>
        expect(await keys.check(bearer(othersKey.key))).toEqual(refusal(KEY_MESSAGES.ownerInactive)),
      { timeout: 2_000, interval: 5 },
    );
    expect(counting.keyLookups.slice(userFrom)).toEqual([[apiKeyHash(othersKey.key)]]);
    expect((await keys.check(bearer(kept.key))).ok).toBe(true);
  });

  it('refuses a key whose owner is deactivated, within 2 seconds, and takes it again when they are reactivated', async () => {
    const owner = await createUser(auth, 'operator');
    const { key } = await createKey(auth, owner);
    const keys = cache();
    await keys.ready();
    expect((await keys.check(bearer(key))).ok).toBe(true);
    await setUserDeactivated(database.db, owner, true);
    await vi.waitFor(
      async () => expect(await keys.check(bearer(key))).toEqual(refusal(KEY_MESSAGES.ownerInactive)),
      { timeout: 2_000, interval: 5 },
    );
    await setUserDeactivated(database.db, owner, false);
    await vi.waitFor(async () => expect((await keys.check(bearer(key))).ok).toBe(true), {
      timeout: 2_000,
      interval: 5,
    });
  });

  it('refuses an expired key, from the cache, without asking PostgreSQL', async () => {
    const owner = await createUser(auth, 'viewer');
    const twoDays = 2 * 24 * 60 * 60;
    const { key } = await createKey(auth, owner, { scope: 'predict' }, twoDays);
    const keys = cache();
    await keys.ready();
    expect((await keys.check(bearer(key))).ok).toBe(true);
    const before = counting.statements();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (twoDays + 60) * 1000);
    expect(await keys.check(bearer(key))).toEqual(refusal(KEY_MESSAGES.expired));
    expect(counting.statements() - before).toBe(0);
    vi.useRealTimers();

    const lapsed = await createKey(auth, owner, { scope: 'predict' }, twoDays);
    await database.sql`update api_keys set expires_at = now() - interval '1 minute' where id = ${lapsed.id}`;
    expect(await keys.check(bearer(lapsed.key))).toEqual(refusal(KEY_MESSAGES.expired));
  });

  it('refuses a key whose metadata has no Pipewright scope', async () => {
    const owner = await createUser(auth, 'viewer');
    const { key } = await createKey(auth, owner, { note: 'made elsewhere' });
    const keys = cache();
    expect(await keys.check(bearer(key))).toEqual(refusal(KEY_MESSAGES.noScope));
  });

  it("accepts the app's internal credential for an active user, from the cache after the first, and refuses forged, expired and deactivated ones", async () => {
    const userId = await createUser(auth, 'viewer');
    const keys = cache();
    await keys.ready();
    const credential = issueServingCredential(secret, userId);
    expect(await keys.check(bearer(credential))).toEqual({ ok: true, caller: { kind: 'internal', userId } });
    const before = counting.statements();
    expect((await keys.check(bearer(issueServingCredential(secret, userId)))).ok).toBe(true);
    expect(counting.statements() - before).toBe(0);

    expect(await keys.check(bearer(issueServingCredential(randomBytes(32), userId)))).toEqual(
      refusal(KEY_MESSAGES.internalInvalid),
    );
    const stale = issueServingCredential(
      secret,
      userId,
      Date.now() - (SERVING_CREDENTIAL_SECONDS + 1) * 1000,
    );
    expect(await keys.check(bearer(stale))).toEqual(refusal(KEY_MESSAGES.internalInvalid));
    expect(await keys.check(bearer(`${credential.slice(0, -2)}xx`))).toEqual(
      refusal(KEY_MESSAGES.internalInvalid),
    );
    expect(await keys.check(bearer(issueServingCredential(secret, 'nobody')))).toEqual(
      refusal(KEY_MESSAGES.internalInactive),
    );

    await setUserDeactivated(database.db, userId, true);
    await vi.waitFor(
      async () =>
        expect(await keys.check(bearer(credential))).toEqual(refusal(KEY_MESSAGES.internalInactive)),
      { timeout: 2_000, interval: 5 },
    );
  });

  it('writes last-used times and request counts in one batched statement, never per request', async () => {
    const owner = await createUser(auth, 'viewer');
    const first = await createKey(auth, owner);
    const second = await createKey(auth, owner);
    const keys = cache({ usageFlushMs: 60_000 });
    await keys.ready();
    const callers = [];
    for (const { key } of [first, second]) {
      const answer = await keys.check(bearer(key));
      if (!answer.ok) throw new Error(answer.message);
      callers.push(answer.caller);
    }
    const [one, two] = callers;
    if (!one || !two) throw new Error('no callers');
    const before = counting.statements();
    const start = new Date();
    for (let index = 0; index < 5; index += 1) keys.used(one);
    for (let index = 0; index < 3; index += 1) keys.used(two);
    keys.used({ kind: 'internal', userId: owner });
    expect(counting.statements() - before).toBe(0);

    await keys.flushUsage();
    const writes = counting.seen.slice(before).filter((query) => /\b(api_keys|users)\b/.test(query));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/update api_keys/);
    const rows = await database.sql<{ id: string; count: number; last: number }[]>`
      select id, request_count as count, (extract(epoch from last_request) * 1000)::float8 as last from api_keys where id in (${first.id}, ${second.id})`;
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(first.id)?.count).toBe(5);
    expect(byId.get(second.id)?.count).toBe(3);
    expect(byId.get(first.id)?.last).toBeGreaterThanOrEqual(start.getTime() - 5);
    // Nothing left to write: no statement.
    const written = counting.statements();
    await keys.flushUsage();
    expect(counting.statements() - written).toBe(0);
    // Writing usage does not announce a key change: the cache still answers without a query.
    const after = counting.statements();
    expect((await keys.check(bearer(first.key))).ok).toBe(true);
    expect(counting.statements() - after).toBe(0);
  });

  describe('when a change notification is missed', () => {
    afterEach(async () => {
      await database.sql`alter table api_keys enable trigger api_keys_changed`;
    });

    it('re-reads every cached key after the listening connection is cut and comes back', async () => {
      const owner = await createUser(auth, 'viewer');
      const { id, key } = await createKey(auth, owner);
      const keys = cache({ refreshEveryMs: 3_600_000 });
      await keys.ready();
      expect((await keys.check(bearer(key))).ok).toBe(true);
      // A revocation nobody announces: the cached answer stands.
      await database.sql`alter table api_keys disable trigger api_keys_changed`;
      await database.sql`update api_keys set enabled = false where id = ${id}`;
      expect((await keys.check(bearer(key))).ok).toBe(true);

      const cut = await database.sql<{ pid: number }[]>`
        select pg_terminate_backend(pid), pid from pg_stat_activity
        where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`;
      expect(cut).toHaveLength(1);
      await vi.waitFor(
        async () => expect(await keys.check(bearer(key))).toEqual(refusal(KEY_MESSAGES.revoked)),
        { timeout: 10_000, interval: 20 },
      );
    });

    it('the periodic refresh sees the change', async () => {
      const owner = await createUser(auth, 'viewer');
      const { id, key } = await createKey(auth, owner);
      const keys = cache({ refreshEveryMs: 200 });
      await keys.ready();
      expect((await keys.check(bearer(key))).ok).toBe(true);
      await database.sql`alter table api_keys disable trigger api_keys_changed`;
      await database.sql`update api_keys set enabled = false where id = ${id}`;
      await vi.waitFor(
        async () => expect(await keys.check(bearer(key))).toEqual(refusal(KEY_MESSAGES.revoked)),
        { timeout: 3_000, interval: 20 },
      );
    });
  });
});

// This part stops PostgreSQL, so it runs one of its own (the shared test server stays up).
describe('the serving key cache while PostgreSQL is down', () => {
  let server: OwnPostgres;
  let database: DatabaseHandle;
  let auth: Auth;
  let counting: ReturnType<typeof countingSql>;
  let keys: KeyCache | undefined;

  beforeAll(async () => {
    server = await startOwnPostgres();
    database = connectDatabase(server.url, { max: 2 });
    auth = testAuth(database.db);
    counting = countingSql(server.url);
  }, 120_000);
  afterAll(async () => {
    await keys?.close();
    await counting?.sql.end({ timeout: 1 });
    await database?.close();
    await server?.remove();
  });

  it('keeps answering cached keys, answers 503 for keys it cannot check, and after the restart listens again and writes what waited', async () => {
    const owner = await createUser(auth, 'viewer');
    const cached = await createKey(auth, owner);
    const notCached = await createKey(auth, owner);
    keys = createKeyCache({
      sql: counting.sql,
      secret,
      report: () => {},
      refreshEveryMs: 3_600_000,
      usageFlushMs: 3_600_000,
    });
    await keys.ready();
    const answer = await keys.check(bearer(cached.key));
    if (!answer.ok) throw new Error(answer.message);
    const credential = issueServingCredential(secret, owner);
    expect((await keys.check(bearer(credential))).ok).toBe(true);

    await server.stop();
    for (let index = 0; index < 100; index += 1) {
      expect(await keys.check(bearer(cached.key))).toEqual(answer);
    }
    expect((await keys.check(bearer(credential))).ok).toBe(true);
    expect(await keys.check(bearer(notCached.key))).toEqual(refusal(UNAVAILABLE_MESSAGE, 503));
    expect(await keys.check(bearer(madeUpKey()))).toEqual(refusal(UNAVAILABLE_MESSAGE, 503));
    for (let index = 0; index < 4; index += 1) keys.used(answer.caller);
    await expect(keys.flushUsage()).resolves.toBeUndefined();

    await server.start();
    // Written once PostgreSQL is back, with the uses that waited.
    await vi.waitFor(
      async () => {
        await keys?.flushUsage();
        const [row] = await database.sql<{ count: number }[]>`
          select request_count as count from api_keys where id = ${cached.id}`;
        expect(row?.count).toBe(4);
      },
      { timeout: 20_000, interval: 200 },
    );
    await vi.waitFor(async () => expect((await keys?.check(bearer(notCached.key)))?.ok).toBe(true), {
      timeout: 20_000,
      interval: 200,
    });
    // The listener is back (postgres.js reconnects it with backoff), and a revocation now is seen
    // through its notification: the periodic refresh is an hour away.
    await vi.waitFor(
      async () => {
        const listening = await database.sql`
          select 1 from pg_stat_activity where datname = current_database() and query ilike 'listen %'`;
        expect(listening).toHaveLength(1);
      },
      { timeout: 30_000, interval: 100 },
    );
    await auth.api.updateApiKey({ body: { keyId: cached.id, userId: owner, enabled: false } });
    await vi.waitFor(
      async () => expect(await keys?.check(bearer(cached.key))).toEqual(refusal(KEY_MESSAGES.revoked)),
      { timeout: 2_000, interval: 5 },
    );
  }, 120_000);
});
