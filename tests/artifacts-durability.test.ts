import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../db/client';
import { artifactOwners, databaseId } from '../db/queries/artifacts';
import { artifacts, runEvents, runSteps, runs } from '../db/schema';
import { writeDataset } from '../nodes/_data/dataset-output';
import { Duck } from '../nodes/_data/duck';
import { writeTransformSpec } from '../nodes/_data/transform-spec';
import { isTemporaryName } from '../nodes/_kit/atomic-file';
import type { NodeContext } from '../nodes/_kit/context';
import { NodeInputError } from '../nodes/_kit/errors';
import { writeJsonArtifact } from '../nodes/_kit/json-artifact';
import { StepArtifacts } from '../nodes/_kit/local-artifacts';
import { runIngest } from '../nodes/ingest/run';
import { ingestSpec } from '../nodes/ingest/spec';
import { DATABASE_MARKER, type SweepDatabase, sweepOrphanArtifacts } from '../workflows/orphan-sweep';
import type { RunResult } from '../workflows/pipeline.types';
import { rerun, startRun } from '../workflows/run-service';
import { createTestDatabase } from './support/database';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { executions, runServices, runToEnd, savePipeline, stepRows } from './support/pipelines';

const fixture = setUpDatabaseAndWorker();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'artifacts-durability-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A step's context with a real local artifact store and nothing else a writer needs. */
async function stepContext(dataDir: string, nodeId: string): Promise<NodeContext> {
  const artifacts = new StepArtifacts(path.join(dataDir, 'artifacts'), 'durability-run', nodeId, 1);
  await artifacts.prepare();
  const ignore = () => {};
  return {
    runId: 'durability-run',
    nodeId,
    attempt: 1,
    dataDir,
    artifacts,
    log: { info: ignore, warn: ignore, error: ignore },
    progress: ignore,
    signal: new AbortController().signal,
  };
}

const inode = (file: string) => statSync(file).ino;
const temporaryFiles = (folder: string) => readdirSync(folder).filter((name) => name.includes('.tmp-'));

describe('artifact writers', () => {
  // A file rewritten in place keeps its inode; one written elsewhere and renamed into place does not,
  // so a new inode on the second write shows the writer never exposes a half-written file.
  it('write JSON artifacts, Parquet datasets and transform specs under a temporary name, then rename', async () => {
    const context = await stepContext(scratch, 'writers');
    const first = await writeJsonArtifact(context, 'report', 'report', { accuracy: 0.9 });
    const jsonInode = inode(first.path);
    const second = await writeJsonArtifact(context, 'report', 'report', { accuracy: 0.95 });
    expect(second.path).toBe(first.path);
    expect(inode(second.path)).not.toBe(jsonInode);
    expect(JSON.parse(readFileSync(second.path, 'utf8'))).toEqual({ accuracy: 0.95 });

    const duck = await Duck.open();
    try {
      // DuckDB replaces an existing file by a rename of its own, so the inode cannot tell here; what
      // COPY was pointed at, and whether the final name existed when it finished, can.
      const output = context.artifacts.pathFor('data', 'parquet');
      const copies: { target: string; finalExisted: boolean }[] = [];
      const exec = duck.exec.bind(duck);
      duck.exec = async (sql, params = []) => {
        await exec(sql, params);
        const target = params.at(-1);
        if (sql.startsWith('copy') && typeof target === 'string')
          copies.push({ target, finalExisted: existsSync(output) });
      };
      const dataset = await writeDataset(duck, context, 'data', {
        sql: 'select range as x from range($1)',
        params: [7],
      });
      expect(dataset.stored.path).toBe(output);
      expect(copies.map(({ target, finalExisted }) => [path.dirname(target), finalExisted])).toEqual([
        [path.dirname(output), false],
      ]);
      expect(isTemporaryName(path.basename(copies[0]?.target ?? ''))).toBe(true);
      expect(dataset.profile.rows).toBe(7);
      expect(await duck.all('select count(*)::int as n from read_parquet($1)', [output])).toEqual([{ n: 7 }]);

      await writeTransformSpec(dataset.stored.path, { version: 1, steps: [] });
      const specFile = dataset.stored.path.replace(/\.parquet$/, '.transforms.json');
      const specInode = inode(specFile);
      await writeTransformSpec(dataset.stored.path, { version: 1, steps: [{ op: 'drop', columns: ['x'] }] });
      expect(inode(specFile)).not.toBe(specInode);
    } finally {
      duck.close();
    }
    expect(temporaryFiles(path.dirname(first.path))).toEqual([]);
  });
});

describe('ingest when its output cannot be written', () => {
  const config = ingestSpec.config.parse({ source: 'sample', sample: 'iris' });

  // The server's fault, not the data's: retried (a plain error, not an input error), and the
  // message names the output file, not the user's file or the server's folders.
  it('reports a failed rename as a retryable write failure, not a problem with the file', async () => {
    const context = await stepContext(mkdtempSync(path.join(scratch, 'ingest-rename-')), 'ingest');
    // A folder where the output goes: the Parquet file is written and flushed, and the rename fails.
    const output = context.artifacts.pathFor('data', 'parquet');
    mkdirSync(path.join(output, 'in-the-way'), { recursive: true });
    const failure = await runIngest({ config, inputs: {} }, context).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(NodeInputError);
    expect(failure).toMatchObject({
      message: expect.stringMatching(
        /^Could not write data\.parquet: EISDIR: illegal operation on a directory, rename '\.data\.parquet\.tmp-[0-9a-f]{12}' -> 'data\.parquet'$/,
      ),
      cause: { code: 'EISDIR' },
    });
  });

  it('reports DuckDB failing to open its output file as a retryable write failure', async () => {
    const context = await stepContext(mkdtempSync(path.join(scratch, 'ingest-open-')), 'ingest');
    // The step's folder is gone (a disk unmounted, a hand clean-up): DuckDB cannot open its file.
    rmSync(path.dirname(context.artifacts.pathFor('data', 'parquet')), { recursive: true });
    const failure = await runIngest({ config, inputs: {} }, context).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(NodeInputError);
    expect(failure).toMatchObject({
      message: expect.stringMatching(
        /^Could not write data\.parquet: IO Error: Cannot open file "\.data\.parquet\.tmp-[0-9a-f]{12}": No such file or directory$/,
      ),
    });
  });
});

describe('reuse checks the stored files against their rows', () => {
  it('runs a step again when its file changed or was cut short, and the steps after it, saying why', async () => {
    const outageOver = path.join(scratch, 'outage-over');
    const doc = pipelineDoc(
      [
        { id: 's1', type: 'test.source', config: { value: 'one' } },
        { id: 't1', type: 'test.transform' },
        { id: 's2', type: 'test.source', config: { value: 'two' } },
        { id: 't2', type: 'test.transform' },
        { id: 'j', type: 'test.join' },
        {
          id: 'f',
          type: 'test.transform',
          config: { failWhileMissing: outageOver, failMessage: 'outage' },
          execution: { maxAttempts: 1 },
        },
      ],
      ['s1.out->t1.in', 's2.out->t2.in', 't1.out->j.left', 't2.out->j.right', 'j.out->f.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const first = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(first.result.status).toBe('failed');
    const firstRunId = first.started.runId;
    const stored = await storedOutputs(firstRunId);

    // t1's file keeps its size but not its bytes; s2's file loses its last byte.
    const t1 = stored.t1;
    const s2 = stored.s2;
    if (!t1 || !s2) throw new Error('the first run stored no outputs for t1 and s2');
    const t1Text = readFileSync(t1.file, 'utf8');
    const tampered = t1Text.replace('"one"', '"six"');
    expect(tampered).not.toBe(t1Text);
    writeFileSync(t1.file, tampered);
    const s2Bytes = readFileSync(s2.file);
    writeFileSync(s2.file, s2Bytes.subarray(0, s2Bytes.length - 1));

    writeFileSync(outageOver, 'ok');
    const second = await rerun(runServices(fixture.database.db, fixture.worker), firstRunId, {
      fromFailure: true,
    });
    expect(second.reused).toEqual(['s1']);
    const result: RunResult = await fixture.worker.client.workflow.getHandle(second.workflowId).result();
    expect(result.status).toBe('succeeded');
    expect(await executions(fixture.database.db, second.runId)).toEqual({ t1: 1, s2: 1, t2: 1, j: 1, f: 1 });

    const sha = createHash('sha256').update(tampered).digest('hex');
    const prefix = `Runs again instead of reusing the outputs of run ${firstRunId}: `;
    const warnings = await fixture.database.db
      .select({ nodeId: runEvents.nodeId, level: runEvents.level, message: runEvents.message })
      .from(runEvents)
      .where(and(eq(runEvents.runId, second.runId), eq(runEvents.attempt, 0)))
      .orderBy(asc(runEvents.seq));
    // In plan order.
    expect(warnings).toEqual([
      {
        nodeId: 's2',
        level: 'warn',
        message: `${prefix}its stored file out.json is ${s2.bytes - 1} bytes, but was ${s2.bytes} bytes when written`,
      },
      {
        nodeId: 't1',
        level: 'warn',
        message: `${prefix}its stored file out.json has changed since it was written (sha256 ${sha.slice(0, 12)}…, recorded ${t1.sha256.slice(0, 12)}…)`,
      },
      { nodeId: 't2', level: 'warn', message: `${prefix}the step before it, s2, runs again` },
      { nodeId: 'j', level: 'warn', message: `${prefix}the step before it, t1, runs again` },
    ]);
    // What flowed on is t1's fresh output, not the changed file.
    const join = (await storedOutputs(second.runId)).j;
    expect(JSON.parse(readFileSync(join?.file ?? '', 'utf8')).left).toEqual({
      node: 't1',
      input: { node: 's1', value: 'one' },
    });
    const steps = await stepRows(fixture.database.db, second.runId);
    expect(steps.map((step) => [step.nodeId, step.status])).toEqual([
      ['f', 'succeeded'],
      ['j', 'succeeded'],
      ['s1', 'cached'],
      ['s2', 'succeeded'],
      ['t1', 'succeeded'],
      ['t2', 'succeeded'],
    ]);
  });
});

describe('a run that cannot be fully recorded', () => {
  it('is not recorded at all when its start log lines fail to insert', async () => {
    const { db, sql } = fixture.database;
    const deps = runServices(db, fixture.worker);
    const doc = pipelineDoc(
      [
        { id: 's', type: 'test.source', config: { value: 'start-events' } },
        { id: 't', type: 'test.transform' },
      ],
      ['s.out->t.in'],
    );
    const { version } = await savePipeline(db, doc);
    const first = await runToEnd(db, fixture.worker, version.id);
    expect(first.result.status).toBe('succeeded');
    // s's file changes, so the next run logs why s runs again: a line written before any step runs.
    const s = (await storedOutputs(first.started.runId)).s;
    if (!s) throw new Error('the first run stored no output for s');
    writeFileSync(s.file, `${readFileSync(s.file, 'utf8')} `);

    // A fault in writing that line (the database refuses it), injected for this test only.
    await sql`
      create function refuse_start_events() returns trigger language plpgsql as $$
      begin raise exception 'start events refused'; end $$`;
    await sql`
      create trigger refuse_start_events before insert on run_events
      for each row when (new.attempt = 0) execute function refuse_start_events()`;
    try {
      const refused = await startRun(deps, {
        pipelineVersionId: version.id,
        reuseFromRunId: first.started.runId,
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ cause: { message: 'start events refused' } });
    } finally {
      await sql`drop trigger refuse_start_events on run_events`;
      await sql`drop function refuse_start_events()`;
    }
    // Nothing of the second run is left: no row stays queued with no workflow to run it.
    const rows = await db
      .select({ id: runs.id, status: runs.status })
      .from(runs)
      .where(eq(runs.pipelineVersionId, version.id));
    expect(rows).toEqual([{ id: first.started.runId, status: 'succeeded' }]);
  });
});

describe('files beside an artifact', () => {
  it('are recorded with it when the step succeeds, and a changed one makes the step run again', async () => {
    const { db } = fixture.database;
    const deps = runServices(db, fixture.worker);
    const { version } = await savePipeline(
      db,
      pipelineDoc([{ id: 'read', type: 'ingest', config: { source: 'sample', sample: 'iris' } }], []),
    );
    const first = await runToEnd(db, fixture.worker, version.id);
    expect(first.result.status).toBe('succeeded');
    const [row] = await db
      .select({ uri: artifacts.uri, companions: artifacts.companions })
      .from(artifacts)
      .where(eq(artifacts.runId, first.started.runId));
    if (!row) throw new Error('the first run recorded no artifact');
    const spec = path.join(path.dirname(fileURLToPath(row.uri)), 'data.transforms.json');
    const specBytes = readFileSync(spec);
    const specSha = createHash('sha256').update(specBytes).digest('hex');
    expect(row.companions).toEqual([
      { name: 'data.transforms.json', bytes: specBytes.length, sha256: specSha },
    ]);

    // Unchanged, the step is reused.
    const unchanged = await startRun(deps, {
      pipelineVersionId: version.id,
      reuseFromRunId: first.started.runId,
    });
    expect(unchanged.reused).toEqual(['read']);
    await fixture.worker.client.workflow.getHandle(unchanged.workflowId).result();

    // The transform spec beside the data changes (same size, other bytes): the data alone still
    // matches its row, but a model trained from it would replay other transforms.
    const changed = specBytes.toString('utf8').replace('"version": 1', '"version": 2');
    expect(changed).not.toBe(specBytes.toString('utf8'));
    writeFileSync(spec, changed);
    const again = await startRun(deps, {
      pipelineVersionId: version.id,
      reuseFromRunId: first.started.runId,
    });
    expect(again.reused).toEqual([]);
    const result: RunResult = await fixture.worker.client.workflow.getHandle(again.workflowId).result();
    expect(result.status).toBe('succeeded');
    const warnings = await db
      .select({ nodeId: runEvents.nodeId, message: runEvents.message })
      .from(runEvents)
      .where(and(eq(runEvents.runId, again.runId), eq(runEvents.attempt, 0)));
    const changedSha = createHash('sha256').update(changed).digest('hex');
    expect(warnings).toEqual([
      {
        nodeId: 'read',
        message: `Runs again instead of reusing the outputs of run ${first.started.runId}: its stored file data.transforms.json has changed since it was written (sha256 ${changedSha.slice(0, 12)}…, recorded ${specSha.slice(0, 12)}…) (it goes with data.parquet)`,
      },
    ]);
  });

  it('are the files of the same stem, less those recorded in rows of their own and unfinished writes', async () => {
    const context = await stepContext(mkdtempSync(path.join(scratch, 'companions-')), 'train');
    const folder = path.dirname(context.artifacts.pathFor('model', 'json'));
    const write = (name: string, text: string) => {
      writeFileSync(path.join(folder, name), text);
      return path.join(folder, name);
    };
    const artifacts = new StepArtifacts(
      path.join(context.dataDir, 'artifacts'),
      'durability-run',
      'train',
      1,
    );
    await artifacts.commit('model', 'model', write('model.json', '{}'));
    write('model.arrays.bin', 'arrays');
    write('.model.arrays.bin.tmp-0123456789ab', 'half');
    write('models.json', 'another stem');
    await artifacts.commit('metrics', 'report', write('metrics.json', '{}'));
    const finished = await artifacts.finish();
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(finished.map((artifact) => [artifact.port, artifact.companions])).toEqual([
      ['model', [{ name: 'model.arrays.bin', bytes: 6, sha256: sha('arrays') }]],
      ['metrics', []],
    ]);
  });
});

/** The `out` artifact of each step of a run: its file and what its row recorded. */
async function storedOutputs(runId: string) {
  const rows = await fixture.database.db
    .select({ nodeId: runSteps.nodeId, uri: artifacts.uri, bytes: artifacts.bytes, sha256: artifacts.sha256 })
    .from(artifacts)
    .innerJoin(runSteps, eq(runSteps.id, artifacts.stepId))
    .where(eq(artifacts.runId, runId));
  return Object.fromEntries(
    rows.map((row) => [row.nodeId, { file: fileURLToPath(row.uri), bytes: row.bytes, sha256: row.sha256 }]),
  );
}

/** The sweep's view of a database, as the worker gives it. */
function sweepDatabase(db: Database): SweepDatabase {
  return { id: () => databaseId(db), owners: (runIds) => artifactOwners(db, runIds) };
}

/** A run row of a one-step pipeline, for sweep tests that lay out its folders by hand. */
async function insertRunRow(db: Database): Promise<string> {
  const { version } = await savePipeline(db, pipelineDoc([{ id: 'a', type: 'test.source' }], []));
  const [run] = await db
    .insert(runs)
    .values({
      pipelineId: version.pipelineId,
      pipelineVersionId: version.id,
      workflowId: `sweep-${randomUUID()}`,
    })
    .returning({ id: runs.id });
  if (!run) throw new Error('no run row');
  return run.id;
}

describe('orphan sweep', () => {
  it('removes what no row points to after a crash, and keeps recorded and running attempts', async () => {
    const db = fixture.database.db;
    const dataDir = mkdtempSync(path.join(scratch, 'sweep-'));
    const root = path.join(dataDir, 'artifacts');
    const { version } = await savePipeline(db, pipelineDoc([{ id: 'a', type: 'test.source' }], []));
    const [run] = await db
      .insert(runs)
      .values({
        pipelineId: version.pipelineId,
        pipelineVersionId: version.id,
        workflowId: `sweep-${randomUUID()}`,
      })
      .returning();
    if (!run) throw new Error('no run row');
    const file = (relative: string, text = 'x') => {
      const full = path.join(root, run.id, relative);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
      return full;
    };
    // ingest: attempt 1 died mid-step; attempt 2 succeeded, beside its recorded file a spec and a
    // temporary file of a write that never finished.
    file('ingest/attempt-1/data.parquet', 'half');
    const recorded = file('ingest/attempt-2/data.parquet');
    file('ingest/attempt-2/data.transforms.json');
    file('ingest/attempt-2/.data.parquet.tmp-0123456789ab');
    // train: attempt 3 is running (perhaps on another worker), attempt 2 was an earlier failed try.
    file('train/attempt-2/model.json');
    file('train/attempt-3/.model.json.tmp-ba9876543210');
    // A crashed attempt of a step that later failed for good.
    file('evaluate/attempt-1/report.json');
    const [ingestStep] = await db
      .insert(runSteps)
      .values([
        { runId: run.id, nodeId: 'ingest', nodeType: 'ingest', status: 'succeeded', attempt: 2 },
        { runId: run.id, nodeId: 'train', nodeType: 'train', status: 'running', attempt: 3 },
        { runId: run.id, nodeId: 'evaluate', nodeType: 'evaluate', status: 'failed', attempt: 1 },
      ])
      .returning();
    // The row names the file where DATA_DIR used to be: it is matched by run, node and attempt.
    const movedUri = pathToFileURL(
      path.join('/old/data/dir/artifacts', run.id, 'ingest/attempt-2/data.parquet'),
    ).href;
    await db.insert(artifacts).values({
      runId: run.id,
      stepId: ingestStep?.id,
      port: 'data',
      kind: 'dataset',
      uri: movedUri,
      bytes: 1,
      sha256: createHash('sha256').update('x').digest('hex'),
    });
    // A run the database no longer knows, and a folder that is no run's.
    const deletedRun = randomUUID();
    mkdirSync(path.join(root, deletedRun, 'a', 'attempt-1'), { recursive: true });
    writeFileSync(path.join(root, deletedRun, 'a', 'attempt-1', 'out.json'), '{}');
    mkdirSync(path.join(root, 'notes'));
    writeFileSync(path.join(root, 'notes', 'readme.txt'), 'kept');

    const result = await sweepOrphanArtifacts(root, sweepDatabase(db));

    expect([...result.removed].sort()).toEqual(
      [
        deletedRun,
        `${run.id}/ingest/attempt-1`,
        `${run.id}/ingest/attempt-2/.data.parquet.tmp-0123456789ab`,
        `${run.id}/train/attempt-2`,
        `${run.id}/evaluate/attempt-1`,
      ].sort(),
    );
    expect(listTree(root)).toEqual(
      [
        DATABASE_MARKER,
        'notes/readme.txt',
        `${run.id}/ingest/attempt-2/data.parquet`,
        `${run.id}/ingest/attempt-2/data.transforms.json`,
        `${run.id}/train/attempt-3/.model.json.tmp-ba9876543210`,
      ].sort(),
    );
    expect(readFileSync(recorded, 'utf8')).toBe('x');
    // The emptied evaluate folder went with its only attempt.
    expect(existsSync(path.join(root, run.id, 'evaluate'))).toBe(false);

    // A second sweep finds nothing more to do.
    expect(await sweepOrphanArtifacts(root, sweepDatabase(db))).toEqual({ removed: [] });
  });
  it('removes the files of rows retention marked deleted but did not get to delete', async () => {
    const db = fixture.database.db;
    const dataDir = mkdtempSync(path.join(scratch, 'sweep-'));
    const root = path.join(dataDir, 'artifacts');
    const runId = await insertRunRow(db);
    const file = (relative: string) => {
      const full = path.join(root, runId, relative);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, 'x');
      return full;
    };
    const marked = file('ingest/attempt-1/data.parquet');
    const kept = file('train/attempt-1/model.json');
    const row = (uri: string, deletedAt: Date | null) => ({
      runId,
      kind: 'dataset' as const,
      uri: pathToFileURL(uri).href,
      bytes: 1,
      sha256: createHash('sha256').update('x').digest('hex'),
      deletedAt,
    });
    // A retention pass marked the first row, then died before deleting its file.
    await db.insert(artifacts).values([row(marked, new Date()), row(kept, null)]);

    const result = await sweepOrphanArtifacts(root, sweepDatabase(db));

    expect(result.removed).toEqual([`${runId}/ingest/attempt-1`]);
    expect(existsSync(marked)).toBe(false);
    expect(readFileSync(kept, 'utf8')).toBe('x');
  });

  it('keeps the folder of an attempt that succeeds while the sweep reads the database', async () => {
    const { db, sql } = fixture.database;
    const root = path.join(mkdtempSync(path.join(scratch, 'sweep-race-')), 'artifacts');
    const runId = await insertRunRow(db);
    const [step] = await db
      .insert(runSteps)
      .values({ runId, nodeId: 'a', nodeType: 'test.source', status: 'running', attempt: 1 })
      .returning({ id: runSteps.id });
    if (!step) throw new Error('no step row');
    const output = path.join(root, runId, 'a', 'attempt-1', 'out.json');
    mkdirSync(path.dirname(output), { recursive: true });
    writeFileSync(output, '{}');

    // The step's success is committed while the sweep is halfway through reading the database: its
    // read of running steps waits on a lock this transaction holds, and the transaction records the
    // step's file and ends "running" (as setStepSucceeded does) before letting it go.
    const { sweeping } = await sql.begin(async (tx) => {
      await tx`lock table run_steps in access exclusive mode`;
      const [self] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const sweeping = sweepOrphanArtifacts(root, sweepDatabase(db));
      // A sweep that ends without waiting (it failed, or never read run_steps) ends the wait too.
      let ended = false;
      sweeping.then(
        () => {
          ended = true;
        },
        () => {
          ended = true;
        },
      );
      await vi.waitFor(
        async () => {
          if (ended) return;
          const [state] = await sql<{ waiting: number; busy: number }[]>`
          select
            (select count(*)::int from pg_locks
              where database = (select oid from pg_database where datname = current_database())
                and relation = 'run_steps'::regclass and not granted) as waiting,
            (select count(*)::int from pg_stat_activity
              where datname = current_database() and state = 'active' and wait_event_type is distinct from 'Lock'
                and pid not in (pg_backend_pid(), ${self?.pid ?? 0})) as busy`;
          expect(state?.waiting === 1 && state.busy === 0).toBe(true);
        },
        { timeout: 30_000, interval: 20 },
      );
      await tx`update run_steps set status = 'succeeded', finished_at = now() where id = ${step.id}`;
      await tx`
        insert into artifacts (run_id, step_id, port, kind, uri, bytes, sha256)
        values (${runId}, ${step.id}, 'out', 'report', ${pathToFileURL(output).href}, 2,
                ${createHash('sha256').update('{}').digest('hex')})`;
      return { sweeping };
    });

    expect(await sweeping).toEqual({ removed: [] });
    expect(readFileSync(output, 'utf8')).toBe('{}');
  });

  it('leaves alone a folder that belongs to another database', async () => {
    const db = fixture.database.db;
    const dataDir = mkdtempSync(path.join(scratch, 'sweep-other-'));
    const root = path.join(dataDir, 'artifacts');
    const runId = await insertRunRow(db);
    const unrecorded = path.join(root, runId, 'a', 'attempt-1', 'out.json');
    mkdirSync(path.dirname(unrecorded), { recursive: true });
    writeFileSync(unrecorded, '{}');
    const ownId = await databaseId(db);
    // The run is known to this database: its folder is swept, and the folder is marked as this database's.
    await db
      .insert(runSteps)
      .values({ runId, nodeId: 'a', nodeType: 'test.source', status: 'running', attempt: 1 });
    expect(await sweepOrphanArtifacts(root, sweepDatabase(db))).toEqual({ removed: [] });
    const marker = path.join(root, DATABASE_MARKER);
    expect(readFileSync(marker, 'utf8')).toBe(`${ownId}\n`);

    const other = await createTestDatabase();
    try {
      const otherId = await databaseId(other.db);
      expect(otherId).not.toBe(ownId);
      const before = listTree(root);
      const skip =
        "the orphan sweep is skipped and no file is removed. If the worker's DATABASE_URL is right and the files are not wanted, remove the run folders by hand";
      expect(await sweepOrphanArtifacts(root, sweepDatabase(other.db))).toEqual({
        removed: [],
        skipped: `${root} belongs to database ${ownId}, not to this worker's database ${otherId}: ${skip} and .database-id.`,
      });
      expect(listTree(root)).toEqual(before);

      // Without a marker (a folder from before markers), runs the database knows none of are not
      // taken for deleted ones either.
      rmSync(marker);
      expect(await sweepOrphanArtifacts(root, sweepDatabase(other.db))).toEqual({
        removed: [],
        skipped: `${root} holds 1 run folder and this worker's database knows none of them: ${skip}.`,
      });
      expect(listTree(root)).toEqual([`${runId}/a/attempt-1/out.json`]);

      // A new folder is claimed by the first database to sweep it.
      const fresh = path.join(dataDir, 'fresh-artifacts');
      expect(await sweepOrphanArtifacts(fresh, sweepDatabase(other.db))).toEqual({ removed: [] });
      expect(readFileSync(path.join(fresh, DATABASE_MARKER), 'utf8')).toBe(`${otherId}\n`);
    } finally {
      await other.drop();
    }
  });
});

/** Every file under a folder, relative to it, sorted. */
function listTree(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();
}
