/**
 * The REST API, called in-process through the route modules Next serves (the exported, guarded
 * handlers), against a real PostgreSQL, Temporal and worker, with real better-auth keys. In-process
 * rather than against a started production app: no `next build` on a shared machine, and the
 * handlers, guard and OpenAPI document are the same objects Next would call. What Next adds, URL
 * routing, is checked by comparing the route files under app/api/v1 with the document's paths.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { KeyScope } from '../access/roles';
import type { GuardedRoute } from '../app/_server/auth/route-guard';
import { createPipeline } from '../db/queries/pipelines';
import { auditLog, runs } from '../db/schema';
import { createKey } from '../runtime/auth/api-keys';
import type { Auth } from '../runtime/auth/auth';
import { createTestDatabase, type TestDatabase } from './support/database';
import { apiRoutes, irisPipeline, useAppEnvironment } from './support/rest-app';
import { startTestWorker, type TestWorker } from './support/temporal';

let database: TestDatabase;
let worker: TestWorker;
let workerStopped = false;
let auth: Auth;
let closeApp: () => Promise<void>;
const keys = new Map<KeyScope, string>();
let pipelineId: string;

type Route = GuardedRoute<Record<string, string>>;
const routes: Record<string, Route> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.sql);
  // The app reads its environment once, when its modules load: set it first, then import the routes.
  useAppEnvironment(database, worker);
  routes.startRun = (await import('../app/api/v1/pipelines/[id]/runs/route')).POST;
  routes.readRun = (await import('../app/api/v1/runs/[id]/route')).GET;
  routes.cancelRun = (await import('../app/api/v1/runs/[id]/cancel/route')).POST;
  // A route without a dynamic segment takes no params: called with none.
  const document = (await import('../app/api/v1/openapi.json/route')).GET;
  routes.openapi = Object.assign((request: Request) => document(request, { params: Promise.resolve({}) }), {
    permission: document.permission,
  });
  const { appServices } = await import('../app/_server/app-services');
  const { database: appDatabase } = await import('../app/_server/db');
  closeApp = () => appDatabase().close();
  auth = appServices().auth();

  const { user } = await auth.api.createUser({
    body: { email: 'ci@rest.test', password: 'a long enough password', name: 'CI', role: 'editor' },
  });
  const owner = { id: user.id, email: user.email, role: 'editor' as const };
  for (const scope of ['read', 'run', 'predict'] as const) {
    const created = await createKey(
      auth,
      database.db,
      owner,
      { name: `${scope} key`, scope },
      { actorKind: 'system' },
    );
    keys.set(scope, created.key);
  }
  pipelineId = (await createPipeline(database.db, { name: 'Iris', graph: irisPipeline })).pipeline.id;
}, 120_000);

afterAll(async () => {
  if (!workerStopped) await worker?.stop();
  await closeApp?.();
  await database?.drop();
});

function keyOf(scope: KeyScope): string {
  const key = keys.get(scope);
  if (!key) throw new Error(`no ${scope} key`);
  return key;
}

interface Call {
  key?: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Calls a route handler as Next would: a Request, and the dynamic segment as a promised params object. */
async function call(
  route: string,
  method: string,
  url: string,
  params: Record<string, string>,
  options: Call = {},
) {
  const handler = routes[route];
  if (!handler) throw new Error(`no route ${route}`);
  const headers = new Headers(options.headers);
  if (options.key) headers.set('authorization', `Bearer ${options.key}`);
  const response = await handler(
    new Request(`http://localhost:3000${url}`, { method, headers, body: options.body }),
    { params: Promise.resolve(params) },
  );
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: response.status, body: await response.json() };
}

const startRun = (id: string, options: Call) =>
  call('startRun', 'POST', `/api/v1/pipelines/${id}/runs`, { id }, options);
const readRun = (id: string, options: Call) => call('readRun', 'GET', `/api/v1/runs/${id}`, { id }, options);
const cancelRun = (id: string, options: Call) =>
  call('cancelRun', 'POST', `/api/v1/runs/${id}/cancel`, { id }, options);

describe('REST API', () => {
  it('starts a run with a run key (trigger api, audited as the key), and reads its steps and metrics with a read key', async () => {
    const started = await startRun(pipelineId, {
      key: keyOf('run'),
      body: JSON.stringify({ parameters: { seed: 7 } }),
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      pipelineId,
      status: 'queued',
      href: `/api/v1/runs/${started.body.runId}`,
    });
    const runId: string = started.body.runId;
    await worker.client.workflow.getHandle(`run-${runId}`).result();

    const read = await readRun(runId, { key: keyOf('read') });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: runId,
      pipelineId,
      pipelineName: 'Iris',
      version: 1,
      trigger: 'api',
      status: 'succeeded',
      parameters: { seed: 7 },
      error: null,
    });
    expect(new Date(read.body.finishedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(read.body.startedAt).getTime(),
    );
    const steps: { nodeId: string; status: string }[] = read.body.steps;
    expect(steps.map((step) => [step.nodeId, step.status])).toEqual([
      ['ingest', 'succeeded'],
      ['split', 'succeeded'],
      ['train', 'succeeded'],
      ['evaluate', 'succeeded'],
    ]);
    expect(read.body.metrics.evaluate.accuracy).toBeGreaterThan(0.7);
    expect(read.body.metrics.evaluate.accuracy).toBeLessThanOrEqual(1);

    const [entry] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'run.started'), eq(auditLog.objectId, runId)));
    expect(entry).toMatchObject({ actorKind: 'key', actorEmail: 'ci@rest.test', objectLabel: 'Iris' });
    // The run is the key owner's, as a run they started in the app would be.
    const [run] = await database.db
      .select({ startedBy: runs.startedBy })
      .from(runs)
      .where(eq(runs.id, runId));
    expect(run?.startedBy).toBe(entry?.actorId);
    expect(entry?.actorId).toEqual(expect.any(String));
    expect(entry?.details).toMatchObject({
      pipelineId,
      trigger: 'api',
      keyPrefix: keyOf('run').slice(0, 11),
    });
  }, 120_000);

  it('refuses callers by their key: none (401), revoked (401), read key starting (403), predict key reading (403)', async () => {
    const anonymous = await startRun(pipelineId, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toMatch(/^Sign in \(or send an API key as "Authorization: Bearer …"\)/);

    const readStarts = await startRun(pipelineId, { key: keyOf('read') });
    expect(readStarts).toEqual({
      status: 403,
      body: {
        error: `The API key ${keyOf('read').slice(0, 11)}… has the read scope, which may not start, cancel or re-run runs.`,
      },
    });
    const someRun = '00000000-0000-4000-8000-000000000000';
    const predictReads = await readRun(someRun, { key: keyOf('predict') });
    expect(predictReads.status).toBe(403);
    expect(predictReads.body.error).toContain(
      'has the predict scope, which may not read pipelines, runs and models',
    );
    expect((await cancelRun(someRun, { key: keyOf('read') })).status).toBe(403);

    const { user } = await auth.api.createUser({
      body: { email: 'gone@rest.test', password: 'a long enough password', name: 'Gone', role: 'editor' },
    });
    const revoked = await createKey(
      auth,
      database.db,
      { id: user.id, email: user.email, role: 'editor' },
      { name: 'x', scope: 'run' },
      { actorKind: 'system' },
    );
    await auth.api.updateApiKey({ body: { keyId: revoked.id, userId: user.id, enabled: false } });
    const refused = await startRun(pipelineId, { key: revoked.key });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toContain('This API key is not valid');
    expect(JSON.stringify(refused.body)).not.toContain(revoked.key);
    // None of the refused starts made a run.
    const started = await database.db.select().from(auditLog).where(eq(auditLog.action, 'run.started'));
    expect(started).toHaveLength(1);
  });

  it('answers bad input with 400 naming the field, and unknown pipelines and runs with 404', async () => {
    const key = keyOf('run');
    expect(await startRun('not-a-uuid', { key })).toEqual({
      status: 400,
      body: { error: 'id: must be a UUID', field: 'id' },
    });
    expect(await startRun(pipelineId, { key, body: '{"parameters": ' })).toEqual({
      status: 400,
      body: { error: 'body: is not valid JSON', field: 'body' },
    });
    const notAnObject = await startRun(pipelineId, { key, body: JSON.stringify({ parameters: [1, 2] }) });
    expect(notAnObject).toEqual({
      status: 400,
      body: { error: 'parameters: must be an object of parameter values by name', field: 'parameters' },
    });
    const unknownField = await startRun(pipelineId, { key, body: JSON.stringify({ params: {} }) });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.field).toBe('body');
    expect(unknownField.body.error).toContain('params');
    const nul = await startRun(pipelineId, {
      key,
      body: JSON.stringify({ parameters: { seed: 'a\u0000b' } }),
    });
    expect(nul).toMatchObject({ status: 400, body: { field: 'parameters.seed' } });
    const wrongType = await startRun(pipelineId, {
      key,
      body: JSON.stringify({ parameters: { seed: 'seven' } }),
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.field).toBe('parameters');
    expect(wrongType.body.error).toMatch(/^The pipeline cannot run: .*seed/);

    const nobody = '00000000-0000-4000-8000-000000000000';
    expect(await startRun(nobody, { key })).toEqual({
      status: 404,
      body: { error: `No pipeline ${nobody}` },
    });
    expect(await readRun(nobody, { key })).toEqual({ status: 404, body: { error: `No run ${nobody}` } });
    expect(await cancelRun(nobody, { key })).toEqual({ status: 404, body: { error: `No run ${nobody}` } });
    const started = await database.db.select().from(auditLog).where(eq(auditLog.action, 'run.started'));
    expect(started).toHaveLength(1);
  });

  it('cancels a queued run with a run key, and audits it', async () => {
    // Without a worker the run stays queued, so the cancel finds it unfinished every time.
    await worker.stop();
    workerStopped = true;
    const started = await startRun(pipelineId, { key: keyOf('run') });
    expect(started.status).toBe(201);
    const runId: string = started.body.runId;
    expect((await readRun(runId, { key: keyOf('read') })).body.status).toBe('queued');

    expect(await cancelRun(runId, { key: keyOf('run') })).toEqual({
      status: 202,
      body: { runId, status: 'cancelled' },
    });
    const read = await readRun(runId, { key: keyOf('read') });
    expect(read.body).toMatchObject({ status: 'cancelled', error: 'Run cancelled' });
    // A second cancel changes nothing and records nothing.
    expect((await cancelRun(runId, { key: keyOf('run') })).body.status).toBe('cancelled');
    const entries = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'run.cancelled'), eq(auditLog.objectId, runId)));
    expect(entries.map((entry) => [entry.actorKind, entry.actorEmail])).toEqual([['key', 'ci@rest.test']]);
  });
});

const jsonSchemaShape = z.looseObject({
  type: z.string().optional(),
  required: z.array(z.string()).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
const contentShape = z.record(z.string(), z.object({ schema: z.unknown() }));
const operationShape = z.object({
  operationId: z.string(),
  summary: z.string(),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
  parameters: z
    .array(
      z.object({
        name: z.string(),
        in: z.enum(['path', 'query', 'header']),
        required: z.boolean(),
        schema: jsonSchemaShape,
      }),
    )
    .optional(),
  requestBody: z.object({ content: contentShape }).optional(),
  responses: z.record(
    z.string().regex(/^[1-5]\d\d$/),
    z.object({ description: z.string().min(1), content: contentShape }),
  ),
});
const openApiShape = z.object({
  openapi: z.literal('3.1.0'),
  info: z.object({ title: z.string(), version: z.string() }),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  components: z.object({
    securitySchemes: z.record(z.string(), z.object({ type: z.string() })),
    schemas: z.record(z.string(), jsonSchemaShape),
  }),
  paths: z.record(
    z.string().startsWith('/api/v1/'),
    z.partialRecord(z.enum(['get', 'post']), operationShape),
  ),
});

describe('OpenAPI document', () => {
  it('is public, OpenAPI 3.1, and lists exactly the routes under /api/v1 with their methods', async () => {
    const answer = await call('openapi', 'GET', '/api/v1/openapi.json', {});
    expect(answer.status).toBe(200);
    const document = answer.body;
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });

    // /api/v1/models/… are forwarded to the serving process, whose per-model document describes them.
    const routesOnDisk = new Map(
      (await apiRoutes())
        .filter((route) => !route.apiPath.startsWith('/api/v1/models/'))
        .map((route) => [route.apiPath, [...route.handlers.keys()]]),
    );
    const documented = new Map(
      Object.entries(openApiShape.parse(document).paths).map(([apiPath, item]) => [
        apiPath,
        Object.keys(item).map((method) => method.toUpperCase()),
      ]),
    );
    expect(documented).toEqual(routesOnDisk);
    expect([...documented.keys()].sort()).toEqual([
      '/api/v1/openapi.json',
      '/api/v1/pipelines/{id}/runs',
      '/api/v1/runs/{id}',
      '/api/v1/runs/{id}/cancel',
    ]);
  });

  it('describes each operation structurally: path parameters, bearer security by permission, every error shape', async () => {
    // Parsing with this schema is the structural check: every operation has these parts, typed so.
    const document = openApiShape.parse((await call('openapi', 'GET', '/api/v1/openapi.json', {})).body);
    const errorSchema = document.components.schemas.Error;
    expect(errorSchema).toMatchObject({ type: 'object', required: ['error'] });
    expect(Object.keys(errorSchema?.properties ?? {}).sort()).toEqual(['error', 'errorId', 'field']);
    const routeOf: Record<string, string> = {
      startRun: 'startRun',
      getRun: 'readRun',
      cancelRun: 'cancelRun',
      openApiDocument: 'openapi',
    };
    const operationIds: string[] = [];
    for (const [apiPath, item] of Object.entries(document.paths)) {
      const placeholders = [...apiPath.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const [method, operation] of Object.entries(item)) {
        operationIds.push(operation.operationId);
        const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
        expect(pathParameters.map((parameter) => parameter.name)).toEqual(placeholders);
        for (const parameter of pathParameters) {
          expect(parameter).toMatchObject({ required: true, schema: { type: 'string', format: 'uuid' } });
        }
        const route = routes[routeOf[operation.operationId] ?? 'missing'];
        expect(route, `${method} ${apiPath}`).toBeDefined();
        const statuses = Object.keys(operation.responses);
        if (route?.permission === 'public') {
          expect(operation.security).toEqual([]);
        } else {
          // The document-wide bearer requirement applies.
          expect(operation.security).toBeUndefined();
          expect(statuses).toEqual(expect.arrayContaining(['400', '401', '403', '404', '500']));
        }
        for (const status of statuses.filter((status) => Number(status) >= 400)) {
          expect(operation.responses[status]?.content['application/json']?.schema).toEqual({
            $ref: '#/components/schemas/Error',
          });
        }
        expect(statuses.filter((status) => Number(status) < 300)).toHaveLength(1);
      }
    }
    expect(new Set(operationIds).size).toBe(operationIds.length);
    expect(document.security).toEqual([{ apiKey: [] }]);

    const start = document.paths['/api/v1/pipelines/{id}/runs']?.post;
    expect(start?.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object',
      properties: { parameters: { type: 'object' } },
      additionalProperties: false,
    });
    const run = jsonSchemaShape.parse(
      document.paths['/api/v1/runs/{id}']?.get?.responses['200']?.content['application/json']?.schema,
    );
    expect(run.required).toEqual(
      expect.arrayContaining(['status', 'steps', 'metrics', 'startedAt', 'finishedAt', 'error']),
    );
    expect(run.properties?.status).toEqual({
      type: 'string',
      enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'],
    });
  });
});
