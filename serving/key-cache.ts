import { SERVING_CREDENTIAL_PREFIX, verifyServingCredential } from '../config/serving-credential';
import type { Sql } from '../db/client';
import { API_KEY_CHANGES_CHANNEL } from '../db/queries/registry';
import { findServingKeys, findServingUsers, type ServingKeyRow } from '../db/queries/serving-keys';
import type { Caller, KeyCheck, KeyChecker } from './contracts';
import { databaseErrorCode, isDatabaseUnavailable } from './database-unavailable';
import { apiKeyHash } from './key-hash';
import { KeyLookups, LOOKUP_BATCH, LookupsFullError } from './key-lookups';
import { KeyUsage } from './key-usage';
import { factsOf, KEY_MESSAGES, type KeyFacts, keyVerdict, refused, userActive } from './key-verdict';
import { Lru } from './lru';

export { KEY_MESSAGES } from './key-verdict';

/**
 * The serving process's KeyChecker. A request's bearer key is hashed as better-auth hashes it and
 * looked up in a cache: a cached key costs no database call. Misses are looked up in batches (one
 * query per 500 keys, one batch at a time however many arrive), unknown keys are remembered
 * briefly, and PostgreSQL announces every key or owner change (API_KEY_CHANGES_CHANNEL, payload
 * 'key:<stored hash>' or 'user:<id>'): only the entries it names are stale, and only requests for
 * those wait (a bounded time) for their re-read, so a revoked key is refused within moments and
 * the other keys never wait. After the listening connection comes back (notifications may have
 * been missed) everything is re-read, and a periodic refresh backs the notifications up. While
 * PostgreSQL is down, cached keys keep answering. Last-used times are written in batches.
 */

export interface KeyCacheOptions {
  sql: Sql;
  /** The installation's secret key, which signs the app's internal credentials (`pwi_…`). */
  secret: Buffer;
  /** Keys (and internal-credential users) cached at most; the least recently used go first. */
  maxEntries?: number;
  /** How long an unknown key is remembered as unknown, and how many are. */
  unknownTtlMs?: number;
  maxUnknown?: number;
  /** Lookups waiting for the database at most; beyond that a new key is answered 503. */
  maxWaitingLookups?: number;
  /** Lookups from one client address at once at most (a tenth of maxWaitingLookups by default). */
  maxLookupsPerClient?: number;
  /** Every cached entry is re-read this often, in case a notification was lost. */
  refreshEveryMs?: number;
  /** Last-used times are written this often. */
  usageFlushMs?: number;
  /** How long a request for a changed (stale) key waits for the re-read before the cached answer stands. */
  staleWaitMs?: number;
  /** Where problems are reported (one line each, never a key); console.error by default. */
  report?: (message: string) => void;
}

export interface KeyCache extends KeyChecker {
  /** Resolves once the cache listens for key changes (or failed to, which is reported and retried). */
  ready(): Promise<void>;
  /** Writes the last-used times noted so far. */
  flushUsage(): Promise<void>;
  /** Re-reads every cached entry now (the periodic refresh). */
  refresh(): Promise<void>;
}

interface Cached<T> {
  facts: T;
  /** A change was announced for it after it was read: re-read before it answers again. */
  stale: boolean;
}

const DEFAULTS = {
  maxEntries: 10_000,
  unknownTtlMs: 10_000,
  maxUnknown: 10_000,
  maxWaitingLookups: 1_000,
  refreshEveryMs: 30_000,
  usageFlushMs: 5_000,
  staleWaitMs: 1_000,
};
/** Announced changes remembered (for lookups under way when they came); older ones count as "any". */
const MAX_CHANGES_REMEMBERED = 10_000;
/** After a failed re-read, requests answer from the cache this long before one is tried again. */
const RETRY_AFTER_FAILURE_MS = 1_000;

const BEARER = /^Bearer\s+(\S+)$/i;
/** better-auth's keys: the pw_ prefix and 64 random letters; anything far from that is not looked up. */
const API_KEY_SHAPE = /^pw_[A-Za-z0-9]{16,128}$/;

export const UNAVAILABLE_MESSAGE =
  'This credential cannot be checked right now: the database is unavailable. Try again shortly.';
export const BUSY_MESSAGE = 'Too many unknown API keys are being checked at once. Try again shortly.';
export const CLIENT_BUSY_MESSAGE =
  'Too many unknown API keys from this address are being checked at once. Try again shortly.';

export function createKeyCache(options: KeyCacheOptions): KeyCache {
  const settings = {
    maxEntries: options.maxEntries ?? DEFAULTS.maxEntries,
    unknownTtlMs: options.unknownTtlMs ?? DEFAULTS.unknownTtlMs,
    maxUnknown: options.maxUnknown ?? DEFAULTS.maxUnknown,
    maxWaitingLookups: options.maxWaitingLookups ?? DEFAULTS.maxWaitingLookups,
    refreshEveryMs: options.refreshEveryMs ?? DEFAULTS.refreshEveryMs,
    usageFlushMs: options.usageFlushMs ?? DEFAULTS.usageFlushMs,
    staleWaitMs: options.staleWaitMs ?? DEFAULTS.staleWaitMs,
  };
  const { sql } = options;
  const report = options.report ?? ((message: string) => console.error(message));

  const keys = new Lru<string, Cached<KeyFacts>>(settings.maxEntries);
  const users = new Lru<string, Cached<boolean>>(settings.maxEntries);
  /** Unknown key hashes → when they may be looked up again. */
  const unknown = new Lru<string, number>(settings.maxUnknown);
  /**
   * Announced changes are numbered; a read records the number it started at, and is stale if a
   * change to what it read came later (the change may have been committed after the read).
   */
  let generation = 0;
  const keyChanges = new Lru<string, number>(MAX_CHANGES_REMEMBERED, forgetChange);
  const userChanges = new Lru<string, number>(MAX_CHANGES_REMEMBERED, forgetChange);
  /** The newest change pushed out of the two maps above: a read older than it may predate any change. */
  let forgotten = 0;
  /** When everything was last declared changed (a reconnect, or a payload not understood). */
  let everythingAt = 0;
  let rereading: Promise<void> | undefined;
  let rereadRetryAt = 0;
  /** After a lookup found PostgreSQL unavailable, new keys are answered 503 without asking until then. */
  let lookupRetryAt = 0;
  const lookups = new KeyLookups(
    sql,
    settings.maxWaitingLookups,
    options.maxLookupsPerClient ?? Math.max(1, Math.floor(settings.maxWaitingLookups / 10)),
  );
  const usage = new KeyUsage(sql, report);
  let closed = false;

  // onlisten runs on the first LISTEN and again after every reconnection of the listening
  // connection, when changes may have been missed: then everything cached is re-read.
  let unlisten: (() => Promise<void>) | undefined;
  const listening = sql
    .listen(API_KEY_CHANGES_CHANNEL, announced, () => changed(everything))
    .then((listener) => {
      unlisten = listener.unlisten;
    })
    .catch((error: unknown) => {
      // postgres.js keeps the listener and listens again once PostgreSQL is reachable.
      report(`Key cache: cannot listen for key changes yet (${databaseErrorCode(error)}); retrying.`);
    });

  const timers = [
    setInterval(() => void refresh(), settings.refreshEveryMs),
    setInterval(() => void flushUsage(), settings.usageFlushMs),
    // Re-reads that failed (PostgreSQL down) are retried here, not by the requests.
    setInterval(() => {
      if (hasStale() && Date.now() >= rereadRetryAt) void reread();
    }, RETRY_AFTER_FAILURE_MS),
  ];
  for (const timer of timers) timer.unref();

  function forgetChange(_name: string, at: number): void {
    forgotten = Math.max(forgotten, at);
  }

  /** A notification: 'key:<stored hash>' or 'user:<id>' (anything else: everything may have changed). */
  function announced(payload: string): void {
    if (payload.startsWith('key:')) changed(() => keyChanged(payload.slice('key:'.length)));
    else if (payload.startsWith('user:')) changed(() => userChanged(payload.slice('user:'.length)));
    else changed(everything);
  }

  /** Marks what a change touched as stale, and re-reads it. */
  function changed(mark: () => void): void {
    if (closed) return;
    generation += 1;
    mark();
    rereadRetryAt = 0;
    void reread();
  }

  function keyChanged(hash: string): void {
    keyChanges.set(hash, generation);
    // A key whose hash changed to this one exists now.
    unknown.delete(hash);
    const entry = keys.peek(hash);
    if (entry) entry.stale = true;
  }

  /** A user's role or deactivation changed: their internal credential and every key they own. */
  function userChanged(id: string): void {
    userChanges.set(id, generation);
    const entry = users.peek(id);
    if (entry) entry.stale = true;
    for (const key of keys.values()) if (key.facts.ownerId === id) key.stale = true;
  }

  function everything(): void {
    everythingAt = generation;
    unknown.clear();
    for (const entry of keys.values()) entry.stale = true;
    for (const entry of users.values()) entry.stale = true;
  }

  /** Whether a change to this key (or its owner) or user was announced after generation `read`. */
  function changedSince(read: number, hash: string | undefined, userId: string | undefined): boolean {
    if (everythingAt > read || forgotten > read) return true;
    if (hash !== undefined && (keyChanges.peek(hash) ?? 0) > read) return true;
    return userId !== undefined && (userChanges.peek(userId) ?? 0) > read;
  }

  function hasStale(): boolean {
    for (const entry of keys.values()) if (entry.stale) return true;
    for (const entry of users.values()) if (entry.stale) return true;
    return false;
  }

  /** Re-reads the stale entries (one query per 500), until none is stale; one re-read at a time. */
  function reread(): Promise<void> {
    rereading ??= (async () => {
      for (;;) {
        const staleKeys = [...keys].filter(([, entry]) => entry.stale).map(([hash]) => hash);
        const staleUsers = [...users].filter(([, entry]) => entry.stale).map(([id]) => id);
        if (staleKeys.length === 0 && staleUsers.length === 0) return;
        await reload(staleKeys, staleUsers);
      }
    })()
      .catch((error: unknown) => {
        rereadRetryAt = Date.now() + RETRY_AFTER_FAILURE_MS;
        report(
          `Key cache: cannot re-read changed keys (${databaseErrorCode(error)}); cached answers stand meanwhile.`,
        );
      })
      .finally(() => {
        rereading = undefined;
      });
    return rereading;
  }

  /** The periodic refresh: re-reads everything cached without making requests wait. */
  async function refresh(): Promise<void> {
    try {
      await reload([...keys.keys()], [...users.keys()]);
    } catch (error) {
      report(
        `Key cache: the periodic refresh failed (${databaseErrorCode(error)}); cached answers stand meanwhile.`,
      );
    }
  }

  /** Reads these entries again; one still stays stale if a change to it came after the read began. */
  async function reload(hashes: string[], userIds: string[]): Promise<void> {
    const read = generation;
    for (let start = 0; start < hashes.length; start += LOOKUP_BATCH) {
      const chunk = hashes.slice(start, start + LOOKUP_BATCH);
      const found = new Map((await findServingKeys(sql, chunk)).map((row) => [row.hash, factsOf(row)]));
      for (const hash of chunk) {
        const facts = found.get(hash);
        // A key no longer there is dropped; a dropped entry stays dropped (peek: a re-read is no use).
        const entry = keys.peek(hash);
        if (facts === undefined) keys.delete(hash);
        else if (entry) {
          entry.facts = facts;
          entry.stale = changedSince(read, hash, facts.ownerId);
        }
      }
    }
    for (let start = 0; start < userIds.length; start += LOOKUP_BATCH) {
      const chunk = userIds.slice(start, start + LOOKUP_BATCH);
      const active = new Map((await findServingUsers(sql, chunk)).map((row) => [row.id, userActive(row)]));
      for (const id of chunk) {
        const entry = users.peek(id);
        if (!entry) continue;
        entry.facts = active.get(id) ?? false;
        entry.stale = changedSince(read, undefined, id);
      }
    }
  }

  /** Waits (a bounded time) for a stale entry's re-read; if it cannot be had, the cached answer stands. */
  async function freshen(entry: Cached<unknown> | undefined): Promise<void> {
    if (!entry?.stale || Date.now() < rereadRetryAt) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, settings.staleWaitMs);
    });
    await Promise.race([reread(), timeout]);
    clearTimeout(timer);
  }

  async function check(authorization: string | undefined, client?: string): Promise<KeyCheck> {
    const header = authorization?.trim();
    if (header === undefined || header === '') return refused(KEY_MESSAGES.missing);
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) return refused(KEY_MESSAGES.malformed);
    if (token.startsWith(SERVING_CREDENTIAL_PREFIX)) return checkInternal(token);
    if (!API_KEY_SHAPE.test(token)) return refused(KEY_MESSAGES.unknown);
    return checkKey(apiKeyHash(token), client);
  }

  async function checkKey(hash: string, client: string | undefined): Promise<KeyCheck> {
    await freshen(keys.peek(hash));
    const cached = keys.get(hash);
    if (cached) return keyVerdict(cached.facts);
    if ((unknown.peek(hash) ?? 0) > Date.now()) return refused(KEY_MESSAGES.unknown);
    if (Date.now() < lookupRetryAt) return { ok: false, status: 503, message: UNAVAILABLE_MESSAGE };
    const read = generation;
    let row: ServingKeyRow | undefined;
    try {
      row = await lookups.find(hash, client);
    } catch (error) {
      return unavailable(error);
    }
    if (row === undefined) {
      if (!changedSince(read, hash, undefined)) unknown.set(hash, Date.now() + settings.unknownTtlMs);
      return refused(KEY_MESSAGES.unknown);
    }
    const facts = factsOf(row);
    // Read before a change to it was announced: cached as stale, so the next check re-reads it.
    keys.set(hash, { facts, stale: changedSince(read, hash, facts.ownerId) });
    return keyVerdict(facts);
  }

  async function checkInternal(token: string): Promise<KeyCheck> {
    const userId = verifyServingCredential(options.secret, token);
    if (userId === undefined) return refused(KEY_MESSAGES.internalInvalid);
    await freshen(users.peek(userId));
    let active = users.get(userId)?.facts;
    if (active === undefined) {
      const read = generation;
      try {
        const [row] = await findServingUsers(sql, [userId]);
        active = row !== undefined && userActive(row);
      } catch (error) {
        return unavailable(error);
      }
      users.set(userId, { facts: active, stale: changedSince(read, undefined, userId) });
    }
    if (!active) return refused(KEY_MESSAGES.internalInactive);
    return { ok: true, caller: { kind: 'internal', userId } };
  }

  function unavailable(error: unknown): KeyCheck {
    if (error instanceof LookupsFullError)
      return { ok: false, status: 503, message: error.perClient ? CLIENT_BUSY_MESSAGE : BUSY_MESSAGE };
    if (isDatabaseUnavailable(error)) lookupRetryAt = Date.now() + RETRY_AFTER_FAILURE_MS;
    else report(`Key cache: a key lookup failed (${databaseErrorCode(error)}).`);
    return { ok: false, status: 503, message: UNAVAILABLE_MESSAGE };
  }

  function used(caller: Caller): void {
    if (caller.kind === 'key' && !closed) usage.note(caller.keyId);
  }

  function flushUsage(): Promise<void> {
    return usage.flush();
  }

  async function close(): Promise<void> {
    closed = true;
    for (const timer of timers) clearInterval(timer);
    await listening;
    await unlisten?.().catch(() => {});
    await flushUsage();
    await rereading;
  }

  return {
    check,
    used,
    close,
    ready: () => listening,
    flushUsage,
    refresh,
  };
}
