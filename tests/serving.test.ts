import type http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictBatched } from '../serving/batching';
import type { Caller } from '../serving/contracts';
import { createFeedbackStore } from '../serving/feedback-store';
import { ModelCache } from '../serving/model-cache';
import { predict } from '../serving/predict';
import { createServingServer } from '../serving/server';
import { validateRows } from '../serving/validate-rows';
import { createTestDatabase, type TestDatabase } from './support/database';
import { NodeHarness } from './support/node-harness';
import { registerTestModel, type TrainedModel, trainTestModel } from './support/registered-model';
import { MemoryLog, MemoryMetrics, TableKeys } from './support/serving-parts';

/**
 * The serving server over real PostgreSQL and a real trained model: every body format, every
 * validation error, key scopes, errors as sentences, and the OpenAPI document. Key checks here come
 * from a fixed table; tests/serving-process.test.ts runs the real process with real keys.
 */

const harness = new NodeHarness();
let database: TestDatabase;
let model: TrainedModel;
let server: http.Server;
let cache: ModelCache;
let base: string;
const log = new MemoryLog();
const metrics = new MemoryMetrics();

const callers: Record<string, Caller> = {
  predict: { kind: 'key', keyId: 'k1', ownerId: 'u1', scope: 'predict' },
  read: { kind: 'key', keyId: 'k2', ownerId: 'u1', scope: 'read' },
  run: { kind: 'key', keyId: 'k3', ownerId: 'u1', scope: 'run' },
  admin: { kind: 'key', keyId: 'k4', ownerId: 'u1', scope: 'admin' },
  otherModel: { kind: 'key', keyId: 'k5', ownerId: 'u1', scope: 'predict', models: ['other'] },
  sizesOnly: { kind: 'key', keyId: 'k6', ownerId: 'u1', scope: 'predict', models: ['SIZES'] },
  internal: { kind: 'internal', userId: 'u2' },
};
const keys = new TableKeys(callers);

const row = { size: 30, weight: 20, colour: 'red' };
const rows = [row, { size: 2, weight: 1, colour: 'blue' }, { size: null, weight: 39, colour: 'green' }];

beforeAll(async () => {
  database = await createTestDatabase();
  model = await trainTestModel(harness);
  await registerTestModel(database.sql, { name: 'sizes', model, alias: 'production' });
  await registerTestModel(database.sql, { name: 'sizes', model, alias: 'staging' });
  await registerTestModel(database.sql, { name: 'other', model, alias: 'production' });
  await registerTestModel(database.sql, { name: 'unpromoted', model });
  cache = new ModelCache({ sql: database.sql });
  await cache.start();
  server = createServingServer({
    keys,
    log,
    feedback: createFeedbackStore(database.sql),
    metrics,
    models: cache,
    maxBodyBytes: 64 * 1024,
    serverUrl: 'http://serving.example:3001',
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  if (server) await new Promise((resolve) => server.close(resolve));
  await cache?.close();
  await database?.drop();
  harness.cleanup();
});

async function call(
  path: string,
  options: {
    key?: keyof typeof callers | null;
    body?: unknown;
    raw?: string;
    method?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const key = options.key === undefined ? 'predict' : options.key;
  const method = options.method ?? (options.body === undefined && options.raw === undefined ? 'GET' : 'POST');
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.raw !== undefined || options.body !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...options.headers,
    },
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: safeJson(text) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const PREDICT = '/api/v1/models/sizes/predict';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface NativeAnswer {
  model: string;
  version: number;
  requestId: string;
  predictions: { id: string; label: string; probabilities: Record<string, number> }[];
  ignoredColumns?: string[];
}

async function nativeLabels(body: unknown[]): Promise<string[]> {
  const answer = await call(PREDICT, { body: { rows: body } });
  expect(answer.status).toBe(200);
  return (answer.json as NativeAnswer).predictions.map((prediction) => prediction.label);
}

describe('answers', () => {
  it('answers rows with labels, probabilities, a prediction id each, and logs every prediction', async () => {
    const before = log.records.length;
    const answer = await call(PREDICT, { body: { rows } });
    expect(answer.status).toBe(200);
    const body = answer.json as NativeAnswer;
    expect(body).toMatchObject({ model: 'sizes', version: 1 });
    expect(body.requestId).toMatch(UUID);
    expect(answer.headers.get('x-request-id')).toBe(body.requestId);
    expect(answer.headers.get('x-model-version')).toBe('1');
    expect(body.ignoredColumns).toBeUndefined();
    expect(body.predictions).toHaveLength(3);
    // Big: size + weight/2 (+5 when red) above 35.
    expect(body.predictions[0]?.label).toBe('big');
    expect(body.predictions[1]?.label).toBe('small');
    for (const prediction of body.predictions) {
      expect(prediction.id).toMatch(UUID);
      expect(Object.keys(prediction.probabilities)).toEqual(['big', 'small']);
      const { big = 0, small = 0 } = prediction.probabilities;
      expect(big + small).toBeCloseTo(1, 5);
      expect(prediction.label).toBe(big >= small ? 'big' : 'small');
    }
    expect(new Set(body.predictions.map((prediction) => prediction.id)).size).toBe(3);
    const logged = log.records.slice(before);
    expect(logged.map((record) => record.predictionId)).toEqual(
      body.predictions.map((prediction) => prediction.id),
    );
    expect(logged[2]).toMatchObject({
      requestId: body.requestId,
      version: 1,
      // In the signature's order: size, weight, colour.
      inputs: [null, 39, 'green'],
      outputs: { label: body.predictions[2]?.label },
    });
    expect(metrics.observations.at(-1)).toMatchObject({ model: 'sizes', version: 1, status: 200 });
    expect(keys.usedBy.at(-1)).toEqual(callers.predict);
  });

  it('gives each of many requests at once its own predictions, though they share calls of the graph', async () => {
    const resolved = await cache.resolve('sizes', { alias: 'production' });
    if (!resolved.ok) throw new Error(resolved.message);
    const { served } = resolved.lease;
    const requests = Array.from({ length: 24 }, (_, i) =>
      Array.from({ length: 1 + (i % 3) }, (_, k) => ({
        size: (i * 7 + k * 11) % 50,
        weight: (i * 3 + k) % 40,
        colour: ['red', 'green', 'blue'][(i + k) % 3],
      })),
    );
    const columnsOf = (rows: Record<string, unknown>[]) => {
      const validated = validateRows(rows, served.signature);
      if (!validated.ok) throw new Error('invalid test rows');
      return validated.columns;
    };
    try {
      const alone = [];
      for (const rows of requests) alone.push(await predict(served, columnsOf(rows), rows.length));
      // Started in the same turn of the event loop: one batch.
      const together = await Promise.all(
        requests.map((rows) => predictBatched(served, columnsOf(rows), rows.length)),
      );
      expect(together).toEqual(alone);
      // Both labels occur, so answers handed to the wrong requests could not pass by accident.
      expect(new Set(alone.flat().map((prediction) => 'label' in prediction && prediction.label))).toEqual(
        new Set(['big', 'small']),
      );
    } finally {
      resolved.lease.release();
    }
  });

  it('picks staging with ?alias=staging, a version by number, and names ignoring case', async () => {
    const staging = await call(`${PREDICT}?alias=staging`, { body: { rows: [row] } });
    expect(staging.json).toMatchObject({ model: 'sizes', version: 2 });
    const one = await call('/api/v1/models/sizes/versions/1/predict', { body: { rows: [row] } });
    expect(one.json).toMatchObject({ version: 1 });
    const upper = await call('/api/v1/models/SIZES/versions/2/predict', { body: { rows: [row] } });
    expect(upper.json).toMatchObject({ model: 'sizes', version: 2 });
  });

  it('says which columns it ignored', async () => {
    const answer = await call(PREDICT, {
      body: {
        rows: [
          { ...row, note: 'x', age: 3 },
          { ...row, zip: 1 },
        ],
      },
    });
    expect(answer.status).toBe(200);
    expect((answer.json as NativeAnswer).ignoredColumns).toEqual(['age', 'note', 'zip']);
    const mlflow = await call(PREDICT, { body: { dataframe_records: [{ ...row, note: 'x' }] } });
    expect(mlflow.headers.get('x-ignored-columns')).toBe('note');
  });

  it("answers MLflow's bodies in MLflow's shape, with the version and request id in headers", async () => {
    const expected = await nativeLabels(rows);
    const names = ['size', 'weight', 'colour'];
    const ordered = (await cache.resolve('sizes', { alias: 'production' })) as {
      ok: true;
      lease: { served: { signature: { inputs: { name: string }[] } }; release(): void };
    };
    const order = ordered.lease.served.signature.inputs.map((column) => column.name);
    ordered.lease.release();
    const lists = rows.map((r) => order.map((name) => r[name as keyof typeof r]));
    const bodies: Record<string, unknown> = {
      dataframe_split: {
        dataframe_split: { columns: names, data: rows.map((r) => names.map((n) => r[n as keyof typeof r])) },
      },
      dataframe_split_with_index: {
        dataframe_split: {
          index: [0, 1, 2],
          columns: names,
          data: rows.map((r) => names.map((n) => r[n as keyof typeof r])),
        },
      },
      dataframe_records: { dataframe_records: rows },
      instances_records: { instances: rows },
      instances_lists: { instances: lists },
      inputs_columns: {
        inputs: Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n as keyof typeof r])])),
      },
      inputs_records: { inputs: rows, params: {} },
      inputs_lists: { inputs: lists },
    };
    for (const [format, body] of Object.entries(bodies)) {
      const answer = await call(PREDICT, { body });
      expect([format, answer.status]).toEqual([format, 200]);
      expect([format, answer.json]).toEqual([format, { predictions: expected }]);
      expect(answer.headers.get('x-model-version')).toBe('1');
      expect(answer.headers.get('x-request-id')).toMatch(UUID);
      const ids = answer.headers.get('x-prediction-ids')?.split(',') ?? [];
      expect(ids).toHaveLength(3);
      for (const id of ids) expect(id).toMatch(UUID);
    }
  });

  it('refuses bodies that are none of the formats, with a sentence', async () => {
    const cases: [unknown, RegExp][] = [
      [[row], /JSON object with "rows"/],
      [{ row }, /Unknown field "row"/],
      [{}, /JSON object with "rows"/],
      [{ rows: [row], instances: [row] }, /both "rows" and "instances"/],
      [{ rows: [] }, /"rows" holds no rows/],
      [{ rows: [1] }, /"rows" row 0 is not a record/],
      [{ dataframe_split: { columns: ['size'] } }, /"dataframe_split" must be/],
      [{ instances: [[1, 2]] }, /row 0 has 2 values for 3 columns/],
      [{ inputs: { size: [1, 2], weight: [1] } }, /columns differ in length/],
      [{ inputs: 'x' }, /"inputs" must be/],
      [{ rows: Array.from({ length: 10_001 }, () => ({})) }, /at most 10000/],
    ];
    for (const [body, message] of cases) {
      const answer = await call(PREDICT, { body, headers: {} });
      if (answer.status === 413) continue;
      expect([JSON.stringify(body).slice(0, 40), answer.status]).toEqual([
        JSON.stringify(body).slice(0, 40),
        400,
      ]);
      expect(answer.json).toEqual({ error: expect.stringMatching(message) });
    }
  });
});

describe('validation against the signature', () => {
  it('lists each problem by row and column: missing, wrong type, null, unknown category', async () => {
    const answer = await call(PREDICT, {
      body: {
        rows: [
          { size: 1, colour: 'red' },
          { size: 'ten', weight: 2, colour: 'red' },
          { size: 1, weight: null, colour: 'red' },
          { size: 1, weight: 2, colour: 'purple' },
          { size: 1, weight: true, colour: 4 },
          { size: null, weight: 2, colour: 'blue' },
          { size: 1, weight: 2, colour: '' },
        ],
      },
    });
    expect(answer.status).toBe(400);
    const body = answer.json as { error: string; problems: unknown[] };
    expect(sorted(body.problems)).toEqual(
      sorted([
        { row: 2, column: 'weight', message: 'may not be null' },
        { row: 0, column: 'weight', message: 'is missing' },
        { row: 4, column: 'weight', message: 'must be a number, not true' },
        { row: 1, column: 'size', message: 'must be a number, not the text "ten"' },
        {
          row: 3,
          column: 'colour',
          message: 'has the unknown category "purple"; known: "red", "green", "blue"',
        },
        { row: 4, column: 'colour', message: 'must be text, not 4' },
        { row: 6, column: 'colour', message: 'may not be empty' },
      ]),
    );
    expect(body.error).toMatch(/^The rows do not match the model's signature: /);
    expect(body.error).toContain('row 3 column "colour" has the unknown category "purple"');
    // Nothing was predicted, nothing logged for a refused request.
    expect(metrics.observations.at(-1)).toMatchObject({ status: 400, version: 1 });
  });

  it('caps the list and counts the rest', async () => {
    const answer = await call(PREDICT, {
      body: { rows: Array.from({ length: 80 }, () => ({ size: 'x', weight: 'y', colour: 'red' })) },
    });
    expect(answer.status).toBe(400);
    const body = answer.json as { error: string; problems: unknown[] };
    expect(body.problems).toHaveLength(50);
    expect(body.error).toMatch(/; and 110 more problems$/);
  });
});

/** Problems in a fixed order (the server lists them column by column). */
function sorted(problems: unknown[]): string[] {
  return problems.map((problem) => JSON.stringify(problem)).sort();
}

describe('errors', () => {
  it('answers unknown paths 404, wrong methods 405, bad JSON 400, other types 415 and large bodies 413, as JSON sentences', async () => {
    const cases = [
      [await call('/nope'), 404, 'No such path'],
      [await call('/api/v1/models/sizes/explain', { body: {} }), 404, 'No such path'],
      [await call(PREDICT), 405, 'This path takes POST, not GET'],
      [await call('/metrics', { method: 'POST', raw: '' }), 405, 'This path takes GET, not POST'],
      [await call(PREDICT, { raw: '{"rows": [' }), 400, 'The body is not valid JSON'],
      [await call(PREDICT, { raw: '' }), 400, 'The body is empty; send the rows as JSON'],
      [
        await call(PREDICT, { raw: 'a,b', headers: { 'content-type': 'text/csv' } }),
        415,
        'The body must be application/json, not text/csv',
      ],
      [
        await call(PREDICT, { raw: JSON.stringify({ rows: Array.from({ length: 3000 }, () => row) }) }),
        413,
        'The body is larger than 64 KiB; send fewer rows per request',
      ],
      [await call(`${PREDICT}?alias=canary`, { body: { rows } }), 400, 'alias must be production or staging'],
      [
        await call('/api/v1/models/sizes/versions/0/predict', { body: { rows } }),
        400,
        'The version in the path must be a whole number from 1',
      ],
      [
        await call('/api/v1/models/sizes/versions/7/predict', { body: { rows } }),
        404,
        'Model "sizes" has no version 7',
      ],
      [await call('/api/v1/models/nosuch/predict', { body: { rows } }), 404, 'No model is named "nosuch"'],
      [
        await call('/api/v1/models/unpromoted/predict', { body: { rows } }),
        404,
        'Model "unpromoted" has no production version',
      ],
    ] as const;
    for (const [answer, status, error] of cases) {
      expect([answer.status, answer.json]).toEqual([status, { error }]);
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
  });

  it('serves /health and /metrics without a key', async () => {
    expect(await call('/health', { key: null })).toMatchObject({ status: 200, json: { status: 'ok' } });
    const scraped = await call('/metrics', { key: null });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toMatch(/^requests \d+/);
  });
});

describe('keys', () => {
  it('needs a key for predictions, refuses keys without the predict scope, and keys limited to other models', async () => {
    const body = { rows: [row] };
    expect(await call(PREDICT, { key: null, body })).toMatchObject({
      status: 401,
      json: { error: 'An API key is required (Authorization: Bearer …)' },
    });
    expect(await call(PREDICT, { key: 'read', body })).toMatchObject({
      status: 403,
      json: { error: 'A read key may not ask for predictions; use a predict key' },
    });
    expect(await call(PREDICT, { key: 'run', body })).toMatchObject({ status: 403 });
    expect(await call(PREDICT, { key: 'otherModel', body })).toMatchObject({
      status: 403,
      json: { error: 'This key may not use the model "sizes"' },
    });
    // An admin key may do everything (access/roles.ts scopeMay), the app's internal credential predicts.
    for (const key of ['predict', 'admin', 'internal', 'sizesOnly'] as const)
      expect([key, (await call(PREDICT, { key, body })).status]).toEqual([key, 200]);
    expect((await call('/api/v1/models/other/predict', { key: 'otherModel', body })).status).toBe(200);
    // A refusal is counted without a version, under one label whether the model exists or not:
    // /metrics needs no key, so its labels must not tell which names exist.
    for (const name of ['ghost', 'sizes']) {
      for (const key of ['read', null] as const) {
        const refused = await call(`/api/v1/models/${name}/predict`, { key, body });
        expect(refused.status).toBe(key ? 403 : 401);
        expect(metrics.observations.at(-1)).toEqual({
          model: '(unauthorised)',
          version: null,
          status: key ? 403 : 401,
          seconds: expect.any(Number),
        });
      }
    }
    // Once authorised, an unknown model is labelled '' and a loaded one by its name.
    expect((await call('/api/v1/models/ghost/predict', { body })).status).toBe(404);
    expect(metrics.observations.at(-1)).toMatchObject({ model: '', version: null, status: 404 });
  });
});

describe('openapi.json', () => {
  it('is generated from the version signature and needs a read or predict key', async () => {
    expect((await call('/api/v1/models/sizes/openapi.json', { key: null })).status).toBe(401);
    expect((await call('/api/v1/models/sizes/openapi.json', { key: 'otherModel' })).status).toBe(403);
    for (const key of ['read', 'run', 'admin', 'internal'] as const)
      expect([key, (await call('/api/v1/models/sizes/openapi.json', { key })).status]).toEqual([key, 200]);
    const answer = await call('/api/v1/models/sizes/openapi.json?alias=staging');
    expect(answer.status).toBe(200);
    const document = answer.json as {
      openapi: string;
      info: { version: string };
      paths: Record<string, unknown>;
      components: { schemas: { Row: { required: string[]; properties: Record<string, unknown> } } };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('2');
    expect(document).toMatchObject({ servers: [{ url: 'http://serving.example:3001' }] });
    expect(Object.keys(document.paths)).toEqual([
      '/api/v1/models/sizes/predict',
      '/api/v1/models/sizes/feedback',
      '/api/v1/models/sizes/versions/{version}/predict',
    ]);
    // Feedback labels are the version's classes.
    expect(document.components.schemas).toMatchObject({
      FeedbackItem: { properties: { label: { enum: ['big', 'small'] } } },
    });
    expect(document.components.schemas.Row.required.sort()).toEqual(['colour', 'size', 'weight']);
    expect(document.components.schemas.Row.properties).toEqual({
      size: { type: ['number', 'null'] },
      weight: { type: 'number' },
      colour: { type: 'string', enum: ['red', 'green', 'blue'] },
    });
    expect((await call('/api/v1/models/sizes/openapi.json?version=1')).json).toMatchObject({
      info: { version: '1' },
    });
    expect((await call('/api/v1/models/sizes/openapi.json', { method: 'POST', raw: '{}' })).status).toBe(405);
  });

  it("comes from the version's row: no ONNX session is loaded for it", async () => {
    const fileReads = { count: 0 };
    const sql = new Proxy(database.sql, {
      apply(target, thisArg, args: unknown[]) {
        const [strings] = args;
        if (Array.isArray(strings) && strings.join('?').includes('model_files')) fileReads.count += 1;
        return Reflect.apply(target, thisArg, args);
      },
    });
    const fresh = new ModelCache({ sql, pollMs: 600_000 });
    try {
      const described = await fresh.describe('UNPROMOTED', { version: 1 });
      expect(described).toEqual({ ok: true, name: 'unpromoted', version: 1, signature: model.signature });
      expect(await fresh.describe('unpromoted', { alias: 'production' })).toEqual({
        ok: false,
        status: 404,
        message: 'Model "unpromoted" has no production version',
      });
      expect(await fresh.describe('unpromoted', { version: 9 })).toMatchObject({ ok: false, status: 404 });
      expect(fileReads.count).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});

describe('connections', () => {
  /** A server with short limits, and a raw socket to it. */
  async function limitedServer(limits: Parameters<typeof createServingServer>[0]['limits']) {
    const limited = createServingServer({
      keys,
      log,
      feedback: createFeedbackStore(database.sql),
      metrics,
      models: cache,
      limits,
    });
    await new Promise<void>((resolve) => limited.listen(0, '127.0.0.1', resolve));
    const port = (limited.address() as AddressInfo).port;
    const connect = () =>
      new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    /** Everything the server sent until it closed the socket. */
    const closing = (socket: net.Socket) =>
      new Promise<string>((resolve) => {
        let received = '';
        socket.on('data', (chunk) => {
          received += chunk.toString();
        });
        socket.on('error', () => {});
        socket.once('close', () => resolve(received));
      });
    return {
      connect,
      closing,
      stop: () => {
        limited.closeAllConnections();
        return new Promise((resolve) => limited.close(resolve));
      },
    };
  }

  it('closes a connection whose headers do not arrive in time (408)', async () => {
    const limited = await limitedServer({ headersMs: 200, requestMs: 400, keepAliveMs: 100 });
    try {
      const socket = await limited.connect();
      const closed = limited.closing(socket);
      const sentAt = performance.now();
      socket.write('POST /api/v1/models/sizes/predict HTTP/1.1\r\nHost: x\r\n');
      const received = await closed;
      expect(received).toMatch(/^HTTP\/1\.1 408/);
      expect(performance.now() - sentAt).toBeLessThan(2_000);
    } finally {
      await limited.stop();
    }
  });

  it('refuses connections beyond its limit', async () => {
    const limited = await limitedServer({ maxConnections: 2 });
    try {
      const open = [await limited.connect(), await limited.connect()];
      const third = await limited.connect();
      // Dropped by the server at once, without an answer.
      expect(await limited.closing(third)).toBe('');
      for (const socket of open) socket.destroy();
    } finally {
      await limited.stop();
    }
  });
});
