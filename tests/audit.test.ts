import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditExportResponse } from '../app/_server/audit-export';
import type { Actor } from '../app/_server/auth/actor';
import { appRouter } from '../app/_server/root';
import { eachAuditEntry } from '../db/queries/audit';
import { auditLog, pipelineVersions, runs } from '../db/schema';
import { runCli } from './support/cli';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { testActor, testCaller } from './support/services';
import { rejection } from './support/trpc-rejection';

const fixture = setUpDatabaseAndWorker();
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'pipewright-audit-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const editor = testActor('editor');
const keyActor: Actor = {
  kind: 'key',
  keyId: 'key-1',
  keyPrefix: 'pw_k3yPr3fx',
  userId: 'test-operator',
  email: 'operator@example.test',
  name: 'Test operator',
  role: 'operator',
  scope: 'run',
};

const doc = pipelineDoc([{ id: 'a', type: 'test.source' }], []);
const slow = pipelineDoc(
  [
    { id: 'a', type: 'test.source' },
    { id: 'slow', type: 'test.transform', config: { sleepMs: 60_000 } },
  ],
  ['a.out->slow.in'],
);

/** Every entry about one object, oldest first. */
function entriesAbout(objectId: string) {
  return fixture.database.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.objectId, objectId))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
}

const byEditor = {
  actorKind: 'user',
  actorId: 'test-editor',
  actorEmail: 'editor@example.test',
  ipAddress: '127.0.0.1',
};

describe('audit entries for pipelines', () => {
  it('records create, import, save, rename, duplicate and archive, each once, by the caller', async () => {
    const api = testCaller(fixture.database, fixture.worker, editor).caller;
    const created = await api.pipelines.create({ name: 'Churn', document: doc });
    expect(await entriesAbout(created.id)).toMatchObject([
      {
        ...byEditor,
        action: 'pipeline.created',
        objectType: 'pipeline',
        objectLabel: 'Churn',
        details: { version: 1 },
      },
    ]);
    const [first] = await fixture.database.db
      .select({ author: pipelineVersions.author })
      .from(pipelineVersions)
      .where(eq(pipelineVersions.id, created.versionId));
    expect(first?.author).toBe('editor@example.test');

    const saved = await api.pipelines.saveVersion({ pipelineId: created.id, document: doc });
    expect((await api.pipelines.versions({ pipelineId: created.id }))[0]).toMatchObject({
      version: saved.version,
      author: 'editor@example.test',
    });
    await api.pipelines.rename({ id: created.id, name: 'Churn v2' });
    const copy = await api.pipelines.duplicate({ id: created.id });
    await api.pipelines.archive({ id: created.id });

    expect(
      (await entriesAbout(created.id)).map(({ action, objectLabel, details }) => ({
        action,
        objectLabel,
        details,
      })),
    ).toEqual([
      { action: 'pipeline.created', objectLabel: 'Churn', details: { version: 1 } },
      { action: 'pipeline.saved', objectLabel: 'Churn', details: { version: 2 } },
      { action: 'pipeline.renamed', objectLabel: 'Churn v2', details: { from: 'Churn', to: 'Churn v2' } },
      { action: 'pipeline.archived', objectLabel: 'Churn v2', details: null },
    ]);
    expect(await entriesAbout(copy.id)).toMatchObject([
      {
        ...byEditor,
        action: 'pipeline.duplicated',
        objectLabel: 'Churn v2 (copy)',
        details: { sourceId: created.id, sourceName: 'Churn v2', sourceVersion: 2 },
      },
    ]);
  });

  it('records an import from a file as pipeline.imported', async () => {
    const api = testCaller(fixture.database, fixture.worker, editor).caller;
    const imported = await api.pipelines.create({ name: 'From a file', document: doc, origin: 'import' });
    expect(await entriesAbout(imported.id)).toMatchObject([
      { ...byEditor, action: 'pipeline.imported', objectLabel: 'From a file', details: { version: 1 } },
    ]);
  });

  it('records a key as its owner, with the key prefix (never the key)', async () => {
    const created = await testCaller(fixture.database, fixture.worker, editor).caller.pipelines.create({
      name: 'Keyed',
      document: doc,
    });
    const api = testCaller(fixture.database, fixture.worker, keyActor).caller;
    const { runId } = await api.runs.start({ pipelineId: created.id });
    expect(await entriesAbout(runId)).toMatchObject([
      {
        actorKind: 'key',
        actorId: 'test-operator',
        actorEmail: 'operator@example.test',
        action: 'run.started',
        objectLabel: 'Keyed',
        details: { keyPrefix: 'pw_k3yPr3fx', pipelineId: created.id },
      },
    ]);
    const [run] = await fixture.database.db.select().from(runs).where(eq(runs.id, runId));
    expect(run?.startedBy).toBe('test-operator');
  });

  it('records nothing for a refused call', async () => {
    const viewer = testCaller(fixture.database, fixture.worker, testActor('viewer')).caller;
    const before = await fixture.database.db.$count(auditLog);
    expect((await rejection(viewer.pipelines.create({ name: 'Nope' }))).code).toBe('FORBIDDEN');
    expect(await fixture.database.db.$count(auditLog)).toBe(before);
  });
});

describe('audit entries for runs', () => {
  it('records start, cancel and re-run with the pipeline name, and stores who started each run', async () => {
    const api = testCaller(fixture.database, fixture.worker, editor).caller;
    const created = await api.pipelines.create({ name: 'Slow one', document: slow });
    const { runId } = await api.runs.start({ pipelineId: created.id });
    await api.runs.cancel({ runId });
    await expect
      .poll(async () => (await api.runs.get({ runId })).status, { timeout: 20_000 })
      .toBe('cancelled');
    // Cancelling a run that has ended does nothing, and records nothing.
    await api.runs.cancel({ runId });
    const again = await api.runs.rerun({ runId });
    await api.runs.cancel({ runId: again.runId });

    expect(
      (await entriesAbout(runId)).map(({ action, objectType, objectLabel, details }) => ({
        action,
        objectType,
        objectLabel,
        details,
      })),
    ).toEqual([
      {
        action: 'run.started',
        objectType: 'run',
        objectLabel: 'Slow one',
        details: { pipelineId: created.id, trigger: 'manual' },
      },
      {
        action: 'run.cancelled',
        objectType: 'run',
        objectLabel: 'Slow one',
        details: { pipelineId: created.id },
      },
    ]);
    expect(await entriesAbout(again.runId)).toMatchObject([
      {
        ...byEditor,
        action: 'run.rerun',
        objectLabel: 'Slow one',
        details: { pipelineId: created.id, rerunOf: runId, fromFailure: false },
      },
      { ...byEditor, action: 'run.cancelled' },
    ]);
    const startedBy = await fixture.database.db
      .select({ id: runs.id, startedBy: runs.startedBy })
      .from(runs)
      .where(eq(runs.pipelineId, created.id));
    expect(startedBy.map((run) => run.startedBy)).toEqual(['test-editor', 'test-editor']);
  });

  it('records the CLI running a file against local services as actor cli', async () => {
    const file = path.join(scratch, 'cli-audited.pipeline.json');
    writeFileSync(file, JSON.stringify(doc));
    const result = await runCli(fixture, path.join(scratch, 'data'), ['run', file, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { runId } = JSON.parse(result.stdout);
    const [run] = await fixture.database.db.select().from(runs).where(eq(runs.id, runId));
    expect(run?.startedBy).toBeNull();
    expect(await entriesAbout(runId)).toMatchObject([
      {
        actorKind: 'cli',
        actorId: null,
        actorEmail: null,
        action: 'run.started',
        objectLabel: 'cli-audited',
        details: { pipelineId: run?.pipelineId, trigger: 'api' },
      },
    ]);
    expect(await entriesAbout(run?.pipelineId ?? '')).toMatchObject([
      { actorKind: 'cli', action: 'pipeline.created', objectLabel: 'cli-audited' },
    ]);
  });
});

/** Entries written straight into the table at fixed moments of a year nothing else writes to. */
const at = (second: number) => new Date(Date.UTC(2001, 0, 1, 0, 0, second));
const year2001 = { from: new Date(Date.UTC(2001, 0, 1)), to: new Date(Date.UTC(2002, 0, 1)) };
const seeded = [
  {
    key: 'a1',
    at: at(1),
    actorEmail: 'alice@x.test',
    action: 'pipeline.created',
    objectType: 'pipeline',
    objectId: 'p1',
    objectLabel: 'Churn 100%',
  },
  {
    key: 'a2',
    at: at(2),
    actorEmail: 'bob@x.test',
    action: 'pipeline.saved',
    objectType: 'pipeline',
    objectId: 'p1',
    objectLabel: 'Churn 100%',
  },
  {
    key: 'a3',
    at: at(3),
    actorEmail: 'alice@x.test',
    action: 'run.started',
    objectType: 'run',
    objectId: 'r1',
    objectLabel: 'Churn 100%',
  },
  {
    key: 'a4',
    at: at(3),
    actorEmail: 'carol@x.test',
    action: 'pipeline.renamed',
    objectType: 'pipeline',
    objectId: 'p2',
    objectLabel: 'Sales_2',
  },
  {
    key: 'a5',
    at: at(4),
    actorEmail: 'ALICE@X.TEST',
    action: 'user.role-changed',
    objectType: 'user',
    objectId: 'u9',
    objectLabel: 'dan@x.test',
  },
];

describe('reading the audit log', () => {
  beforeAll(async () => {
    // One at a time, so ids rise in the listed order (a3 and a4 share their moment).
    for (const { key, ...entry } of seeded) {
      await fixture.database.db.insert(auditLog).values({ ...entry, actorKind: 'user', details: { key } });
    }
  });

  const admin = () => testCaller(fixture.database, fixture.worker, testActor('admin')).caller;
  /** The seeded entries (by their details' key) that the filters find, in the order given. */
  const keys = async (filters: Record<string, unknown>) =>
    (await admin().audit.list({ filters: { ...year2001, ...filters } })).items.map((item) => item.details);
  const keyed = (...keys: string[]) => keys.map((key) => ({ key }));

  it('filters by actor, action or family, object type, object id or label, and time', async () => {
    expect(await keys({})).toEqual(keyed('a5', 'a4', 'a3', 'a2', 'a1'));
    expect(await keys({ actor: 'alice' })).toEqual(keyed('a5', 'a3', 'a1'));
    expect(await keys({ actor: '%' })).toEqual([]);
    expect(await keys({ action: 'pipeline.' })).toEqual(keyed('a4', 'a2', 'a1'));
    expect(await keys({ action: 'pipeline.saved' })).toEqual(keyed('a2'));
    expect(await keys({ action: 'pipeline' })).toEqual([]);
    expect(await keys({ objectType: 'run' })).toEqual(keyed('a3'));
    expect(await keys({ object: 'p2' })).toEqual(keyed('a4'));
    expect(await keys({ object: 'churn 100%' })).toEqual(keyed('a3', 'a2', 'a1'));
    expect(await keys({ object: 'Sales_' })).toEqual(keyed('a4'));
    expect(await keys({ object: 'Sales%' })).toEqual([]);
    expect(await keys({ objectType: 'pipeline', object: 'p1' })).toEqual(keyed('a2', 'a1'));
    expect(await keys({ from: at(2), to: at(4) })).toEqual(keyed('a4', 'a3', 'a2'));
  });

  it('pages newest first without gaps or repeats, through entries of the same moment', async () => {
    const seen: unknown[] = [];
    let cursor: { at: Date; id: number } | undefined;
    let pages = 0;
    do {
      const page = await admin().audit.list({ filters: year2001, limit: 2, cursor });
      seen.push(...page.items.map((item) => item.details));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['a5', 'a4', 'a3', 'a2', 'a1'].map((key) => ({ key })));
    expect(pages).toBe(3);
  });

  it('reads the whole log a page at a time for the export', async () => {
    const keys: unknown[] = [];
    for await (const row of eachAuditEntry(fixture.database.db, year2001, 2)) keys.push(row.details);
    expect(keys).toEqual(['a5', 'a4', 'a3', 'a2', 'a1'].map((key) => ({ key })));
  });

  it('lists the action names for the filter', async () => {
    const actions = await admin().audit.actions();
    expect(actions).toEqual(
      expect.arrayContaining(['pipeline.created', 'pipeline.saved', 'user.role-changed']),
    );
    expect(actions).toEqual([...actions].sort());
    expect(new Set(actions).size).toBe(actions.length);
  });

  it('refuses malformed filters, naming them', async () => {
    const bad = await rejection(admin().audit.list({ filters: { action: "x'; drop table audit_log" } }));
    expect(bad.code).toBe('BAD_REQUEST');
    const backwards = await rejection(admin().audit.list({ filters: { from: at(4), to: at(1) } }));
    expect(backwards.code).toBe('BAD_REQUEST');
    expect(backwards.message).toContain('must be before');
  });

  it('answers admins only: an editor, an operator and a viewer are refused, anonymous is asked to sign in', async () => {
    for (const role of ['viewer', 'editor', 'operator'] as const) {
      const caller = testCaller(fixture.database, fixture.worker, testActor(role)).caller;
      const refused = await rejection(caller.audit.list({ filters: year2001 }));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).not.toContain('alice');
      expect((await rejection(caller.audit.actions())).code).toBe('FORBIDDEN');
    }
    const anonymous = testCaller(fixture.database, fixture.worker, null).caller;
    expect((await rejection(anonymous.audit.list({}))).code).toBe('UNAUTHORIZED');
  });
});

describe('CSV export', () => {
  const year2002 = 'from=2002-01-01&to=2003-01-01';
  const labels = [
    'say "hi"',
    'two\nlines',
    '=HYPERLINK("http://evil")',
    '+1',
    '-1',
    '@SUM(A1)',
    '\tcmd',
    'a,b',
  ];

  beforeAll(async () => {
    for (const [index, label] of labels.entries()) {
      await fixture.database.db.insert(auditLog).values({
        at: new Date(Date.UTC(2002, 0, 1, 0, 0, labels.length - index)),
        actorKind: 'user',
        actorEmail: 'alice@x.test',
        action: 'pipeline.renamed',
        objectType: 'pipeline',
        objectId: `csv-${index}`,
        objectLabel: label,
      });
    }
  });

  const exportOf = (query: string) =>
    auditExportResponse(
      fixture.database.db,
      { actor: testActor('admin'), ipAddress: '127.0.0.1' },
      new URL(`http://localhost/api/audit/export?${query}`),
      new Date(Date.UTC(2026, 11, 7, 3, 0)),
    );

  it('streams a dated attachment with a header row, quoting and neutralising cells', async () => {
    const response = await exportOf(year2002);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="pipewright-audit-2026-12-07.csv"',
    );
    const text = await response.text();
    const labelCells = labels.map((_, index) => {
      const line = text.split('\r\n').find((each) => each.includes(`,csv-${index},`));
      return line?.slice(line.indexOf(`,csv-${index},`) + `,csv-${index},`.length).replace(/,,$/, '');
    });
    expect(
      text.startsWith(
        'time,actor_kind,actor_email,actor_id,action,object_type,object_id,object_label,details,ip_address\r\n',
      ),
    ).toBe(true);
    expect(labelCells).toEqual([
      '"say ""hi"""',
      // Inside quotes a bare LF is part of the cell; records end with CRLF.
      '"two\nlines"',
      '"\'=HYPERLINK(""http://evil"")"',
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tcmd",
      '"a,b"',
    ]);
    expect(text).toContain('"two\nlines"');
    expect(text.trimEnd().split('\r\n')).toHaveLength(1 + labels.length);
  });

  it('applies the same filters, and records who exported', async () => {
    const text = await (await exportOf(`${year2002}&object=csv-3`)).text();
    expect(text.trimEnd().split('\r\n')).toHaveLength(2);
    expect(text).toContain(",csv-3,'+1,");
    const [exported] = await fixture.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'audit.exported'), gte(auditLog.at, new Date(Date.now() - 60_000))))
      .orderBy(asc(auditLog.id));
    expect(exported).toMatchObject({ actorEmail: 'admin@example.test', objectType: 'audit-log' });
  });

  it('answers 400 naming a bad parameter', async () => {
    const cases: [string, string][] = [
      ['from=yesterday', '"from"'],
      ['action=%25', '"action"'],
      ['colour=red', 'colour'],
      ['actor=a&actor=b', '"actor" is given more than once'],
      ['from=2002-02-01&to=2002-01-01', '"from" must be before "to"'],
    ];
    for (const [query, named] of cases) {
      const response = await exportOf(query);
      expect(response.status, query).toBe(400);
      expect((await response.json()).error, query).toContain(named);
    }
  });
});

describe('append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE in PostgreSQL itself', async () => {
    const { sql, db } = fixture.database;
    await db
      .insert(auditLog)
      .values({ actorKind: 'system', action: 'test.kept', at: new Date(Date.UTC(2003, 0, 1)) });
    const count = () => db.$count(auditLog);
    const before = await count();
    await expect(
      sql`update audit_log set action = 'test.changed' where action = 'test.kept'`,
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where action = 'test.kept'`).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`).rejects.toThrow(/append-only/);
    expect(await count()).toBe(before);
    const kept = await db
      .select()
      .from(auditLog)
      .where(
        and(
          gte(auditLog.at, new Date(Date.UTC(2003, 0, 1))),
          lt(auditLog.at, new Date(Date.UTC(2004, 0, 1))),
        ),
      );
    expect(kept.map((row) => row.action)).toEqual(['test.kept']);
  });

  it('offers no procedure that changes or deletes an entry', () => {
    // tRPC keeps a flat record of every procedure by its dotted path, with its kind.
    const kinds = new Map<string, unknown>();
    for (const [name, procedure] of Object.entries<unknown>(appRouter._def.procedures)) {
      const definition = typeof procedure === 'function' && '_def' in procedure ? procedure._def : undefined;
      kinds.set(
        name,
        typeof definition === 'object' && definition !== null && 'type' in definition
          ? definition.type
          : undefined,
      );
    }
    const audit = [...kinds].filter(([name]) => name.startsWith('audit.'));
    expect(audit).toEqual([
      ['audit.list', 'query'],
      ['audit.actions', 'query'],
    ]);
  });
});
