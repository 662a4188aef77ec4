/**
 * The app's /api/v1/models/… routes, which pass requests on to the serving process. The serving
 * process here is a stand-in HTTP server that records what reaches it (another helper builds the
 * real one): a signed-in user's request arrives with an internal credential for that user and never
 * the session cookie; a predict key's with the key itself; answers come back with their status,
 * body and headers; and with nothing listening the app answers 503 with a sentence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuardedRoute } from '../app/_server/auth/route-guard';
import { verifyServingCredential } from '../config/serving-credential';
import { accountsAuth, createKey, type SignedIn, signedInAs } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { useAppEnvironment } from './support/rest-app';
import { testSecretKey } from './support/secret-key';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the stand-in answers next, and every request it got. */
const standIn = {
  received: [] as Received[],
  status: 200,
  answer: {} as unknown,
};

let server: Server;
let serveOrigin: string;
let database: TestDatabase;
let dataDir: string;
let viewer: SignedIn;
let predictKey: string;
let readKey: string;
let closeApp: () => Promise<void>;
const routes: {
  predict?: GuardedRoute<{ name: string }>;
  versionPredict?: GuardedRoute<{ name: string; n: string }>;
  openapi?: GuardedRoute<{ name: string }>;
  feedback?: GuardedRoute<{ name: string }>;
} = {};

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      standIn.received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(standIn.status, {
        'content-type': 'application/json',
        'x-request-id': 'req-1',
        'x-model-version': '3',
        'x-internal-detail': 'not for clients',
      });
      response.end(JSON.stringify(standIn.answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('the stand-in has no port');
  serveOrigin = `http://127.0.0.1:${address.port}`;

  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-forward-'));
  // The app reads its environment once, when its modules load: set it first, then import the routes.
  useAppEnvironment(database, { dataDir }, { url: serveOrigin, secretKey: testSecretKey });
  routes.predict = (await import('../app/api/v1/models/[name]/predict/route')).POST;
  routes.versionPredict = (await import('../app/api/v1/models/[name]/versions/[n]/predict/route')).POST;
  routes.openapi = (await import('../app/api/v1/models/[name]/openapi.json/route')).GET;
  routes.feedback = (await import('../app/api/v1/models/[name]/feedback/route')).POST;
  const { database: appDatabase } = await import('../app/_server/db');
  closeApp = () => appDatabase().close();

  const auth = accountsAuth(database.db);
  viewer = await signedInAs(auth, 'viewer');
  predictKey = (await createKey(auth, viewer.userId, 'predict')).key;
  readKey = (await createKey(auth, viewer.userId, 'read')).key;
}, 120_000);

afterAll(async () => {
  if (server.listening) await new Promise((resolve) => server.close(resolve));
  await closeApp?.();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function route<P>(found: GuardedRoute<P> | undefined): GuardedRoute<P> {
  if (!found) throw new Error('the route was not imported');
  return found;
}

function post(urlPath: string, headers: Record<string, string>, body: unknown): Request {
  return new Request(`http://localhost:3000${urlPath}`, {
    method: 'POST',
    headers: { host: 'localhost:3000', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const rows = { rows: [{ tenure: 3, plan: 'pro' }] };

describe("the app's forwarding of /api/v1/models/… to serving", () => {
  it("sends a signed-in user's request on with an internal credential for that user, never the cookie", async () => {
    standIn.received = [];
    standIn.status = 200;
    standIn.answer = { model: 'churn', version: 3, predictions: [{ id: 'p1', label: 'leaves' }] };
    const response = await route(routes.predict)(
      post('/api/v1/models/churn/predict?alias=staging&debug=1', viewer.headers, rows),
      { params: Promise.resolve({ name: 'churn' }) },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(standIn.answer);
    expect(response.headers.get('x-model-version')).toBe('3');
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(response.headers.get('x-internal-detail')).toBeNull();

    expect(standIn.received).toHaveLength(1);
    const [got] = standIn.received;
    expect(got?.method).toBe('POST');
    expect(got?.url).toBe('/api/v1/models/churn/predict?alias=staging');
    expect(JSON.parse(got?.body ?? '')).toEqual(rows);
    expect(got?.headers.cookie).toBeUndefined();
    const token = /^Bearer (pwi_\S+)$/.exec(got?.headers.authorization ?? '')?.[1] ?? '';
    expect(verifyServingCredential(testSecretKey, token)).toBe(viewer.userId);
  });

  it('sends a predict key on as it came, and passes validation errors back with their status', async () => {
    standIn.received = [];
    standIn.status = 400;
    standIn.answer = {
      error: 'The rows do not match the model\'s signature: row 0 column "plan" is not a known category',
      problems: [{ row: 0, column: 'plan', message: 'is not a known category' }],
    };
    const response = await route(routes.versionPredict)(
      post('/api/v1/models/churn/versions/2/predict', { authorization: `Bearer ${predictKey}` }, rows),
      { params: Promise.resolve({ name: 'churn', n: '2' }) },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(standIn.answer);
    expect(standIn.received.map((each) => [each.url, each.headers.authorization])).toEqual([
      ['/api/v1/models/churn/versions/2/predict', `Bearer ${predictKey}`],
    ]);
  });

  it('refuses before forwarding: no credential, a read key, a bad name or version', async () => {
    standIn.received = [];
    const predict = route(routes.predict);
    const anonymous = await predict(post('/api/v1/models/churn/predict', {}, rows), {
      params: Promise.resolve({ name: 'churn' }),
    });
    expect(anonymous.status).toBe(401);
    const withReadKey = await predict(
      post('/api/v1/models/churn/predict', { authorization: `Bearer ${readKey}` }, rows),
      { params: Promise.resolve({ name: 'churn' }) },
    );
    expect(withReadKey.status).toBe(403);
    expect(await withReadKey.json()).toEqual({
      error: expect.stringMatching(/may not ask models for predictions/),
    });
    const badName = await predict(post('/api/v1/models/x/predict', viewer.headers, rows), {
      params: Promise.resolve({ name: '..' }),
    });
    expect(badName.status).toBe(400);
    expect(await badName.json()).toEqual({ error: expect.stringMatching(/^name: A model name has/) });
    const badVersion = await route(routes.versionPredict)(
      post('/api/v1/models/churn/versions/0/predict', viewer.headers, rows),
      { params: Promise.resolve({ name: 'churn', n: '0' }) },
    );
    expect(badVersion.status).toBe(400);
    expect(await badVersion.json()).toEqual({
      error: 'The version in the path must be a whole number from 1.',
    });
    expect(standIn.received).toEqual([]);
  });

  it("forwards the model's OpenAPI document request with the read key", async () => {
    standIn.received = [];
    standIn.status = 200;
    standIn.answer = { openapi: '3.1.0' };
    const response = await route(routes.openapi)(
      new Request('http://localhost:3000/api/v1/models/churn/openapi.json?version=2', {
        headers: { authorization: `Bearer ${readKey}` },
      }),
      { params: Promise.resolve({ name: 'churn' }) },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ openapi: '3.1.0' });
    expect(standIn.received.map((each) => [each.method, each.url, each.headers.authorization])).toEqual([
      ['GET', '/api/v1/models/churn/openapi.json?version=2', `Bearer ${readKey}`],
    ]);
  });

  it('forwards feedback with the predict key or an internal credential, and refuses a read key first', async () => {
    standIn.received = [];
    standIn.status = 200;
    standIn.answer = { model: 'churn', accepted: 1, unknown: [], unknownCount: 0 };
    const feedback = {
      feedback: [{ predictionId: '0b7c6a52-3f5e-4c1d-9a2b-8e4f6d1c2a3b', label: 'leaves' }],
    };
    const withKey = await route(routes.feedback)(
      post(
        '/api/v1/models/churn/feedback?alias=staging',
        { authorization: `Bearer ${predictKey}` },
        feedback,
      ),
      { params: Promise.resolve({ name: 'churn' }) },
    );
    expect(withKey.status).toBe(200);
    expect(await withKey.json()).toEqual(standIn.answer);
    const bySession = await route(routes.feedback)(
      post('/api/v1/models/churn/feedback', viewer.headers, feedback),
      { params: Promise.resolve({ name: 'churn' }) },
    );
    expect(bySession.status).toBe(200);
    expect(standIn.received.map((each) => [each.method, each.url, JSON.parse(each.body)])).toEqual([
      ['POST', '/api/v1/models/churn/feedback', feedback],
      ['POST', '/api/v1/models/churn/feedback', feedback],
    ]);
    expect(standIn.received[0]?.headers.authorization).toBe(`Bearer ${predictKey}`);
    const internal = /^Bearer (pwi_\S+)$/.exec(standIn.received[1]?.headers.authorization ?? '')?.[1] ?? '';
    expect(verifyServingCredential(testSecretKey, internal)).toBe(viewer.userId);

    standIn.received = [];
    const withReadKey = await route(routes.feedback)(
      post('/api/v1/models/churn/feedback', { authorization: `Bearer ${readKey}` }, feedback),
      { params: Promise.resolve({ name: 'churn' }) },
    );
    expect(withReadKey.status).toBe(403);
    const anonymous = await route(routes.feedback)(post('/api/v1/models/churn/feedback', {}, feedback), {
      params: Promise.resolve({ name: 'churn' }),
    });
    expect(anonymous.status).toBe(401);
    expect(standIn.received).toEqual([]);
  });

  it('answers 503 with a sentence when the serving process does not answer', async () => {
    await new Promise((resolve) => server.close(resolve));
    const response = await route(routes.predict)(post('/api/v1/models/churn/predict', viewer.headers, rows), {
      params: Promise.resolve({ name: 'churn' }),
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: `The serving process at ${serveOrigin} does not answer; is \`npm run serve\` running?`,
    });
  });
});
