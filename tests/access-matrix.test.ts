/**
 * Every tRPC procedure and every route handler, called by every kind of caller: anonymous, each role
 * (real users with real sessions), a live read-scope key and a revoked key. The procedures come from
 * the router's own list and the routes from the files under app/api, so one added later without a
 * permission fails here. Which permission each one needs is written out below (PROCEDURES, ROUTES),
 * not read from the procedure itself, so a mutation tagged 'read' fails too; and what each caller
 * may do is written out from the issue's table, not read from access/roles.ts.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { type Permission, permissionSchema } from '../access/roles';
import { reauthorizerOf } from '../app/_server/auth/reauthorize';
import { accountsAuth, createKey, revokeKey, type SignedIn, signedInAs } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { proceduresOf, propertyOf } from './support/procedures';
import { testSecretKey } from './support/secret-key';

const projectDir = path.resolve(import.meta.dirname, '..');

const callers = ['anonymous', 'viewer', 'editor', 'operator', 'admin', 'readKey', 'revokedKey'] as const;
type Caller = (typeof callers)[number];

/**
 * Who may call what needs each permission (the issue's role table). Every role may ask for
 * predictions (a viewer tries a served model); a read key reads and nothing else; a revoked key is
 * refused everything, public procedures included: a bad credential never falls back to anonymous.
 */
const ALLOWED: Record<Permission, readonly Caller[]> = {
  public: ['anonymous', 'viewer', 'editor', 'operator', 'admin', 'readKey'],
  signedIn: ['viewer', 'editor', 'operator', 'admin'],
  read: ['viewer', 'editor', 'operator', 'admin', 'readKey'],
  edit: ['editor', 'operator', 'admin'],
  run: ['editor', 'operator', 'admin'],
  promote: ['operator', 'admin'],
  schedule: ['operator', 'admin'],
  predict: ['viewer', 'editor', 'operator', 'admin'],
  admin: ['admin'],
};

/**
 * Route handlers, the same but for public ones: the guard does not look at credentials for those, so
 * /api/health answers even while the database (where sessions and keys live) is down.
 */
const ALLOWED_ON_ROUTES: Record<Permission, readonly Caller[]> = {
  ...ALLOWED,
  public: [...ALLOWED.public, 'revokedKey'],
};

/** Callers without a good credential are told to sign in (401); the others that they may not (403). */
const UNAUTHENTICATED: readonly Caller[] = ['anonymous', 'revokedKey'];

/**
 * The permission every procedure needs, written out: a procedure missing here, or tagged otherwise
 * in its router, fails the test. Add a new procedure here with the permission the issue's role table
 * gives it.
 */
const PROCEDURES: Record<string, Permission> = {
  'system.health': 'public',
  'pipelines.create': 'edit',
  'pipelines.list': 'read',
  'pipelines.get': 'read',
  'pipelines.saveVersion': 'edit',
  'pipelines.versions': 'read',
  'pipelines.compareVersions': 'read',
  'pipelines.rename': 'edit',
  'pipelines.duplicate': 'edit',
  'pipelines.archive': 'edit',
  'pipelines.validate': 'read',
  'runs.start': 'run',
  'runs.list': 'read',
  'runs.get': 'read',
  'runs.cancel': 'run',
  'runs.rerun': 'run',
  'runs.onChange': 'read',
  'history.list': 'read',
  'datasets.preview': 'read',
  'artifacts.report': 'read',
  'artifacts.driftReport': 'read',
  'account.me': 'signedIn',
  'join.describe': 'public',
  'join.accept': 'public',
  'audit.list': 'admin',
  'audit.actions': 'admin',
  'users.list': 'admin',
  'users.invites': 'admin',
  'users.invite': 'admin',
  'users.revokeInvite': 'admin',
  'users.changeRole': 'admin',
  'users.deactivate': 'admin',
  'users.reactivate': 'admin',
  // Connections' details (host, user) are for admins; readers get the names alone, for ingest nodes.
  'connections.names': 'read',
  'connections.list': 'admin',
  'connections.create': 'admin',
  'connections.update': 'admin',
  'connections.delete': 'admin',
  'connections.test': 'admin',
  // Everyone manages their own keys; admins everyone's.
  'keys.create': 'signedIn',
  'keys.list': 'signedIn',
  'keys.revoke': 'signedIn',
  'keys.listAll': 'admin',
  'keys.revokeAny': 'admin',
  // The registry: everyone reads it, operators move aliases, editors edit tags and descriptions.
  'models.list': 'read',
  'models.show': 'read',
  'models.versions': 'read',
  'models.ledger': 'read',
  'models.compare': 'read',
  'models.names': 'read',
  'models.promote': 'promote',
  'rollout.settings': 'read',
  'rollout.saveSettings': 'promote',
  'rollout.requests': 'read',
  'rollout.decide': 'promote',
  'rollout.compare': 'read',
  'models.rollback': 'promote',
  'models.setTags': 'edit',
  'models.setDescription': 'edit',
  // Monitoring (checks, alerts and the open-alert badges) is read like the registry it watches.
  'monitoring.checks': 'read',
  'monitoring.alerts': 'read',
  'monitoring.openCount': 'read',
  'monitoring.openByModel': 'read',
  // Comparing runs and the metric-over-time chart read run history.
  'runCompare.compare': 'read',
  'runCompare.metricHistory': 'read',
  // Retention: the period is an installation setting for admins; disk use is for everyone to read.
  'retention.settings': 'read',
  'retention.setDays': 'admin',
  'retention.diskUse': 'read',
  // The shared notification feed; read marks are each user's own. Settings hold webhook URLs and
  // emails: editors of the pipeline manage them.
  'notifications.list': 'read',
  'notifications.markRead': 'signedIn',
  'notifications.settings': 'edit',
  'notifications.saveSettings': 'edit',
  'notifications.sendTest': 'edit',
  'notifications.deliveries': 'read',
  'notifications.signingSecret': 'edit',
  'notifications.rotateSigningSecret': 'edit',
  // Reading schedules is reading; every change to one needs the operator's schedule permission.
  'schedules.list': 'read',
  'schedules.get': 'read',
  'schedules.backfillProgress': 'read',
  'schedules.create': 'schedule',
  'schedules.edit': 'schedule',
  'schedules.pause': 'schedule',
  'schedules.resume': 'schedule',
  'schedules.trigger': 'schedule',
  'schedules.backfill': 'schedule',
  'schedules.delete': 'schedule',
};

/** The permission every guarded route method needs, written out the same way ("METHOD /api/path"). */
const ROUTES: Record<string, Permission> = {
  'GET /api/health': 'public',
  'GET /api/v1/openapi.json': 'public',
  'POST /api/v1/pipelines/[id]/runs': 'run',
  'GET /api/v1/runs/[id]': 'read',
  'POST /api/v1/runs/[id]/cancel': 'run',
  'GET /api/pipelines/[id]/export': 'read',
  'GET /api/models/[name]/versions/[n]/embedding': 'read',
  'GET /api/audit/export': 'admin',
  'POST /api/uploads': 'edit',
  // Importing a model trained elsewhere: the upload, then the import (runtime/models/model-import.ts).
  'POST /api/uploads/model': 'promote',
  'POST /api/model-imports/[id]': 'promote',
  // Forwarded to the serving process (which answers 503 here: nothing listens at its address).
  'POST /api/v1/models/[name]/predict': 'predict',
  'POST /api/v1/models/[name]/feedback': 'predict',
  'POST /api/v1/models/[name]/versions/[n]/predict': 'predict',
  'GET /api/v1/models/[name]/openapi.json': 'read',
};

/** Entries of a written-out table that do not match what the code declares, in words. */
function tableMismatches(
  table: Record<string, Permission>,
  declared: ReadonlyArray<{ key: string; permission: Permission | undefined }>,
): string[] {
  const found = new Set(declared.map((each) => each.key));
  const wrong = declared.flatMap(({ key, permission }) => {
    const written = table[key];
    if (written === undefined) return [`${key} (${permission ?? 'no permission'}) is missing from the table`];
    return written === permission
      ? []
      : [`${key} is tagged ${permission ?? 'with nothing'}, the table says ${written}`];
  });
  const stale = Object.keys(table)
    .filter((key) => !found.has(key))
    .map((key) => `${key} is in the table but does not exist`);
  return [...wrong, ...stale];
}

/** Route files that are not guarded by guardRoute or publicRoute, and why (asserted by name). */
const UNGUARDED_ROUTES: Record<string, string> = {
  'auth/[...all]/route.ts': "better-auth's own endpoints (sign-in, sign-out, session, password)",
  'trpc/[trpc]/route.ts': 'every procedure behind it checks its own permission (the first matrix)',
};

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

let database: TestDatabase;
let dataDir: string;
/** The request headers of each caller. */
const headersOf = new Map<Caller, Record<string, string>>();

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-matrix-'));
  // app/_server/env.ts reads these when first imported: the app modules are imported after this.
  process.env.DATABASE_URL = database.url;
  process.env.TEMPORAL_ADDRESS = inject('temporalAddress');
  process.env.TEMPORAL_NAMESPACE = inject('temporalNamespace');
  process.env.DATA_DIR = dataDir;
  process.env.PIPEWRIGHT_SECRET_KEY = testSecretKey.toString('base64');
  delete process.env.PIPEWRIGHT_PUBLIC_URL;
  // Port 9 (discard) is closed: an allowed call to a forwarding route gets the app's own 503, never
  // the answer of a serving process some other test left running on the default port.
  process.env.PIPEWRIGHT_SERVE_URL = 'http://127.0.0.1:9';

  const auth = accountsAuth(database.db);
  const signedIn = new Map<Caller, SignedIn>();
  for (const role of ['viewer', 'editor', 'operator', 'admin'] as const) {
    const user = await signedInAs(auth, role);
    signedIn.set(role, user);
    headersOf.set(role, user.headers);
  }
  headersOf.set('anonymous', {});
  // Both keys belong to the admin, so only the scope (or the revocation) can refuse them.
  const adminId = signedIn.get('admin')?.userId ?? '';
  const readKey = await createKey(auth, adminId, 'read');
  headersOf.set('readKey', { authorization: `Bearer ${readKey.key}` });
  const revoked = await createKey(auth, adminId, 'admin');
  await revokeKey(auth, adminId, revoked.id);
  headersOf.set('revokedKey', { authorization: `Bearer ${revoked.key}` });
}, 120_000);

afterAll(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function headers(caller: Caller): Record<string, string> {
  const found = headersOf.get(caller);
  if (!found) throw new Error(`no headers for ${caller}`);
  return found;
}

/** Rows that nothing a refused (or input-refused) caller does may add, change or remove. */
async function rowCounts(): Promise<Record<string, number>> {
  const [row] = await database.sql<{ [table: string]: number }[]>`
    select
      (select count(*)::int from pipelines) as pipelines,
      (select count(*)::int from pipeline_versions) as versions,
      (select count(*)::int from runs) as runs,
      (select count(*)::int from users) as users,
      (select count(*)::int from sessions) as sessions,
      (select count(*)::int from api_keys) as keys,
      (select count(*)::int from api_keys where enabled) as enabled_keys,
      (select count(*)::int from invites) as invites,
      (select count(*)::int from connections) as connections,
      (select count(*)::int from notification_settings) as notification_settings,
      (select count(*)::int from notification_webhooks) as notification_webhooks,
      (select count(*)::int from notification_reads) as notification_reads,
      (select count(*)::int from schedules) as schedules,
      (select count(*)::int from audit_log where action not like 'sign-in%') as audit`;
  return row ?? {};
}

const trpcAnswer = z.object({
  error: z.object({ json: z.object({ message: z.string(), data: z.looseObject({ code: z.string() }) }) }),
});

/** The error code of one procedure call over the app's own tRPC route, or 'OK' when it succeeded. */
async function callProcedure(
  handler: (request: Request) => Promise<Response>,
  procedurePath: string,
  type: 'query' | 'mutation',
  caller: Caller,
): Promise<{ code: string; message: string }> {
  // A NUL anywhere in the input is refused (BAD_REQUEST) by the middleware after the authorization
  // check and before the input parser and the procedure: an allowed caller gets that far and no further.
  const input = JSON.stringify(superjson.serialize('\0'));
  const url = `http://localhost:3000/api/trpc/${procedurePath}`;
  const request =
    type === 'query'
      ? new Request(`${url}?input=${encodeURIComponent(input)}`, { headers: headers(caller) })
      : new Request(url, {
          method: 'POST',
          headers: { ...headers(caller), 'content-type': 'application/json' },
          body: input,
        });
  const response = await handler(request);
  const body: unknown = await response.json();
  const parsed = trpcAnswer.safeParse(body);
  if (!parsed.success) return { code: response.ok ? 'OK' : `HTTP ${response.status}`, message: '' };
  return { code: parsed.data.error.json.data.code, message: parsed.data.error.json.message };
}

function expectedCode(permission: Permission, caller: Caller): string {
  if (ALLOWED[permission].includes(caller)) return 'BAD_REQUEST';
  return UNAUTHENTICATED.includes(caller) ? 'UNAUTHORIZED' : 'FORBIDDEN';
}

describe('every tRPC procedure', () => {
  it('declares a permission, and answers exactly the callers that permission allows', async () => {
    const { appRouter } = await import('../app/_server/root');
    const trpcRoute = await import('../app/api/trpc/[trpc]/route');
    const { createCallerFactory } = await import('../app/_server/trpc');
    const { appServices } = await import('../app/_server/app-services');
    const { BadCredentialError, resolveActor } = await import('../app/_server/auth/actor');

    const procedures = proceduresOf(appRouter);
    expect(procedures.length).toBeGreaterThan(20);
    const withoutPermission = procedures.filter((each) => !each.permission.success).map((each) => each.path);
    expect(withoutPermission, 'procedures without a permission').toEqual([]);
    const declared = procedures.map((each) => ({ key: each.path, permission: each.permission.data }));
    expect(tableMismatches(PROCEDURES, declared), 'procedures against PROCEDURES').toEqual([]);

    const before = await rowCounts();
    const wrong: string[] = [];
    let calls = 0;
    for (const each of procedures) {
      // What the table says, so a procedure tagged wrongly is also called as the table expects.
      const permission = PROCEDURES[each.path];
      if (permission === undefined) continue;
      for (const caller of callers) {
        const expected = expectedCode(permission, caller);
        let got: { code: string; message: string };
        if (each.type === 'subscription') {
          // Subscriptions stream over SSE: called in-process, with the actor the route would resolve.
          got = await callSubscription(each.path, caller);
        } else {
          got = await callProcedure(
            each.type === 'query' ? trpcRoute.GET : trpcRoute.POST,
            each.path,
            each.type,
            caller,
          );
        }
        calls++;
        if (got.code !== expected) {
          wrong.push(`${each.path} (${permission}) as ${caller}: ${got.code}, expected ${expected}`);
        }
        if (got.code === 'FORBIDDEN' || got.code === 'UNAUTHORIZED') expect(got.message).toMatch(/\w+ .+\./);
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBe(procedures.length * callers.length);
    expect(await rowCounts()).toEqual(before);
    console.info(
      `access matrix: ${procedures.length} procedures × ${callers.length} callers = ${calls} calls`,
    );

    async function callSubscription(procedurePath: string, caller: Caller) {
      const services = appServices();
      let actor: Awaited<ReturnType<typeof resolveActor>>;
      try {
        actor = await resolveActor(services.auth(), services.db, new Headers(headers(caller)));
      } catch (error) {
        // What the tRPC route's createContext answers for a key that is not good.
        if (error instanceof BadCredentialError) return { code: 'UNAUTHORIZED', message: error.message };
        throw error;
      }
      const api = createCallerFactory(appRouter)({
        services,
        actor,
        ipAddress: null,
        reauthorize: reauthorizerOf(services, new Headers(headers(caller))),
      });
      const call = pathOf(api, procedurePath);
      try {
        await call('\0');
        return { code: 'OK', message: '' };
      } catch (error) {
        const code = z.object({ code: z.string(), message: z.string() }).safeParse(error);
        return code.success ? code.data : { code: 'UNKNOWN', message: String(error) };
      }
    }
  }, 300_000);
});

/** The function at a dotted path of a tRPC caller ("runs.onChange"). */
function pathOf(caller: object, dotted: string): (input: unknown) => Promise<unknown> {
  let at: unknown = caller;
  for (const part of dotted.split('.')) at = Reflect.get(Object(at), part);
  if (typeof at !== 'function') throw new Error(`${dotted} is not a procedure of the caller`);
  return async (input) => Reflect.apply(at, undefined, [input]);
}

/** Every app/api/**\/route.ts, relative to app/api. */
function routeFiles(): string[] {
  const apiDir = path.join(projectDir, 'app', 'api');
  return readdirSync(apiDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === 'route.ts')
    .map((entry) => path.relative(apiDir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** The permission guardRoute attached to a handler, if it is a guarded one. */
function permissionOf(handler: unknown) {
  return permissionSchema.safeParse(propertyOf(handler, 'permission'));
}
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The exported HTTP methods of a route module. */
function methodsOf(module: Record<string, unknown>): Array<{ method: string; handler: Handler }> {
  return HTTP_METHODS.flatMap((method) => {
    const handler = module[method];
    if (typeof handler !== 'function') return [];
    return [{ method, handler: (request, context) => Reflect.apply(handler, undefined, [request, context]) }];
  });
}

/** A value for each dynamic segment ("[id]"): not an id of anything, so an allowed call changes nothing. */
function paramsOf(file: string): Record<string, string> {
  return Object.fromEntries([...file.matchAll(/\[(\w+)\]/g)].map((match) => [match[1] ?? '', 'not-an-id']));
}

describe('every route handler', () => {
  it('is guarded with a permission (except the named ones), and answers exactly the callers it allows', async () => {
    const files = routeFiles();
    expect(files).toEqual(expect.arrayContaining(Object.keys(UNGUARDED_ROUTES)));
    const wrong: string[] = [];
    const declared: Array<{ key: string; permission: Permission | undefined }> = [];
    let routes = 0;
    let calls = 0;
    for (const file of files) {
      const module: Record<string, unknown> = await import(path.join(projectDir, 'app', 'api', file));
      const methods = methodsOf(module);
      expect(methods.length, `${file} exports no HTTP method`).toBeGreaterThan(0);
      if (file in UNGUARDED_ROUTES) {
        for (const { handler } of methods) expect(permissionOf(handler).success).toBe(false);
        continue;
      }
      for (const { method, handler } of methods) {
        const guard = permissionOf(module[method]);
        const key = `${method} /api/${path.dirname(file)}`;
        declared.push({ key, permission: guard.data });
        if (!guard.success) {
          wrong.push(`${method} ${file} is not built with guardRoute or publicRoute`);
          continue;
        }
        const permission = ROUTES[key];
        if (permission === undefined) continue;
        routes++;
        const urlPath = `/api/${path.dirname(file)}`.replace(/\[(\w+)\]/g, 'not-an-id');
        for (const caller of callers) {
          const allowed = ALLOWED_ON_ROUTES[permission].includes(caller);
          const before = allowed ? undefined : await rowCounts();
          const response = await handler(
            // The Host a browser sends: the upload route checks Host and Origin itself.
            new Request(`http://localhost:3000${urlPath}`, {
              method,
              headers: { host: 'localhost:3000', ...headers(caller) },
            }),
            { params: Promise.resolve(paramsOf(file)) },
          );
          calls++;
          const refused = response.status === 401 || response.status === 403;
          const expected = allowed ? 'allowed' : UNAUTHENTICATED.includes(caller) ? 401 : 403;
          const got = refused ? response.status : 'allowed';
          if (got !== expected) {
            wrong.push(
              `${method} ${urlPath} (${permission}) as ${caller}: ${response.status}, expected ${expected}`,
            );
          }
          if (!allowed) {
            expect(await response.json()).toEqual({ error: expect.stringMatching(/\w+ .+\./) });
            expect(await rowCounts()).toEqual(before);
          } else {
            await response.body?.cancel();
          }
        }
      }
    }
    expect(tableMismatches(ROUTES, declared), 'route methods against ROUTES').toEqual([]);
    expect(wrong).toEqual([]);
    expect(routes).toBe(Object.keys(ROUTES).length);
    expect(calls).toBe(routes * callers.length);
    console.info(`access matrix: ${routes} route methods × ${callers.length} callers = ${calls} calls`);
  }, 300_000);

  it("sends the tRPC route's callers to their procedures: a revoked key is refused before any runs", async () => {
    const trpcRoute = await import('../app/api/trpc/[trpc]/route');
    const health = (caller: Caller) =>
      trpcRoute.GET(
        new Request('http://localhost:3000/api/trpc/system.health', { headers: headers(caller) }),
      );
    expect((await health('anonymous')).status).not.toBe(401);
    const refused = await health('revokedKey');
    expect(refused.status).toBe(401);
    expect(JSON.stringify(await refused.json())).toContain('This API key is not valid');
  });
});
