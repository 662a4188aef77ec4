import type { Sql } from '../db/client';
import { findServingKeys, type ServingKeyRow } from '../db/queries/serving-keys';

/** Hashes per lookup query. */
export const LOOKUP_BATCH = 500;

/** More unknown keys wait for a lookup than the cache lets wait (in all, or from one client). */
export class LookupsFullError extends Error {
  override name = 'LookupsFullError';
  constructor(readonly perClient: boolean) {
    super(perClient ? 'too many key lookups from one client' : 'too many key lookups waiting');
  }
}

interface Waiting {
  deferred: Deferred<ServingKeyRow | undefined>;
  client: string | undefined;
}

/**
 * The key cache's misses, looked up in batches: hashes asked for while a query runs wait for the
 * next one, so a flood of unknown keys costs one query at a time rather than one per request, and
 * the same hash asked for twice shares one lookup. At most `maxWaiting` hashes wait, and one client
 * (address) has at most `maxPerClient` looked up at once: a flood of made-up keys from one address
 * cannot take every place and leave a real key from elsewhere answered 503.
 */
export class KeyLookups {
  private readonly waiting = new Map<string, Waiting>();
  private readonly running = new Map<string, Promise<ServingKeyRow | undefined>>();
  /** Lookups waiting or running per client; a client with none has no entry. */
  private readonly perClient = new Map<string, number>();
  private draining = false;

  constructor(
    private readonly sql: Sql,
    private readonly maxWaiting: number,
    private readonly maxPerClient: number = Number.POSITIVE_INFINITY,
  ) {}

  /** The key's row, or undefined for a key that does not exist; rejects when PostgreSQL cannot be asked. */
  find(hash: string, client?: string): Promise<ServingKeyRow | undefined> {
    const pending = this.waiting.get(hash)?.deferred.promise ?? this.running.get(hash);
    if (pending) return pending;
    if (this.waiting.size >= this.maxWaiting) return Promise.reject(new LookupsFullError(false));
    if (client !== undefined && (this.perClient.get(client) ?? 0) >= this.maxPerClient)
      return Promise.reject(new LookupsFullError(true));
    const deferred = new Deferred<ServingKeyRow | undefined>();
    this.waiting.set(hash, { deferred, client });
    if (client !== undefined) this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    if (!this.draining) void this.drain();
    return deferred.promise;
  }

  private done(client: string | undefined): void {
    if (client === undefined) return;
    const left = (this.perClient.get(client) ?? 1) - 1;
    if (left > 0) this.perClient.set(client, left);
    else this.perClient.delete(client);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    // Let the requests of this turn join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.size > 0) {
      const batch = [...this.waiting].slice(0, LOOKUP_BATCH);
      for (const [hash, { deferred }] of batch) {
        this.waiting.delete(hash);
        this.running.set(hash, deferred.promise);
      }
      try {
        const rows = await findServingKeys(
          this.sql,
          batch.map(([hash]) => hash),
        );
        const byHash = new Map(rows.map((row) => [row.hash, row]));
        for (const [hash, { deferred }] of batch) deferred.resolve(byHash.get(hash));
      } catch (error) {
        for (const [, { deferred }] of batch) deferred.reject(error);
      } finally {
        for (const [hash, { client }] of batch) {
          this.running.delete(hash);
          this.done(client);
        }
      }
    }
    this.draining = false;
  }
}

class Deferred<T> {
  resolve: (value: T) => void = () => {};
  reject: (error: unknown) => void = () => {};
  readonly promise = new Promise<T>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
}
