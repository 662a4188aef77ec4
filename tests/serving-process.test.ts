import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/roles';
import { issueServingCredential } from '../config/serving-credential';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import type { Auth } from '../runtime/auth/auth';
import { createTestDatabase, type TestDatabase } from './support/database';
import { NodeHarness } from './support/node-harness';
import { type OwnPostgres, startOwnPostgres } from './support/own-postgres';
import { registerTestModel, type TrainedModel, trainTestModel } from './support/registered-model';
import { testSecretKey } from './support/secret-key';
import { testAuth } from './support/services';
import { runServing, type ServingProcess, startServingProcess } from './support/serving-process';

/**
 * `npm run serve` as its own process with its real parts: better-auth keys checked by the key
 * cache, predictions logged to PostgreSQL, Prometheus metrics, a graceful stop, a configuration
 * problem as one line, and answers from the cache while PostgreSQL is down.
 */

const harness = new NodeHarness();
let model: TrainedModel;

beforeAll(async () => {
  model = await trainTestModel(harness);
}, 120_000);
afterAll(() => harness.cleanup());

async function createKey(auth: Auth, role: Role, metadata: Record<string, unknown>) {
  const { user } = await auth.api.createUser({
    body: {
      email: `${role}-${randomBytes(4).toString('hex')}@serving.test`,
      password: 'a long enough password',
      name: role,
      role,
    },
  });
  const created = await auth.api.createApiKey({ body: { userId: user.id, name: 'serving test', metadata } });
  return { id: created.id, key: created.key, userId: user.id };
}

const row = { size: 30, weight: 20, colour: 'red' };

async function predict(url: string, key: string | undefined, name = 'sizes') {
  const response = await fetch(`${url}/api/v1/models/${name}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ rows: [row] }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('the serving process on the shared database', () => {
  let database: TestDatabase;
  let auth: Auth;
  let serving: ServingProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    auth = testAuth(database.db);
    await registerTestModel(database.sql, { name: 'sizes', model, alias: 'production' });
    await registerTestModel(database.sql, { name: 'other', model, alias: 'production' });
    serving = await startServingProcess(database.url);
  }, 120_000);
  afterAll(async () => {
    await serving?.stop();
    await database?.drop();
  });

  it('checks real keys: scope, model limits, bad keys, the internal credential', async () => {
    const predictKey = await createKey(auth, 'viewer', { scope: 'predict' });
    const readKey = await createKey(auth, 'viewer', { scope: 'read' });
    const otherOnly = await createKey(auth, 'viewer', { scope: 'predict', models: ['other'] });
    const answer = await predict(serving.url, predictKey.key);
    expect(answer).toMatchObject({ status: 200, json: { model: 'sizes', version: 1 } });
    expect((await predict(serving.url, undefined)).status).toBe(401);
    expect((await predict(serving.url, `pw_${randomBytes(20).toString('hex')}`)).status).toBe(401);
    expect(await predict(serving.url, readKey.key)).toEqual({
      status: 403,
      json: { error: 'A read key may not ask for predictions; use a predict key' },
    });
    expect(await predict(serving.url, otherOnly.key)).toEqual({
      status: 403,
      json: { error: 'This key may not use the model "sizes"' },
    });
    expect((await predict(serving.url, otherOnly.key, 'other')).status).toBe(200);
    const internal = issueServingCredential(testSecretKey, predictKey.userId);
    expect((await predict(serving.url, internal)).status).toBe(200);
    const openapi = await fetch(`${serving.url}/api/v1/models/sizes/openapi.json`, {
      headers: { authorization: `Bearer ${readKey.key}` },
    });
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('refuses a revoked key within 2 seconds', async () => {
    const revoked = await createKey(auth, 'viewer', { scope: 'predict' });
    expect((await predict(serving.url, revoked.key)).status).toBe(200);
    await auth.api.updateApiKey({ body: { keyId: revoked.id, userId: revoked.userId, enabled: false } });
    const revokedAt = Date.now();
    await expect
      .poll(async () => (await predict(serving.url, revoked.key)).status, { interval: 20 })
      .toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
  });

  it('logs each prediction with its id and counts requests in /metrics', async () => {
    const key = await createKey(auth, 'viewer', { scope: 'predict' });
    const answer = await predict(serving.url, key.key);
    const predictions = answer.json.predictions as { id: string }[];
    const id = predictions[0]?.id ?? '';
    await expect
      .poll(async () => {
        const rows = await database.sql<{ requestId: string; version: number; inputs: unknown }[]>`
          select request_id as "requestId", version, inputs from prediction_log where prediction_id = ${id}`;
        return rows[0];
      })
      // The row's values in the signature's order (size, weight, colour).
      .toEqual({ requestId: answer.json.requestId, version: 1, inputs: [row.size, row.weight, row.colour] });
    const metrics = await fetch(`${serving.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/pipewright_serving_requests_total\{[^}]*model="sizes"[^}]*\} [1-9]/);
  });
});

describe('stopping and configuration', () => {
  it('finishes the requests under way on SIGTERM, then exits 0', async () => {
    const database = await createTestDatabase();
    try {
      const auth = testAuth(database.db);
      await registerTestModel(database.sql, { name: 'sizes', model, alias: 'production' });
      const key = await createKey(auth, 'viewer', { scope: 'predict' });
      const serving = await startServingProcess(database.url);
      expect((await predict(serving.url, key.key)).status).toBe(200);
      // A request under way when the signal comes: the server has read its headers (it answered
      // 100 Continue) and the body follows only once the server says it is stopping.
      const body = JSON.stringify({ rows: [row] });
      const pending = new Promise<number>((resolve, reject) => {
        const req = request(
          new URL(`${serving.url}/api/v1/models/sizes/predict`),
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              authorization: `Bearer ${key.key}`,
              expect: '100-continue',
            },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.once('continue', () => {
          serving.child.kill('SIGTERM');
          void expect
            .poll(() => serving.output())
            .toContain('SIGTERM: finishing the requests under way')
            .then(() => req.end(body), reject);
        });
        req.flushHeaders();
      });
      expect(await pending).toBe(200);
      expect(await serving.stop()).toBe(0);
      expect(serving.output()).toContain('SIGTERM: finishing the requests under way');
      // The prediction log was written out before the exit: both predictions are there.
      const [logged] = await database.sql<
        { count: number }[]
      >`select count(*)::int as count from prediction_log`;
      expect(logged?.count).toBe(2);
    } finally {
      await database.drop();
    }
  });

  it('says in one line when no database is configured', async () => {
    const run = runServing({});
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      `No database configured: set DATABASE_URL, or run \`npm start\` (DATA_DIR ${run.dataDir}).`,
    );
  });

  it('says in one line when the port is taken', async () => {
    const database = await createTestDatabase();
    try {
      const first = await startServingProcess(database.url);
      const port = new URL(first.url).port;
      const second = runServing({ DATABASE_URL: database.url, SERVE_PORT: port, HOST: '127.0.0.1' });
      expect(await second.exited).toBe(1);
      expect(second.output().trim()).toBe(
        `SERVE_PORT ${port} is in use on 127.0.0.1: stop what listens there or set SERVE_PORT`,
      );
      await first.stop();
    } finally {
      await database.drop();
    }
  });
});

describe('while PostgreSQL is down', () => {
  let postgres: OwnPostgres;
  let handle: DatabaseHandle;
  let serving: ServingProcess | undefined;

  beforeAll(async () => {
    postgres = await startOwnPostgres();
    handle = connectDatabase(postgres.url, { max: 2 });
  }, 120_000);
  afterAll(async () => {
    await serving?.stop();
    await handle?.close();
    await postgres?.remove();
  });

  it('answers from its cache with keys it has checked and versions it has loaded', async () => {
    const auth = testAuth(handle.db);
    await registerTestModel(handle.sql, { name: 'sizes', model, alias: 'production' });
    await registerTestModel(handle.sql, { name: 'later', model, alias: 'production' });
    const key = await createKey(auth, 'viewer', { scope: 'predict' });
    serving = await startServingProcess(postgres.url);
    expect((await predict(serving.url, key.key)).status).toBe(200);
    await handle.close();
    await postgres.stop();
    for (let i = 0; i < 5; i++)
      expect(await predict(serving.url, key.key)).toMatchObject({
        status: 200,
        json: { model: 'sizes', version: 1 },
      });
    // A model it never loaded cannot be read now: 503, with a sentence.
    expect(await predict(serving.url, key.key, 'later')).toEqual({
      status: 503,
      json: { error: 'The model registry is unreachable and model "later" is not loaded yet' },
    });
    await postgres.start();
  });
});
