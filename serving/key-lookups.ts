import type { Sql } from '../db/client';
import { findServingKeys, type ServingKeyRow } from '../db/queries/serving-keys';

/** Hashes per lookup query. */
export const LOOKUP_BATCH = 500;

/** More unknown keys wait for a lookup than the cache lets wait. */
export class LookupsFullError extends Error {
  override name = 'LookupsFullError';
}

/**
 * The key cache's misses, looked up in batches: hashes asked for while a query runs wait for the
 * next one, so a flood of unknown keys costs one query at a time rather than one per request, and
 * the same hash asked for twice shares one lookup. At most `maxWaiting` hashes wait.
 */
export class KeyLookups {
  private readonly waiting = new Map<string, Deferred<ServingKeyRow | undefined>>();
  private readonly running = new Map<string, Promise<ServingKeyRow | undefined>>();
  private draining = false;

  constructor(
    private readonly sql: Sql,
    private readonly maxWaiting: number,
  ) {}

  /** The key's row, or undefined for a key that does not exist; rejects when PostgreSQL cannot be asked. */
  find(hash: string): Promise<ServingKeyRow | undefined> {
    const pending = this.waiting.get(hash)?.promise ?? this.running.get(hash);
    if (pending) return pending;
    if (this.waiting.size >= this.maxWaiting) {
      return Promise.reject(new LookupsFullError('too many key lookups waiting'));
    }
    const deferred = new Deferred<ServingKeyRow | undefined>();
    this.waiting.set(hash, deferred);
    if (!this.draining) void this.drain();
    return deferred.promise;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    // Let the requests of this turn join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.size > 0) {
      const batch = [...this.waiting].slice(0, LOOKUP_BATCH);
      for (const [hash, deferred] of batch) {
        this.waiting.delete(hash);
        this.running.set(hash, deferred.promise);
      }
      try {
        const rows = await findServingKeys(
          this.sql,
          batch.map(([hash]) => hash),
        );
        const byHash = new Map(rows.map((row) => [row.hash, row]));
        for (const [hash, deferred] of batch) deferred.resolve(byHash.get(hash));
      } catch (error) {
        for (const [, deferred] of batch) deferred.reject(error);
      } finally {
        for (const [hash] of batch) this.running.delete(hash);
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
