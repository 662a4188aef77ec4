import { verifyServingCredential } from '../config/serving-credential';
import type { Sql } from '../db/client';
import { API_KEY_CHANGES_CHANNEL } from '../db/queries/registry';
import { findServingKeys, findServingUsers, type ServingKeyRow } from '../db/queries/serving-keys';
import type { Caller, KeyCheck, KeyChecker } from './contracts';
import { databaseErrorCode, isDatabaseUnavailable } from './database-unavailable';
import { apiKeyHash } from './key-hash';
import { KeyLookups, LOOKUP_BATCH, LookupsFullError } from './key-lookups';
import { KeyUsage } from './key-usage';
import { factsOf, KEY_MESSAGES, type KeyFacts, keyVerdict, refused, userActive } from './key-verdict';

export { KEY_MESSAGES } from './key-verdict';

/**
 * The serving process's KeyChecker. A request's bearer key is hashed as better-auth hashes it and
 * looked up in a cache: a cached key costs no database call. Misses are looked up in batches (one
 * query at a time, however many arrive), unknown keys are remembered briefly, and PostgreSQL
 * announces every key or owner change (API_KEY_CHANGES_CHANNEL): cached entries are then stale and
 * re-read in one query before they answer again, so a revoked key is refused within moments. After
 * the listening connection comes back (notifications may have been missed) everything is re-read,
 * and a periodic refresh backs the notifications up. While PostgreSQL is down, cached keys keep
 * answering. Last-used times are written in batches.
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
  /** The change generation the facts were read at; older than the current one means stale. */
  generation: number;
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
/** After a failed re-read, requests answer from the cache this long before one is tried again. */
const RETRY_AFTER_FAILURE_MS = 1_000;

const BEARER = /^Bearer\s+(\S+)$/i;
/** better-auth's keys: the pw_ prefix and 64 random letters; anything far from that is not looked up. */
const API_KEY_SHAPE = /^pw_[A-Za-z0-9]{16,128}$/;

export const UNAVAILABLE_MESSAGE =
  'This credential cannot be checked right now: the database is unavailable. Try again shortly.';
export const BUSY_MESSAGE = 'Too many unknown API keys are being checked at once. Try again shortly.';

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

  const keys = new Map<string, Cached<KeyFacts>>();
  const users = new Map<string, Cached<boolean>>();
  /** Unknown key hashes → when they may be looked up again. */
  const unknown = new Map<string, number>();
  let generation = 0;
  let rereading: Promise<void> | undefined;
  let rereadRetryAt = 0;
  /** After a lookup found PostgreSQL unavailable, new keys are answered 503 without asking until then. */
  let lookupRetryAt = 0;
  const lookups = new KeyLookups(sql, settings.maxWaitingLookups);
  const usage = new KeyUsage(sql, report);
  let closed = false;

  // onlisten runs on the first LISTEN and again after every reconnection of the listening
  // connection, when changes may have been missed: then everything cached is re-read.
  let unlisten: (() => Promise<void>) | undefined;
  const listening = sql
    .listen(
      API_KEY_CHANGES_CHANNEL,
      () => changed(),
      () => changed(),
    )
    .then((listener) => {
      unlisten = listener.unlisten;
    })
    .catch((error: unknown) => {
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

  /** A key or owner changed somewhere: every cached entry is stale until re-read. */
  function changed(): void {
    if (closed) return;
    generation += 1;
    unknown.clear();
    rereadRetryAt = 0;
    void reread();
  }

  function hasStale(): boolean {
    for (const entry of keys.values()) if (entry.generation < generation) return true;
    for (const entry of users.values()) if (entry.generation < generation) return true;
    return false;
  }

  /** Re-reads the stale entries (one query per 500), until none is stale; one re-read at a time. */
  function reread(): Promise<void> {
    rereading ??= (async () => {
      for (;;) {
        const target = generation;
        const staleKeys = [...keys].filter(([, entry]) => entry.generation < target).map(([hash]) => hash);
        const staleUsers = [...users].filter(([, entry]) => entry.generation < target).map(([id]) => id);
        if (staleKeys.length === 0 && staleUsers.length === 0) return;
        await reload(staleKeys, staleUsers, target);
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
      await reload([...keys.keys()], [...users.keys()], generation);
    } catch (error) {
      report(
        `Key cache: the periodic refresh failed (${databaseErrorCode(error)}); cached answers stand meanwhile.`,
      );
    }
  }

  async function reload(hashes: string[], userIds: string[], target: number): Promise<void> {
    for (let start = 0; start < hashes.length; start += LOOKUP_BATCH) {
      const chunk = hashes.slice(start, start + LOOKUP_BATCH);
      const found = new Map((await findServingKeys(sql, chunk)).map((row) => [row.hash, factsOf(row)]));
      for (const hash of chunk) {
        const facts = found.get(hash);
        // Only entries still cached are updated: a dropped one stays dropped.
        if (facts === undefined) keys.delete(hash);
        else if (keys.has(hash)) keys.set(hash, { facts, generation: target });
      }
    }
    for (let start = 0; start < userIds.length; start += LOOKUP_BATCH) {
      const chunk = userIds.slice(start, start + LOOKUP_BATCH);
      const active = new Map((await findServingUsers(sql, chunk)).map((row) => [row.id, userActive(row)]));
      for (const id of chunk) {
        if (users.has(id)) users.set(id, { facts: active.get(id) ?? false, generation: target });
      }
    }
  }

  /** Waits (a bounded time) for a stale entry's re-read; if it cannot be had, the cached answer stands. */
  async function freshen(entry: Cached<unknown> | undefined): Promise<void> {
    if (entry === undefined || entry.generation >= generation || Date.now() < rereadRetryAt) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, settings.staleWaitMs);
    });
    await Promise.race([reread(), timeout]);
    clearTimeout(timer);
  }

  async function check(authorization: string | undefined): Promise<KeyCheck> {
    const header = authorization?.trim();
    if (header === undefined || header === '') return refused(KEY_MESSAGES.missing);
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) return refused(KEY_MESSAGES.malformed);
    if (token.startsWith('pwi_')) return checkInternal(token);
    if (!API_KEY_SHAPE.test(token)) return refused(KEY_MESSAGES.unknown);
    return checkKey(apiKeyHash(token));
  }

  async function checkKey(hash: string): Promise<KeyCheck> {
    await freshen(keys.get(hash));
    const cached = keys.get(hash);
    if (cached) {
      // Least recently used goes first: a hit moves the entry to the end.
      keys.delete(hash);
      keys.set(hash, cached);
      return keyVerdict(cached.facts);
    }
    if ((unknown.get(hash) ?? 0) > Date.now()) return refused(KEY_MESSAGES.unknown);
    if (Date.now() < lookupRetryAt) return { ok: false, status: 503, message: UNAVAILABLE_MESSAGE };
    const asked = generation;
    let row: ServingKeyRow | undefined;
    try {
      row = await lookups.find(hash);
    } catch (error) {
      return unavailable(error);
    }
    if (row === undefined) {
      remember(unknown, hash, Date.now() + settings.unknownTtlMs, settings.maxUnknown);
      return refused(KEY_MESSAGES.unknown);
    }
    const facts = factsOf(row);
    // Read before a change was announced: cached as stale, so the next check re-reads it.
    remember(keys, hash, { facts, generation: asked }, settings.maxEntries);
    return keyVerdict(facts);
  }

  async function checkInternal(token: string): Promise<KeyCheck> {
    const userId = verifyServingCredential(options.secret, token);
    if (userId === undefined) return refused(KEY_MESSAGES.internalInvalid);
    await freshen(users.get(userId));
    let active = users.get(userId)?.facts;
    if (active === undefined) {
      const asked = generation;
      try {
        const [row] = await findServingUsers(sql, [userId]);
        active = row !== undefined && userActive(row);
      } catch (error) {
        return unavailable(error);
      }
      remember(users, userId, { facts: active, generation: asked }, settings.maxEntries);
    }
    if (!active) return refused(KEY_MESSAGES.internalInactive);
    return { ok: true, caller: { kind: 'internal', userId } };
  }

  function unavailable(error: unknown): KeyCheck {
    if (error instanceof LookupsFullError) return { ok: false, status: 503, message: BUSY_MESSAGE };
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

/** Sets a map entry and, beyond `max` entries, forgets the oldest (maps keep insertion order). */
function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
}
