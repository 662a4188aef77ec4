/**
 * `pipewright keys create|revoke` against the local database, and `run`/`status` against a remote
 * server (PIPEWRIGHT_URL). The remote server is the app's REST route handlers behind a plain HTTP
 * server (tests/support/rest-app.ts): the CLI speaks real HTTP with a real key to the real handlers,
 * without a `next build`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, BadCredentialError, resolveActor } from '../app/_server/auth/actor';
import { createPipeline } from '../db/queries/pipelines';
import { findUserByEmail } from '../db/queries/users';
import { apikey, auditLog } from '../db/schema';
import { createKey } from '../runtime/auth/api-keys';
import { type Auth, createAuth } from '../runtime/auth/auth';
import { runCli } from './support/cli';
import { setUpDatabaseAndWorker } from './support/fixture';
import { apiRoutes, irisPipeline, serveApiRoutes, useAppEnvironment } from './support/rest-app';

const fixture = setUpDatabaseAndWorker();
let auth: Auth;
let dataDir: string;
let server: { url: string; close(): Promise<void> };
let closeApp: () => Promise<void>;
const secretKey = { PIPEWRIGHT_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-cli-keys-'));
  // Not tests/support/services' testAuth: it loads the whole router, and with it the app's environment,
  // which must be read only after useAppEnvironment below.
  auth = createAuth({
    db: fixture.database.db,
    secret: randomBytes(32),
    publicOrigin: new URL('http://localhost:3000'),
  });
  for (const [email, role] of [
    ['editor@cli.test', 'editor'],
    ['viewer@cli.test', 'viewer'],
  ] as const) {
    await auth.api.createUser({ body: { email, password: 'a long enough password', name: role, role } });
  }
  useAppEnvironment(fixture.database, fixture.worker);
  server = await serveApiRoutes(await apiRoutes());
  const { database } = await import('../app/_server/db');
  closeApp = () => database().close();
}, 60_000);

afterAll(async () => {
  await server?.close();
  await closeApp?.();
});

function pipewright(args: string[], env: Record<string, string> = {}) {
  return runCli(fixture, dataDir, args, { ...secretKey, ...env });
}

function keyActor(key: string): Promise<Actor | null> {
  return resolveActor(auth, fixture.database.db, new Headers({ authorization: `Bearer ${key}` }));
}

describe('pipewright keys', () => {
  it('creates a key for an account: the key alone on stdout, acting with its scope; audited as the CLI', async () => {
    const created = await pipewright([
      'keys',
      'create',
      '--user',
      'Editor@cli.test',
      '--scope',
      'run',
      '--name',
      'nightly',
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^pw_[A-Za-z0-9]{20,}\n$/);
    const key = created.stdout.trim();
    expect(created.stderr).toContain(
      `Created the run key ${key.slice(0, 11)}… "nightly" for editor@cli.test`,
    );
    expect(created.stderr).toContain('shown once');
    expect(await keyActor(key)).toMatchObject({ kind: 'key', email: 'editor@cli.test', scope: 'run' });
    const [entry] = await fixture.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.objectLabel, `${key.slice(0, 11)}…`));
    expect(entry).toMatchObject({
      action: 'key.created',
      actorKind: 'cli',
      actorId: null,
      actorEmail: null,
      // Like every entry the CLI writes: which OS account ran it.
      details: { osUser: os.userInfo().username, scope: 'run', owner: 'editor@cli.test' },
    });
    expect(JSON.stringify(entry)).not.toContain(key);

    const predict = await pipewright([
      'keys',
      'create',
      '--user',
      'viewer@cli.test',
      '--scope',
      'predict',
      '--model',
      'churn',
      '--model',
      'fraud',
    ]);
    expect(predict.code).toBe(0);
    expect(await keyActor(predict.stdout.trim())).toMatchObject({
      scope: 'predict',
      models: ['churn', 'fraud'],
    });
  });

  it('refuses, in one line and storing nothing, a scope the role may not hold, models on another scope, an unknown account', async () => {
    const before = await fixture.database.db.select().from(apikey);
    const cases: [string[], string][] = [
      [
        ['--user', 'viewer@cli.test', '--scope', 'run'],
        'pipewright: viewer@cli.test (viewer) may not hold a run key: run keys need the editor role or higher.\n',
      ],
      [
        ['--user', 'editor@cli.test', '--scope', 'read', '--model', 'churn'],
        'pipewright: --model: Only predict keys name models; a read key cannot\n',
      ],
      [
        ['--user', 'nobody@cli.test', '--scope', 'read'],
        'pipewright: No account has the email nobody@cli.test. Create it first: pipewright users create\n',
      ],
      [
        ['--user', 'editor@cli.test', '--scope', 'root'],
        'pipewright: --scope must be one of read, run, predict, admin (not "root")\n',
      ],
      [
        ['--scope', 'read'],
        'pipewright: keys create needs --user with the email of the account the key acts for\n',
      ],
    ];
    for (const [args, message] of cases) {
      const refused = await pipewright(['keys', 'create', ...args]);
      expect({ code: refused.code, stdout: refused.stdout, stderr: refused.stderr }).toEqual({
        code: 2,
        stdout: '',
        stderr: message,
      });
    }
    expect(await fixture.database.db.select().from(apikey)).toHaveLength(before.length);
  });

  it('revokes by the shown prefix (a trailing … allowed); unknown and ambiguous prefixes are refused', async () => {
    const editor = await findUserByEmail(fixture.database.db, 'editor@cli.test');
    const owner = { id: editor?.id ?? 'missing', email: 'editor@cli.test', role: 'editor' as const };
    // Keys until two share their first four characters (at most 63: "pw_" and one of 62 characters).
    const starts = new Map<string, string>();
    let shared: string | undefined;
    while (shared === undefined) {
      const made = await createKey(
        auth,
        fixture.database.db,
        owner,
        { name: 'bulk', scope: 'read' },
        { actorKind: 'system' },
      );
      const four = made.start.slice(0, 4);
      if (starts.has(four)) shared = four;
      else starts.set(four, made.start);
    }
    const ambiguous = await pipewright(['keys', 'revoke', shared]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(
      new RegExp(`^pipewright: ${shared} matches (\\d+|more than 5) keys: .*Give more of the prefix\\.\\n$`),
    );

    const unknown = await pipewright(['keys', 'revoke', 'pw_00000000']);
    expect(unknown).toMatchObject({ code: 2, stderr: 'pipewright: No API key starts with pw_00000000.\n' });

    const target = await createKey(
      auth,
      fixture.database.db,
      owner,
      { name: 'to revoke', scope: 'run' },
      { actorKind: 'system' },
    );
    expect(await keyActor(target.key)).toMatchObject({ kind: 'key' });
    const revoked = await pipewright(['keys', 'revoke', `${target.start}…`]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(
      `Revoked ${target.start}… "to revoke" of editor@cli.test: requests with it are refused from now on.\n`,
    );
    await expect(keyActor(target.key)).rejects.toThrow(BadCredentialError);
    const again = await pipewright(['keys', 'revoke', target.start]);
    expect(again).toMatchObject({
      code: 2,
      stderr: `pipewright: The key ${target.start}… is already revoked.\n`,
    });
  });
});

describe('pipewright against a remote server (PIPEWRIGHT_URL)', () => {
  it('runs a pipeline over the REST API with --wait, and reads its status', async () => {
    const { pipeline } = await createPipeline(fixture.database.db, {
      name: 'Remote iris',
      graph: irisPipeline,
    });
    const key = (
      await pipewright(['keys', 'create', '--user', 'editor@cli.test', '--scope', 'run'])
    ).stdout.trim();
    // No DATABASE_URL: the remote mode must not need the database.
    const remote = { PIPEWRIGHT_URL: server.url, PIPEWRIGHT_API_KEY: key, DATABASE_URL: '' };

    const run = await pipewright(['run', pipeline.id, '--param', 'seed=7', '--wait'], remote);
    expect(run.stderr).toMatch(/Run [0-9a-f-]{36} started on http:\/\/127\.0\.0\.1:\d+; waiting/);
    expect(run.code).toBe(0);
    const runId = /^Run ([0-9a-f-]{36}) of "Remote iris": succeeded$/m.exec(run.stdout)?.[1] ?? 'missing';
    expect(run.stdout).toMatch(/^ {2}succeeded evaluate {13}evaluate/m);
    expect(run.stdout).toMatch(/^ {2}metrics of evaluate: .*accuracy=0?\.\d+|accuracy=1/m);

    const status = await pipewright(['status', runId, '--json'], remote);
    expect(status.code).toBe(0);
    const view = JSON.parse(status.stdout);
    expect(view).toMatchObject({ id: runId, status: 'succeeded', trigger: 'api' });
    expect(view.metrics.evaluate.accuracy).toBeGreaterThan(0.7);
    // The same run read from the local database shows the same view.
    const local = await pipewright(['status', runId, '--json']);
    expect(JSON.parse(local.stdout)).toEqual(view);
  }, 120_000);

  it('says in one line what is wrong: no key, a refused key, a file instead of a pipeline id', async () => {
    const noKey = await pipewright(['run', '00000000-0000-4000-8000-000000000000'], {
      PIPEWRIGHT_URL: server.url,
    });
    expect(noKey).toMatchObject({
      code: 2,
      stderr: `pipewright: PIPEWRIGHT_URL is set (${server.url}) but PIPEWRIGHT_API_KEY is not: create a key on its API keys page and set PIPEWRIGHT_API_KEY.\n`,
    });
    const readKey = (
      await pipewright(['keys', 'create', '--user', 'viewer@cli.test', '--scope', 'read'])
    ).stdout.trim();
    const refused = await pipewright(['run', '00000000-0000-4000-8000-000000000000'], {
      PIPEWRIGHT_URL: server.url,
      PIPEWRIGHT_API_KEY: readKey,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `pipewright: ${server.url} answered 403: viewer@cli.test (viewer) may not start, cancel or re-run runs: that needs the editor role or higher.\n`,
    );
    expect(refused.stderr).not.toContain(readKey);
    const badKey = await pipewright(['status', '00000000-0000-4000-8000-000000000000'], {
      PIPEWRIGHT_URL: server.url,
      PIPEWRIGHT_API_KEY: 'pw_notakey',
    });
    expect(badKey.stderr).toMatch(
      /^pipewright: http:\/\/127\.0\.0\.1:\d+ answered 401: This API key is not valid/,
    );
    const file = await pipewright(['run', 'pipeline.json'], {
      PIPEWRIGHT_URL: server.url,
      PIPEWRIGHT_API_KEY: readKey,
    });
    expect(file.stderr).toMatch(/run takes a PIPELINE_ID .*not "pipeline\.json"/);
  });
});
