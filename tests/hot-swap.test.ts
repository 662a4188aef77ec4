import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../db/client';
import { createFeedbackStore } from '../serving/feedback-store';
import { ModelCache } from '../serving/model-cache';
import { predict } from '../serving/predict';
import { createServingServer } from '../serving/server';
import { createTestDatabase, type TestDatabase } from './support/database';
import { NodeHarness } from './support/node-harness';
import { promote, registerTestModel, type TrainedModel, trainTestModel } from './support/registered-model';
import { testAuth } from './support/services';
import { MemoryLog, MemoryMetrics, TableKeys } from './support/serving-parts';
import { startServingProcess } from './support/serving-process';

/**
 * Hot swap: requests go on, without pause, through 10 promotions and rollbacks; none fails, each
 * answer names the version that served it, and each change is served within 2 s of its commit.
 */

const harness = new NodeHarness();
let database: TestDatabase;
let model: TrainedModel;
let modelId: string;

interface Served {
  sentAt: number;
  receivedAt: number;
  status: number;
  version: number | undefined;
}

beforeAll(async () => {
  database = await createTestDatabase();
  model = await trainTestModel(harness);
  ({ modelId } = await registerTestModel(database.sql, { name: 'swap', model, alias: 'production' }));
  for (let i = 0; i < 3; i++) await registerTestModel(database.sql, { name: 'swap', model });
}, 120_000);

afterAll(async () => {
  await database?.drop();
  harness.cleanup();
});

async function startServer(sql: Sql, pollMs?: number) {
  const cache = new ModelCache({ sql, pollMs });
  await cache.start();
  const keys = new TableKeys({ k: { kind: 'key', keyId: 'k', ownerId: 'u', scope: 'predict' } });
  const server = createServingServer({
    keys,
    log: new MemoryLog(),
    feedback: createFeedbackStore(sql),
    metrics: new MemoryMetrics(),
    models: cache,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/models/swap/predict`;
  return {
    url,
    cache,
    async stop() {
      await new Promise((resolve) => (server as http.Server).close(resolve));
      await cache.close();
    },
  };
}

/** Clients sending one-row requests back to back until stopped. */
function load(url: string, clients: number, key = 'k') {
  const served: Served[] = [];
  const failures: string[] = [];
  let running = true;
  const body = JSON.stringify({ rows: [{ size: 30, weight: 20, colour: 'red' }] });
  const client = async () => {
    while (running) {
      const sentAt = performance.now();
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        });
        const answer = (await response.json()) as { version?: number };
        served.push({
          sentAt,
          receivedAt: performance.now(),
          status: response.status,
          version: answer.version,
        });
        if (response.status !== 200) failures.push(`${response.status} ${JSON.stringify(answer)}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, client));
  return {
    served,
    failures,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** Waits until a request sent after `since` was answered by `version`; the time that took (ms). */
async function servedWithin(
  traffic: ReturnType<typeof load>,
  since: number,
  version: number,
): Promise<number> {
  await expect
    .poll(() => traffic.served.some((s) => s.sentAt >= since && s.version === version), {
      timeout: 5_000,
      interval: 5,
    })
    .toBe(true);
  const first = traffic.served.find((s) => s.sentAt >= since && s.version === version);
  return (first?.receivedAt ?? Number.POSITIVE_INFINITY) - since;
}

describe('hot swap', () => {
  it('answers every request through 10 promotions and rollbacks, each change within 2 s', async () => {
    // The real process (npm run serve) with a real predict key: the change reaches it from another
    // connection through PostgreSQL's NOTIFY, as it would from the app or a deploy step.
    const auth = testAuth(database.db);
    const { user } = await auth.api.createUser({
      body: { email: 'swap@serving.test', password: 'a long enough password', name: 'swap', role: 'viewer' },
    });
    const { key } = await auth.api.createApiKey({
      body: { userId: user.id, name: 'hot swap', metadata: { scope: 'predict' } },
    });
    const process = await startServingProcess(database.url);
    const serving = { url: `${process.url}/api/v1/models/swap/predict`, stop: () => process.stop() };
    const traffic = load(serving.url, 6, key);
    try {
      await expect.poll(() => traffic.served.length, { timeout: 10_000 }).toBeGreaterThan(20);
      // Promotions to 2, 3, 4 and rollbacks, ending back on 1.
      const sequence = [2, 3, 1, 4, 2, 1, 3, 4, 2, 1];
      const delays: number[] = [];
      const commits: { version: number; at: number }[] = [];
      for (const version of sequence) {
        const committedAt = performance.now();
        commits.push({ version, at: committedAt });
        await promote(database.sql, modelId, 'production', version);
        delays.push(await servedWithin(traffic, committedAt, version));
        // A few answers from each version before the next change.
        const count = traffic.served.length;
        await expect.poll(() => traffic.served.length).toBeGreaterThan(count + 10);
      }
      await traffic.stop();
      expect(traffic.failures).toEqual([]);
      expect(traffic.served.every((s) => s.status === 200 && s.version !== undefined)).toBe(true);
      expect(Math.max(...delays)).toBeLessThan(2_000);
      // Once a version has answered, every request sent after that answer, until the next change, is
      // served by it: no request goes back to the old session.
      expect(servedByOlder(traffic.served, commits)).toEqual([]);
      // No pause: no request waited long for its answer during the swaps.
      const slowest = Math.max(...traffic.served.map((s) => s.receivedAt - s.sentAt));
      expect(slowest).toBeLessThan(1_000);
    } finally {
      await traffic.stop();
      await serving.stop();
    }
  });

  it('finds a change by its periodic check when no notification arrives', async () => {
    // The same database without LISTEN: a connection whose notifications never come.
    const deaf = new Proxy(database.sql, {
      get: (target, property, receiver) =>
        property === 'listen'
          ? async () => ({ state: {}, unlisten: async () => {} })
          : Reflect.get(target, property, receiver),
    });
    await promote(database.sql, modelId, 'production', 1);
    const serving = await startServer(deaf, 300);
    const traffic = load(serving.url, 2);
    try {
      await expect.poll(() => traffic.served.some((s) => s.version === 1)).toBe(true);
      const committedAt = performance.now();
      await promote(database.sql, modelId, 'production', 3);
      expect(await servedWithin(traffic, committedAt, 3)).toBeLessThan(2_000);
      await traffic.stop();
      expect(traffic.failures).toEqual([]);
    } finally {
      await traffic.stop();
      await serving.stop();
    }
  });
});

/**
 * The shared database behind a switch: while `failing` is set, every alias query fails as a
 * connection failure would (the other queries go through).
 */
function flakyAliases(sql: Sql) {
  const state = { failing: false, failed: 0 };
  const flaky = new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const [strings] = args;
      if (state.failing && Array.isArray(strings) && strings.join('?').includes('from model_aliases')) {
        state.failed += 1;
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      }
      return Reflect.apply(target, thisArg, args);
    },
  });
  return { sql: flaky, state };
}

describe('a failed alias check', () => {
  it('does not stop the checks after it: a later promotion is served within 2 s', async () => {
    await promote(database.sql, modelId, 'production', 1);
    const { sql, state } = flakyAliases(database.sql);
    const cache = new ModelCache({ sql, pollMs: 50 });
    await cache.start();
    const productionVersion = async () => {
      const resolved = await cache.resolve('swap', { alias: 'production' });
      if (!resolved.ok) return resolved.message;
      resolved.lease.release();
      return resolved.lease.served.version;
    };
    try {
      expect(await productionVersion()).toBe(1);
      state.failing = true;
      await expect.poll(() => state.failed, { interval: 5 }).toBeGreaterThan(0);
      state.failing = false;
      // The old version kept serving through the failure.
      expect(await productionVersion()).toBe(1);
      const committedAt = performance.now();
      await promote(database.sql, modelId, 'production', 2);
      await expect.poll(productionVersion, { timeout: 2_000, interval: 5 }).toBe(2);
      expect(performance.now() - committedAt).toBeLessThan(2_000);
    } finally {
      await cache.close();
    }
  });
});

describe('the first request for an alias', () => {
  it('does not miss a promotion announced while its version loads', async () => {
    await promote(database.sql, modelId, 'production', 1);
    let promoted = false;
    // The first alias query answers (version 1), then version 2 is promoted before the cache
    // goes on to load version 1: the notification arrives while that load is under way.
    const sql = new Proxy(database.sql, {
      apply(target, thisArg, args: unknown[]) {
        const [strings] = args;
        const result = Reflect.apply(target, thisArg, args);
        if (promoted || !Array.isArray(strings) || !strings.join('?').includes('from model_aliases'))
          return result;
        promoted = true;
        return Promise.resolve(result).then(async (rows: unknown) => {
          await promote(database.sql, modelId, 'production', 2);
          return rows;
        });
      },
    });
    // No periodic check to make up for a missed notification.
    const cache = new ModelCache({ sql, pollMs: 600_000 });
    await cache.start();
    const productionVersion = async () => {
      const resolved = await cache.resolve('swap', { alias: 'production' });
      if (!resolved.ok) return resolved.message;
      resolved.lease.release();
      return resolved.lease.served.version;
    };
    try {
      expect([1, 2]).toContain(await productionVersion());
      expect(promoted).toBe(true);
      await expect.poll(productionVersion, { timeout: 2_000, interval: 5 }).toBe(2);
    } finally {
      await cache.close();
    }
  });
});

describe('a version number that does not exist', () => {
  it('is looked up once, then answered 404 from memory for a while', async () => {
    const counts = { versionQueries: 0 };
    const sql = new Proxy(database.sql, {
      apply(target, thisArg, args: unknown[]) {
        const [strings] = args;
        if (Array.isArray(strings) && /from model_versions v where/.test(strings.join('?')))
          counts.versionQueries += 1;
        return Reflect.apply(target, thisArg, args);
      },
    });
    const cache = new ModelCache({ sql, pollMs: 600_000 });
    await cache.start();
    try {
      for (let i = 0; i < 20; i++) {
        expect(await cache.resolve('swap', { version: 999 })).toEqual({
          ok: false,
          status: 404,
          message: 'Model "swap" has no version 999',
        });
      }
      expect(counts.versionQueries).toBe(1);
    } finally {
      await cache.close();
    }
  });
});

describe('a request under way during a swap', () => {
  it('finishes on the old session, which is released after it', async () => {
    await promote(database.sql, modelId, 'production', 1);
    const cache = new ModelCache({ sql: database.sql });
    await cache.start();
    const columns = new Map<string, Float64Array | string[]>([
      ['size', Float64Array.of(30)],
      ['weight', Float64Array.of(20)],
      ['colour', ['red']],
    ]);
    const productionVersion = async () => {
      const resolved = await cache.resolve('swap', { alias: 'production' });
      if (!resolved.ok) return resolved.message;
      resolved.lease.release();
      return resolved.lease.served.version;
    };
    try {
      const held = await cache.resolve('swap', { alias: 'production' });
      if (!held.ok) throw new Error(held.message);
      expect(held.lease.served.version).toBe(1);
      await promote(database.sql, modelId, 'production', 2);
      await expect.poll(productionVersion, { interval: 5 }).toBe(2);
      // Version 1 is no longer production, yet the request holding it still gets its answer.
      expect(await predict(held.lease.served, columns, 1)).toEqual([
        { label: 'big', probabilities: expect.any(Object) },
      ]);
      held.lease.release();
      // Its last request done, version 1's session is gone.
      await expect(predict(held.lease.served, columns, 1)).rejects.toThrow();
    } finally {
      await cache.close();
    }
  });
});

/** Requests sent after a change had answered once, yet served by another version before the next change. */
function servedByOlder(
  served: readonly Served[],
  commits: readonly { version: number; at: number }[],
): string[] {
  const wrong: string[] = [];
  commits.forEach((commit, index) => {
    const next = commits[index + 1]?.at ?? Number.POSITIVE_INFINITY;
    const firstAnswer = Math.min(
      ...served.filter((s) => s.sentAt >= commit.at && s.version === commit.version).map((s) => s.receivedAt),
    );
    for (const s of served)
      if (s.sentAt >= firstAnswer && s.sentAt < next && s.version !== commit.version)
        wrong.push(
          `sent ${s.sentAt.toFixed(1)} after version ${commit.version} answered, served by ${s.version}`,
        );
  });
  return wrong;
}
