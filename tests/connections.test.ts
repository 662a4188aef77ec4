import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app/_server/auth/actor';
import { sealPassword } from '../config/connection-password';
import { deriveKey } from '../config/secret-key';
import { insertConnection } from '../db/queries/connections';
import { artifacts, auditLog, connections } from '../db/schema';
import { storedConnectionLookup } from '../workflows/connection-lookup';
import { outputOf } from './support/child-output';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { runToEnd, savePipeline, stepRows } from './support/pipelines';
import { testSecretKey } from './support/secret-key';
import { testActor, testCaller } from './support/services';
import { rejection } from './support/trpc-rejection';

const fixture = setUpDatabaseAndWorker();
/** Roles are shared by the whole server: named after this file's database, so files never collide. */
let reader = '';
const PASSWORD = 'Reader-pa55 wörd/%@';

/** The test database as the reader role sees it, with the parts the admin form asks for. */
function readerFields(overrides: Record<string, unknown> = {}) {
  const url = new URL(fixture.database.url);
  return {
    name: 'SALES',
    host: url.hostname,
    port: Number(url.port),
    database: fixture.database.name,
    username: reader,
    password: PASSWORD,
    options: { sslmode: 'disable' as const, statementTimeoutMs: 30_000, applicationName: 'pipewright-test' },
    ...overrides,
  };
}

beforeAll(async () => {
  reader = `${fixture.database.name}_reader`;
  await fixture.database.sql.unsafe(`
    create table sales (region text, amount numeric(10, 2));
    insert into sales values ('north', 12.50), ('south', 7.25);
    create role "${reader}" login password '${PASSWORD.replaceAll("'", "''")}';
    grant select on sales to "${reader}";`);
});
afterAll(async () => {
  await fixture.database.sql
    .unsafe(`drop owned by "${reader}"; drop role if exists "${reader}";`)
    .catch(() => {});
});

const admin = () => testCaller(fixture.database, fixture.worker).caller;

/** Runs a one-step pipeline: ingest with this connection and query. */
async function ingestOnce(connection: string, query: string) {
  const doc = pipelineDoc(
    [{ id: 'ingest', type: 'ingest', config: { source: 'postgres', connection, query } }],
    [],
  );
  const { version } = await savePipeline(fixture.database.db, doc, `ingest from ${connection}`);
  const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
  const [step] = await stepRows(fixture.database.db, started.runId);
  return { result, step };
}

describe('stored connections', () => {
  it('stores the password sealed, lists it masked, and keeps it when an update leaves it empty', async () => {
    const created = await admin().connections.create(readerFields());
    expect(created).toMatchObject({
      name: 'SALES',
      source: 'stored',
      password: '••••••••',
      username: reader,
    });

    const [row] = await fixture.database.db.select().from(connections).where(eq(connections.name, 'SALES'));
    const sealed = row?.passwordSealed ?? Buffer.alloc(0);
    expect(sealed.length).toBe(12 + 16 + Buffer.byteLength(PASSWORD));
    expect(sealed.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(JSON.stringify(row?.options)).not.toContain(PASSWORD);

    const listed = await admin().connections.list();
    const sales = listed.find((connection) => connection.name === 'SALES');
    expect(sales).toMatchObject({
      source: 'stored',
      host: readerFields().host,
      database: fixture.database.name,
      password: '••••••••',
      options: { sslmode: 'disable', statementTimeoutMs: 30_000 },
    });
    expect(JSON.stringify(listed)).not.toContain(PASSWORD);

    const updated = await admin().connections.update(
      readerFields({ password: undefined, port: readerFields().port }),
    );
    expect(updated.password).toBe('••••••••');
    const [after] = await fixture.database.db.select().from(connections).where(eq(connections.name, 'SALES'));
    expect(after?.passwordSealed?.equals(sealed)).toBe(true);
    expect(await admin().connections.test({ name: 'SALES' })).toMatchObject({ ok: true, role: reader });

    // The stored password only goes to the server it was entered for.
    for (const moved of [{ host: 'collector.example' }, { port: 1 }, { username: 'someone_else' }]) {
      const updating = await rejection(
        admin().connections.update(readerFields({ password: undefined, ...moved })),
      );
      expect(updating.code).toBe('BAD_REQUEST');
      expect(updating.message).toBe(
        'Enter the password of "SALES" again: its host, port or user changed, and a stored password is only sent to the server it was entered for',
      );
      const testing = await rejection(
        admin().connections.test({ name: 'SALES', values: readerFields({ password: undefined, ...moved }) }),
      );
      expect(testing.message).toBe(updating.message);
    }
    expect(
      await admin().connections.test({ name: 'SALES', values: readerFields({ password: undefined }) }),
    ).toMatchObject({ ok: true });

    // Names ignore case, like the environment variables beside them.
    const taken = await rejection(admin().connections.create(readerFields({ name: 'sales' })));
    expect(taken.code).toBe('CONFLICT');
    expect(taken.message).toBe(
      'A connection named "sales" already exists (names ignore case); choose another name or edit it',
    );

    const audit = await fixture.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.objectType, 'connection'))
      .orderBy(asc(auditLog.id));
    expect(audit.map((entry) => entry.action)).toEqual(['connection.created', 'connection.updated']);
    expect(audit[0]).toMatchObject({
      actorKind: 'user',
      actorEmail: 'admin@example.test',
      objectId: 'SALES',
    });
    expect(audit[1]?.details).toMatchObject({ passwordChanged: false });
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it('asks for the password again when an update or a test turns TLS off', async () => {
    const tls = { sslmode: 'require' as const };
    await admin().connections.create(readerFields({ name: 'TLS_SALES', options: tls }));
    const inClear = readerFields({ name: 'TLS_SALES', password: undefined });
    const message =
      'Enter the password of "TLS_SALES" again: options.sslmode changed to disable, and a stored password entered for a TLS connection is not sent in clear';
    const updating = await rejection(admin().connections.update(inClear));
    expect(updating.code).toBe('BAD_REQUEST');
    expect(updating.message).toBe(message);
    expect((await rejection(admin().connections.test({ name: 'TLS_SALES', values: inClear }))).message).toBe(
      message,
    );
    const [row] = await fixture.database.db
      .select()
      .from(connections)
      .where(eq(connections.name, 'TLS_SALES'));
    expect(row?.options).toMatchObject(tls);

    // With the password typed again, the change is the admin's informed choice.
    const updated = await admin().connections.update(readerFields({ name: 'TLS_SALES' }));
    expect(updated.options).toMatchObject({ sslmode: 'disable' });
    await admin().connections.delete({ name: 'TLS_SALES' });
  });

  it('shows everyone who reads only the names; host, port, database and user only to admins', async () => {
    process.env.PIPEWRIGHT_CONNECTION_WAREHOUSE = 'postgres://etl:env-s3cret@warehouse.internal:6543/dw';
    try {
      for (const role of ['viewer', 'editor', 'operator'] as const) {
        const { caller } = testCaller(fixture.database, fixture.worker, testActor(role));
        const refused = await rejection(caller.connections.list());
        expect(refused.code).toBe('FORBIDDEN');
        const names = await caller.connections.names();
        expect(names).toEqual(
          expect.arrayContaining([
            { name: 'SALES', source: 'stored' },
            { name: 'WAREHOUSE', source: 'environment' },
          ]),
        );
        const answer = JSON.stringify(names);
        for (const detail of [readerFields().host, reader, 'warehouse.internal', 'etl', '6543', 'dw'])
          expect(answer).not.toContain(detail);
      }
    } finally {
      delete process.env.PIPEWRIGHT_CONNECTION_WAREHOUSE;
    }
  });

  it('tests a connection: ok, or the database message without the password', async () => {
    expect(await admin().connections.test({ name: 'DRAFT', values: readerFields() })).toEqual({
      ok: true,
      role: reader,
      serverVersion: expect.stringMatching(/^\d+/),
    });
    const wrong = 'Wr0ng-guess/%@';
    const failed = await admin().connections.test({
      name: 'DRAFT',
      values: readerFields({ password: wrong }),
    });
    expect(failed.ok).toBe(false);
    const message = failed.ok ? '' : failed.message;
    expect(message).toMatch(
      new RegExp(
        `^Cannot connect to 127\\.0\\.0\\.1:\\d+/${fixture.database.name}: password authentication failed`,
      ),
    );
    expect(message).not.toContain(wrong);
    expect(message).not.toContain(PASSWORD);

    const unreachable = await admin().connections.test({ name: 'DRAFT', values: readerFields({ port: 1 }) });
    expect(unreachable).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Cannot connect to 127\.0\.0\.1:1\//),
    });

    // The test database's own role is a superuser: ingest would refuse it, and the test says so.
    const url = new URL(fixture.database.url);
    const superuser = await admin().connections.test({
      name: 'DRAFT',
      values: readerFields({
        username: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      }),
    });
    expect(superuser).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Connection "DRAFT" logs in as role ".+", which is a superuser: /),
    });
    expect(superuser.ok ? '' : superuser.message).not.toContain(decodeURIComponent(url.password));
  });

  it('refuses an editor and a viewer every change, and changes nothing', async () => {
    for (const role of ['editor', 'viewer', 'operator'] as const) {
      const { caller } = testCaller(fixture.database, fixture.worker, testActor(role));
      const create = await rejection(caller.connections.create(readerFields({ name: 'EDITORS' })));
      expect(create.code).toBe('FORBIDDEN');
      expect((await rejection(caller.connections.delete({ name: 'SALES' }))).code).toBe('FORBIDDEN');
      expect((await rejection(caller.connections.test({ name: 'SALES' }))).code).toBe('FORBIDDEN');
      expect(
        (await rejection(caller.connections.update(readerFields({ password: 'changed-by-editor' })))).code,
      ).toBe('FORBIDDEN');
    }
    const names = (await admin().connections.list()).map((connection) => connection.name);
    expect(names).toContain('SALES');
    expect(names).not.toContain('EDITORS');
    expect(await admin().connections.test({ name: 'SALES' })).toMatchObject({ ok: true });
  });

  it('refuses bad input with a sentence naming the field', async () => {
    const badName = await rejection(admin().connections.create(readerFields({ name: 'sales-db' })));
    expect(badName.code).toBe('BAD_REQUEST');
    expect(badName.message).toContain(
      'Use letters, digits and _, starting with a letter (at most 63), e.g. SALES_DB',
    );
    const badHost = await rejection(admin().connections.create(readerFields({ name: 'OTHER', host: 'x y' })));
    expect(badHost.message).toContain('Host must be a host name or an IP address');
    const missing = await rejection(admin().connections.update(readerFields({ name: 'NOWHERE' })));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toBe('No stored connection is named "NOWHERE"');
  });

  it('lists environment connections read-only, host and database parsed, no password', async () => {
    process.env.PIPEWRIGHT_CONNECTION_WAREHOUSE = 'postgres://etl:env-s3cret@warehouse.internal:6543/dw';
    try {
      const listed = await admin().connections.list();
      expect(listed.find((connection) => connection.name === 'WAREHOUSE')).toEqual({
        name: 'WAREHOUSE',
        source: 'environment',
        host: 'warehouse.internal',
        port: 6543,
        database: 'dw',
        username: 'etl',
        password: '••••••••',
        options: undefined,
        updatedAt: undefined,
        shadowed: false,
        allowsWrites: false,
      });
      expect(JSON.stringify(listed)).not.toContain('env-s3cret');
      const missing = await rejection(admin().connections.delete({ name: 'WAREHOUSE' }));
      expect(missing.code).toBe('NOT_FOUND');
    } finally {
      delete process.env.PIPEWRIGHT_CONNECTION_WAREHOUSE;
    }
  });

  it('runs an ingest step against a stored connection through Temporal, checks intact', async () => {
    const doc = pipelineDoc(
      [
        {
          id: 'ingest',
          type: 'ingest',
          config: {
            source: 'postgres',
            connection: 'SALES',
            query: 'select region, amount from sales order by region',
          },
        },
      ],
      [],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(result.status).toBe('succeeded');
    const [step] = await stepRows(fixture.database.db, started.runId);
    expect(step?.outputSummary).toMatchObject({ rows: 2, columns: 2 });

    // The stored statement timeout and application name are in force, and the transaction is read-only.
    const settings = pipelineDoc(
      [
        {
          id: 'ingest',
          type: 'ingest',
          config: {
            source: 'postgres',
            connection: 'sales',
            query:
              "select current_setting('statement_timeout') as timeout, current_setting('application_name') as app, current_setting('transaction_read_only') as ro",
          },
        },
      ],
      [],
    );
    const second = await runToEnd(
      fixture.database.db,
      fixture.worker,
      (await savePipeline(fixture.database.db, settings, 'settings')).version.id,
    );
    expect(second.result.status).toBe('succeeded');
    const [output] = await fixture.database.db
      .select()
      .from(artifacts)
      .where(eq(artifacts.runId, second.started.runId));
    const preview = await admin().datasets.preview({ artifactId: output?.id ?? '', limit: 1 });
    expect(preview.rows).toEqual([{ timeout: '30s', app: 'pipewright-test', ro: 'on' }]);
  });

  it('refuses a stored superuser connection in ingest, naming where to change it', async () => {
    const url = new URL(fixture.database.url);
    await admin().connections.create(
      readerFields({
        name: 'ADMIN_DB',
        username: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      }),
    );
    const doc = pipelineDoc(
      [
        {
          id: 'ingest',
          type: 'ingest',
          config: { source: 'postgres', connection: 'ADMIN_DB', query: 'select 1 as x' },
        },
      ],
      [],
    );
    const { started, result } = await runToEnd(
      fixture.database.db,
      fixture.worker,
      (await savePipeline(fixture.database.db, doc, 'superuser')).version.id,
    );
    expect(result.status).toBe('failed');
    const [step] = await stepRows(fixture.database.db, started.runId);
    expect(step?.error).toMatch(
      /^Connection "ADMIN_DB" logs in as role ".+", which is a superuser: .* and use that role in connection "ADMIN_DB" \(Admin → Connections\)\.$/,
    );
    expect(step?.error).not.toContain(decodeURIComponent(url.password));
  });

  it('stops a query at the stored statement timeout, saying where to raise it', async () => {
    await admin().connections.create(
      readerFields({ name: 'SLOW', options: { sslmode: 'disable', statementTimeoutMs: 100 } }),
    );
    const { step } = await ingestOnce('SLOW', 'select pg_sleep(2) as slept');
    expect(step?.error).toMatch(
      /^The query on 127\.0\.0\.1:\d+\/test_\w+ ran longer than its statement timeout \(100ms\); raise the statement timeout of connection "SLOW" under Admin → Connections$/,
    );
  });

  it('fails a step once, naming the connection, when its password was sealed under another key', async () => {
    const otherKey = deriveKey(randomBytes(32), 'connections');
    await insertConnection(fixture.database.db, {
      name: 'MOVED',
      host: readerFields().host,
      port: readerFields().port,
      database: fixture.database.name,
      username: reader,
      options: { sslmode: 'disable' },
      allowsWrites: false,
      passwordSealed: sealPassword(otherKey, 'MOVED', PASSWORD),
    });
    const { result, step } = await ingestOnce('MOVED', 'select 1 as x');
    expect(result.status).toBe('failed');
    expect(step?.error).toBe(
      'The password of connection "MOVED" cannot be decrypted: the secret key differs from the one it was stored with. Set PIPEWRIGHT_SECRET_KEY to that key, or enter the password again.',
    );
    expect(step?.attempt).toBe(1);
    const refused = await rejection(admin().connections.test({ name: 'MOVED' }));
    expect(refused.code).toBe('PRECONDITION_FAILED');
    expect(refused.message).toBe(step?.error);
  });

  it('deletes a connection with an audit entry, and it leaves the list', async () => {
    expect(await admin().connections.delete({ name: 'ADMIN_DB' })).toEqual({ name: 'ADMIN_DB' });
    const actions = (
      await fixture.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.objectId, 'ADMIN_DB'))
        .orderBy(asc(auditLog.id))
    ).map((entry) => entry.action);
    expect(actions).toEqual(['connection.created', 'connection.deleted']);
    expect((await admin().connections.list()).map((connection) => connection.name)).not.toContain('ADMIN_DB');
  });
});

describe('the audit log of connection changes', () => {
  it("records a key's changes as its owner, with the key's prefix, never the key's own id", async () => {
    const key: Actor = {
      kind: 'key',
      keyId: 'key-row-id-1',
      keyPrefix: 'pw_abcd1234',
      userId: 'owner-user-id',
      email: 'owner@example.test',
      name: 'Owner',
      role: 'admin',
      scope: 'admin',
    };
    const byKey = testCaller(fixture.database, fixture.worker, key).caller;
    await byKey.connections.create(readerFields({ name: 'KEYED' }));
    await byKey.connections.update(readerFields({ name: 'KEYED', password: undefined }));
    await byKey.connections.delete({ name: 'KEYED' });

    const entries = await fixture.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.objectId, 'KEYED'))
      .orderBy(asc(auditLog.id));
    expect(entries.map((entry) => entry.action)).toEqual([
      'connection.created',
      'connection.updated',
      'connection.deleted',
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        actorKind: 'key',
        actorId: 'owner-user-id',
        actorEmail: 'owner@example.test',
        ipAddress: '127.0.0.1',
        details: expect.objectContaining({ keyPrefix: 'pw_abcd1234' }),
      });
    }
    expect(entries[0]?.details).toMatchObject({ passwordChanged: true });
    expect(entries[1]?.details).toMatchObject({ passwordChanged: false });
  });
});

describe('the worker process and the secret key', () => {
  it('stops with one clear line when it has no secret key', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-no-key-'));
    try {
      const { PIPEWRIGHT_SECRET_KEY: _unset, ...environment } = process.env;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.resolve(import.meta.dirname, 'support', 'worker-with-test-nodes.ts')],
        {
          env: {
            ...environment,
            DATABASE_URL: fixture.database.url,
            TEMPORAL_ADDRESS: '127.0.0.1:1',
            DATA_DIR: dataDir,
          },
        },
      );
      const output = await outputOf(child);
      expect(output.code).toBe(1);
      expect(output.stdout).toBe('');
      expect(output.stderr).toBe(
        `No secret key: set PIPEWRIGHT_SECRET_KEY to the installation's key (the same value on every machine), or run \`npm start\` once to generate ${path.join(dataDir, 'secret.key')}.\n`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('writable connections', () => {
  it('stores whether an admin allows writes, off unless asked, and hands it to the worker', async () => {
    const created = await admin().connections.create(readerFields({ name: 'MARTS', allowsWrites: true }));
    expect(created.allowsWrites).toBe(true);
    const lookup = storedConnectionLookup(fixture.database.sql, () => testSecretKey);
    expect((await lookup('marts'))?.allowsWrites).toBe(true);
    const turnedOff = await admin().connections.update(readerFields({ name: 'MARTS', password: undefined }));
    expect(turnedOff.allowsWrites).toBe(false);
    expect((await lookup('MARTS'))?.allowsWrites).toBe(false);
    await admin().connections.delete({ name: 'MARTS' });
  });
});
