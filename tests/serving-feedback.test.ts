/**
 * POST /api/v1/models/{name}/feedback on the real serving process (`npm run serve`) with real
 * better-auth keys and PostgreSQL: predictions are made and logged by serving itself, then labelled.
 * Accepted and unknown ids, a correction replacing a label, a label that does not fit its version
 * named by index with nothing stored, the key refusals (401, 403) storing nothing, an unknown model,
 * bodies too large or not JSON, /metrics, and the app's forwarding route reaching the same process.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPredictionLog } from '../db/queries/prediction-log';
import type { Auth } from '../runtime/auth/auth';
import { accountsAuth, createKey, type SignedIn, signedInAs } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { NodeHarness } from './support/node-harness';
import { registerTestModel, trainTestModel } from './support/registered-model';
import { useAppEnvironment } from './support/rest-app';
import { testSecretKey } from './support/secret-key';
import { type ServingProcess, startServingProcess } from './support/serving-process';

const harness = new NodeHarness();
let database: TestDatabase;
let auth: Auth;
let serving: ServingProcess;
let viewer: SignedIn;
let predictKey: { id: string; key: string };
let readKey: { id: string; key: string };
let otherOnlyKey: { id: string; key: string };
let sizesId: string;
let amountsId: string;
let dataDir: string;
let closeApp: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const model = await trainTestModel(harness);
  database = await createTestDatabase();
  auth = accountsAuth(database.db);
  sizesId = (await registerTestModel(database.sql, { name: 'sizes', model, alias: 'production' })).modelId;
  await registerTestModel(database.sql, { name: 'other', model, alias: 'production' });
  // A regression model: never served here (its predictions are logged below), only labelled.
  amountsId = (
    await registerTestModel(database.sql, {
      name: 'amounts',
      model: { onnx: model.onnx, signature: { ...model.signature, output: { task: 'regression' } } },
    })
  ).modelId;
  viewer = await signedInAs(auth, 'viewer');
  predictKey = await createKey(auth, viewer.userId, 'predict');
  readKey = await createKey(auth, viewer.userId, 'read');
  otherOnlyKey = await createKey(auth, viewer.userId, 'predict', { models: ['other'] });
  serving = await startServingProcess(database.url);
}, 180_000);

afterAll(async () => {
  await serving?.stop();
  await closeApp?.();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  harness.cleanup();
});

const rows = [
  { size: 30, weight: 20, colour: 'red' },
  { size: 2, weight: 1, colour: 'blue' },
  { size: 10, weight: 30, colour: 'green' },
];

/** Predicts with the real process and waits until its log holds every prediction; returns their ids. */
async function loggedPredictions(name: string, count = rows.length): Promise<string[]> {
  const response = await fetch(`${serving.url}/api/v1/models/${name}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${predictKey.key}` },
    body: JSON.stringify({ rows: rows.slice(0, count) }),
  });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { predictions: { id: string }[] };
  const ids = answer.predictions.map((prediction) => prediction.id);
  await expect
    .poll(async () => {
      const [row] = await database.sql<{ n: number }[]>`
        select count(*)::int as n from prediction_log where prediction_id = any(${ids}::uuid[])`;
      return row?.n;
    })
    .toBe(ids.length);
  return ids;
}

async function sendFeedback(
  body: unknown,
  options: { key?: string | null; name?: string; raw?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const key = options.key === undefined ? predictKey.key : options.key;
  const response = await fetch(`${serving.url}/api/v1/models/${options.name ?? 'sizes'}/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: options.raw ?? JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/**
 * Announces a body of `bytes` (more than serving takes) and sends none of it: serving refuses on
 * the declared length alone and closes the connection. Sending the body as well would race the
 * close (the client's write may fail with EPIPE before it reads the answer).
 */
function announceLargeBody(bytes: number): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${serving.url}/api/v1/models/sizes/feedback`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': bytes,
          authorization: `Bearer ${predictKey.key}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          outgoing.destroy();
          resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.flushHeaders();
  });
}

interface StoredFeedback {
  predictionId: string;
  modelId: string;
  version: number;
  label: unknown;
  keyId: string | null;
  receivedAtMs: number;
}

async function stored(ids: readonly string[]): Promise<StoredFeedback[]> {
  return database.sql<StoredFeedback[]>`
    select prediction_id as "predictionId", model_id as "modelId", version, label, key_id as "keyId",
      (extract(epoch from received_at) * 1000)::float8 as "receivedAtMs"
    from prediction_feedback where prediction_id = any(${[...ids]}::uuid[]) order by label::text, prediction_id`;
}

async function feedbackCount(): Promise<number> {
  const [row] = await database.sql<{ n: number }[]>`select count(*)::int as n from prediction_feedback`;
  return row?.n ?? -1;
}

/** A sample's value on the serving process's /metrics page (0 when the series is absent). */
async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const page = await (await fetch(`${serving.url}/metrics`)).text();
  const line = page
    .split('\n')
    .find(
      (each) =>
        each.startsWith(`${name}{`) &&
        Object.entries(labels).every(([key, value]) => each.includes(`${key}="${value}"`)),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('feedback on logged predictions', () => {
  it('stores the labels of known predictions and lists the unknown ids, counting both in /metrics', async () => {
    const [first = '', second = ''] = await loggedPredictions('sizes');
    const [otherModels = ''] = await loggedPredictions('other', 1);
    const typo = randomUUID();
    const acceptedBefore = await metric('pipewright_feedback_items_total', {
      model: 'sizes',
      outcome: 'accepted',
    });
    const answer = await sendFeedback({
      feedback: [
        { predictionId: first, label: 'big' },
        { predictionId: second.toUpperCase(), label: 'small' },
        { predictionId: typo, label: 'big' },
        // Another model's prediction is unknown to this one.
        { predictionId: otherModels, label: 'big' },
      ],
    });
    expect(answer).toEqual({
      status: 200,
      json: { model: 'sizes', accepted: 2, unknown: [typo, otherModels], unknownCount: 2 },
    });
    expect(await stored([first, second, typo, otherModels])).toEqual([
      expect.objectContaining({
        predictionId: first,
        modelId: sizesId,
        version: 1,
        label: 'big',
        keyId: predictKey.id,
      }),
      expect.objectContaining({
        predictionId: second,
        modelId: sizesId,
        version: 1,
        label: 'small',
        keyId: predictKey.id,
      }),
    ]);
    expect(await metric('pipewright_feedback_items_total', { model: 'sizes', outcome: 'accepted' })).toBe(
      acceptedBefore + 2,
    );
    expect(
      await metric('pipewright_feedback_items_total', { model: 'sizes', outcome: 'unknown' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      await metric('pipewright_feedback_requests_total', { model: 'sizes', status: '200' }),
    ).toBeGreaterThan(0);
  });

  it('takes a correction: the latest label wins and received_at moves, also within one request', async () => {
    const [id = '', twice = ''] = await loggedPredictions('sizes');
    expect((await sendFeedback({ predictionId: id, label: 'big' })).json).toMatchObject({ accepted: 1 });
    // Days later, as far as the table can tell.
    await database.sql`update prediction_feedback set received_at = now() - interval '3 days' where prediction_id = ${id}`;
    const [before] = await stored([id]);
    const corrected = await sendFeedback({
      feedback: [
        { predictionId: id, label: 'small' },
        { predictionId: twice, label: 'big' },
        { predictionId: twice, label: 'small' },
      ],
    });
    expect(corrected).toEqual({
      status: 200,
      json: { model: 'sizes', accepted: 2, unknown: [], unknownCount: 0 },
    });
    const after = await stored([id, twice]);
    expect(new Map(after.map((row) => [row.predictionId, row.label]))).toEqual(
      new Map([
        [id, 'small'],
        [twice, 'small'],
      ]),
    );
    const [moved] = await stored([id]);
    expect(moved?.receivedAtMs).toBeGreaterThan((before?.receivedAtMs ?? 0) + 2 * 86_400_000);
  });

  it("refuses a label that is not one of the version's classes, by index, and stores nothing", async () => {
    const [good = '', bad = ''] = await loggedPredictions('sizes');
    const count = await feedbackCount();
    const answer = await sendFeedback({
      feedback: [
        { predictionId: good, label: 'big' },
        { predictionId: bad, label: 'medium' },
        // An unknown id's label cannot be checked (no version), and does not refuse the request.
        { predictionId: randomUUID(), label: 'medium' },
      ],
    });
    expect(answer).toEqual({
      status: 400,
      json: {
        error: 'feedback[1].label: must be one of "big", "small"',
        problems: [{ field: 'feedback[1].label', message: 'must be one of "big", "small"' }],
      },
    });
    expect(await feedbackCount()).toBe(count);
  });

  it("checks a regression's labels as numbers", async () => {
    const ids = [randomUUID(), randomUUID()];
    await insertPredictionLog(
      database.sql,
      ids.map((predictionId) => ({
        predictionId,
        requestId: 'r1',
        modelId: amountsId,
        version: 1,
        at: new Date(),
        latencyMs: 1,
        inputs: [1, 2, 'red'],
        outputs: { value: 4.5 },
      })),
    );
    expect(
      await sendFeedback({ feedback: [{ predictionId: ids[0], label: 'high' }] }, { name: 'amounts' }),
    ).toEqual({
      status: 400,
      json: {
        error: 'feedback[0].label: must be a number (the true value)',
        problems: [{ field: 'feedback[0].label', message: 'must be a number (the true value)' }],
      },
    });
    const answer = await sendFeedback(
      { feedback: ids.map((predictionId, index) => ({ predictionId, label: 4 + index })) },
      { name: 'amounts' },
    );
    expect(answer.json).toEqual({ model: 'amounts', accepted: 2, unknown: [], unknownCount: 0 });
    expect((await stored(ids)).map((row) => row.label)).toEqual([4, 5]);
  });
});

describe('a full request', () => {
  it('stores 10,000 labels in one request', async () => {
    const ids = Array.from({ length: 10_000 }, () => randomUUID());
    await insertPredictionLog(
      database.sql,
      ids.map((predictionId, index) => ({
        predictionId,
        requestId: `bulk-${Math.floor(index / 100)}`,
        modelId: sizesId,
        version: 1,
        at: new Date(),
        latencyMs: 1,
        inputs: [1, 2, 'red'],
        outputs: { label: 'small', probabilities: { big: 0.2, small: 0.8 } },
      })),
    );
    const started = performance.now();
    const answer = await sendFeedback({
      feedback: ids.map((predictionId, index) => ({
        predictionId,
        label: index % 2 === 0 ? 'big' : 'small',
      })),
    });
    const seconds = (performance.now() - started) / 1000;
    expect(answer).toEqual({
      status: 200,
      json: { model: 'sizes', accepted: 10_000, unknown: [], unknownCount: 0 },
    });
    const [counts] = await database.sql<{ big: number; small: number }[]>`
      select count(*) filter (where label = '"big"')::int as big, count(*) filter (where label = '"small"')::int as small
      from prediction_feedback where prediction_id = any(${ids}::uuid[])`;
    expect(counts).toEqual({ big: 5_000, small: 5_000 });
    console.log(`feedback: 10,000 labels in one request took ${seconds.toFixed(2)} s`);
  });
});

describe('refusals', () => {
  it('refuses a key without the predict scope (403), a key for other models (403) and no key (401), storing nothing', async () => {
    const [id = ''] = await loggedPredictions('sizes', 1);
    const body = { feedback: [{ predictionId: id, label: 'big' }] };
    expect(await sendFeedback(body, { key: readKey.key })).toEqual({
      status: 403,
      json: { error: 'A read key may not send feedback; use a predict key' },
    });
    expect(await sendFeedback(body, { key: otherOnlyKey.key })).toEqual({
      status: 403,
      json: { error: 'This key may not use the model "sizes"' },
    });
    expect(await sendFeedback(body, { key: null })).toMatchObject({
      status: 401,
      json: { error: expect.any(String) },
    });
    expect(await sendFeedback(body, { key: `pw_${'x'.repeat(64)}` })).toMatchObject({ status: 401 });
    expect(await stored([id])).toEqual([]);
    expect(
      await metric('pipewright_feedback_requests_total', { model: '(unauthorised)', status: '403' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('answers 404 for an unknown model', async () => {
    expect(await sendFeedback({ predictionId: randomUUID(), label: 'big' }, { name: 'nope' })).toEqual({
      status: 404,
      json: { error: 'No model is named "nope"' },
    });
  });

  it('refuses bodies that are not JSON, malformed, too long or too large, naming the problem', async () => {
    expect(await sendFeedback(undefined, { raw: '{"feedback": [' })).toEqual({
      status: 400,
      json: { error: 'The body is not valid JSON' },
    });
    expect(await sendFeedback(undefined, { raw: '' })).toEqual({
      status: 400,
      json: { error: 'The body is empty; send the feedback as JSON' },
    });
    expect(await sendFeedback({ feedback: [{ predictionId: 'abc', label: 'big' }] })).toMatchObject({
      status: 400,
      json: { error: 'feedback[0].predictionId: must be a prediction id (a UUID from a prediction answer)' },
    });
    const tooMany = Array.from({ length: 10_001 }, () => ({ predictionId: randomUUID(), label: 'big' }));
    expect(await sendFeedback({ feedback: tooMany })).toMatchObject({
      status: 400,
      json: { error: 'feedback: must hold at most 10,000 items; send the rest in another request' },
    });
    expect(await announceLargeBody(9 * 1024 * 1024)).toEqual({
      status: 413,
      json: { error: 'The body is larger than 8192 KiB; send fewer items per request' },
    });
  });
});

describe("the app's forwarding route", () => {
  it("takes a signed-in user's feedback through the app to the serving process", async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-feedback-'));
    // The app reads its environment once, when its modules load: set it first, then import the route.
    useAppEnvironment(database, { dataDir }, { url: serving.url, secretKey: testSecretKey });
    const { POST } = await import('../app/api/v1/models/[name]/feedback/route');
    const { database: appDatabase } = await import('../app/_server/db');
    closeApp = () => appDatabase().close();

    const [id = ''] = await loggedPredictions('sizes', 1);
    const response = await POST(
      new Request('http://localhost:3000/api/v1/models/sizes/feedback', {
        method: 'POST',
        headers: { host: 'localhost:3000', 'content-type': 'application/json', ...viewer.headers },
        body: JSON.stringify({ feedback: [{ predictionId: id, label: 'small' }] }),
      }),
      { params: Promise.resolve({ name: 'sizes' }) },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ model: 'sizes', accepted: 1, unknown: [], unknownCount: 0 });
    // A session sends no key: the row records none.
    expect(await stored([id])).toEqual([expect.objectContaining({ label: 'small', keyId: null })]);
  });
});
