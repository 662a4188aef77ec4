import postgres from 'postgres';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelCache } from './model-cache';

/**
 * The model cache's bookkeeping where a database must be unreachable on cue (tests/hot-swap.test.ts
 * serves real versions from a real database).
 */

/** A postgres.js pool whose server is not there (nothing listens on port 9), counting LISTEN calls. */
function unreachableSql() {
  const pool = postgres('postgres://nobody@127.0.0.1:9/nothing', { connect_timeout: 1, onnotice: () => {} });
  const counts = { listens: 0 };
  const sql = new Proxy(pool, {
    get(target, property, receiver) {
      if (property === 'listen') counts.listens += 1;
      return Reflect.get(target, property, receiver);
    },
  });
  return { sql, counts, end: () => pool.end({ timeout: 0 }) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ModelCache started while PostgreSQL is down', () => {
  it('asks to LISTEN once: postgres.js keeps the listener, so the periodic check adds none', async () => {
    const { sql, counts, end } = unreachableSql();
    // The periodic check's clock only: postgres.js's own timers stay real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const cache = new ModelCache({ sql, pollMs: 50 });
    await cache.start();
    expect(counts.listens).toBe(1);
    // Twenty periodic checks.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(counts.listens).toBe(1);
    await cache.close();
    await end();
  });
});
