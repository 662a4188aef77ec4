import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureModel, insertModelVersion, readModelFile } from '../db/queries/registry';
import { diskUseByPipeline, markDeletedByRetention, setRetentionDays } from '../db/queries/retention';
import { insertRun, listRunsQuery, ReusedFilesDeletedError } from '../db/queries/runs';
import {
  artifacts,
  auditLog,
  notificationDeliveries,
  notifications,
  notificationWebhooks,
  runEvents,
  runSteps,
  runs,
  schedules,
} from '../db/schema';
import { DELIVERY_KEEP_DAYS, NOTIFICATION_KEEP_DAYS } from '../workflows/retention/prune-notifications';
import type { PruneResult, RetentionResult } from '../workflows/retention/retention.types';
import type { RetentionProgress } from '../workflows/retention/retention-progress';
import { ensureRetentionSchedule, RETENTION_SCHEDULE_ID } from '../workflows/retention/retention-schedule';
import { deleteExpiredRunFiles, type SweepOptions } from '../workflows/retention/retention-sweep';
import { recordRun } from '../workflows/run-service';
import { createTestDatabase, type TestDatabase } from './support/database';
import { specOfWithTestNodes } from './support/nodes/specs';
import { pipelineDoc } from './support/pipeline-doc';
import { runToEnd, savePipeline } from './support/pipelines';
import { testActor, testCaller } from './support/services';
import { startTestWorker, type TestWorker } from './support/temporal';
import { rejection } from './support/trpc-rejection';

let database: TestDatabase;
let worker: TestWorker;
beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.sql);
});
afterAll(async () => {
  await worker?.client.schedule
    .getHandle(RETENTION_SCHEDULE_ID)
    .delete()
    .catch(() => {});
  await worker?.stop();
  await database?.drop();
});

const DAY_MS = 24 * 60 * 60 * 1000;

const caller = () => testCaller(database, worker).caller;

async function twoStepPipeline(name: string) {
  const doc = pipelineDoc(
    [
      { id: 'source', type: 'test.source', config: { value: name } },
      { id: 'work', type: 'test.transform' },
    ],
    ['source.out->work.in'],
  );
  return savePipeline(database.db, doc, name);
}

/** A finished run of the pipeline, its end moved `daysAgo` into the past. */
async function finishedRun(versionId: string, daysAgo: number): Promise<string> {
  const { started } = await runToEnd(database.db, worker, versionId);
  const at = new Date(Date.now() - daysAgo * DAY_MS);
  await database.db.update(runs).set({ startedAt: at, finishedAt: at }).where(eq(runs.id, started.runId));
  return started.runId;
}

async function artifactRows(runId: string) {
  return database.db.select().from(artifacts).where(eq(artifacts.runId, runId));
}

function filesOf(row: { uri: string; companions: unknown }): string[] {
  const file = fileURLToPath(row.uri);
  const beside = Array.isArray(row.companions)
    ? row.companions.flatMap((companion: unknown) =>
        typeof companion === 'object' && companion !== null && 'name' in companion
          ? [path.join(path.dirname(file), String(companion.name))]
          : [],
      )
    : [];
  return [file, ...beside];
}

/** Bytes of every file under a folder, counted on disk. */
async function bytesOnDisk(folder: string): Promise<number> {
  if (!existsSync(folder)) return 0;
  let total = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  return total;
}

async function runRetention(workflowId = `test-retention-${randomUUID()}`): Promise<RetentionPassResult> {
  return worker.client.workflow.execute('retentionWorkflow', {
    taskQueue: worker.taskQueue,
    workflowId,
    args: [],
  });
}

type RetentionPassResult = RetentionResult & { pruned: PruneResult };

/** The sweep as the activity runs it, called directly so a test can stop and resume it. */
function sweep(options: Partial<SweepOptions> & { at: Date }) {
  return deleteExpiredRunFiles(database.db, path.join(worker.dataDir, 'artifacts'), {
    resume: null,
    retried: false,
    progress: () => {},
    ...options,
  });
}

describe('retention', () => {
  it('deletes and marks the files of old finished runs; keeps recent, running, registered and scheduled ones', async () => {
    const { pipeline, version } = await twoStepPipeline('retained');
    const old = await finishedRun(version.id, 40);
    const recent = await finishedRun(version.id, 5);
    const registered = await finishedRun(version.id, 40);
    const running = await finishedRun(version.id, 40);
    // A run still going (as the status says) keeps its files whatever its dates.
    await database.db.update(runs).set({ status: 'running' }).where(eq(runs.id, running));

    // A model version registered from the "work" step of an old run, its files in PostgreSQL.
    const model = await ensureModel(database.sql, { name: 'retained-model', ownerId: null });
    const onnx = Buffer.from('not really onnx, but bytes to load back');
    const sha256 = createHash('sha256').update(onnx).digest('hex');
    const versionRow = await insertModelVersion(database.sql, model.id, {
      runId: registered,
      nodeId: 'work',
      pipelineVersionId: version.id,
      task: 'regression',
      algorithm: 'linear',
      signature: {
        inputs: [{ name: 'x', type: 'number', nullable: false, unknownCategories: 'accept' }],
        output: { task: 'regression' },
      },
      labels: [],
      metrics: {},
      gates: [],
      parameters: {},
      datasetSha256: null,
      datasetProfile: null,
      transforms: {},
      reference: {},
      referenceRows: 0,
      createdBy: null,
      files: [{ name: 'model.onnx', content: onnx, sha256 }],
    });

    // An upload a schedule runs with.
    const upload = path.join(worker.dataDir, 'uploads', randomUUID(), 'train.csv');
    await mkdir(path.dirname(upload), { recursive: true });
    await writeFile(upload, 'x,y\n1,2\n');
    await database.db.insert(schedules).values({
      pipelineId: pipeline.id,
      name: 'nightly',
      timing: { kind: 'every', amount: 1, unit: 'd' },
      parameters: { file: path.relative(worker.dataDir, upload) },
    });

    const before = await artifactRows(old);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const oldBytes = before.reduce((sum, row) => sum + row.bytes, 0);
    for (const row of before) for (const file of filesOf(row)) expect(existsSync(file)).toBe(true);

    // Off by default: nothing happens.
    expect(await runRetention()).toEqual({
      days: null,
      deleted: 0,
      bytes: 0,
      outside: 0,
      pruned: { notifications: 0, deliveries: 0 },
    });

    await setRetentionDays(database.db, 30);
    const result = await runRetention();

    const registeredRows = await artifactRows(registered);
    const registeredSource = registeredRows.filter((row) => row.deletedAt !== null);
    // The old run's two steps, and the registered run's source step (not its registered "work").
    expect(result.days).toBe(30);
    expect(result.deleted).toBe(before.length + registeredSource.length);
    expect(registeredSource.length).toBeGreaterThan(0);
    expect(registeredRows.filter((row) => row.deletedAt === null).length).toBeGreaterThan(0);

    const after = await artifactRows(old);
    expect(after.every((row) => row.deletedAt !== null)).toBe(true);
    for (const row of after) for (const file of filesOf(row)) expect(existsSync(file)).toBe(false);
    // The run's folder went with its files; its records stay.
    expect(existsSync(path.join(worker.dataDir, 'artifacts', old))).toBe(false);
    expect(result.bytes).toBeGreaterThanOrEqual(oldBytes);
    const [oldRun] = await database.db.select().from(runs).where(eq(runs.id, old));
    expect(oldRun?.status).toBe('succeeded');

    for (const kept of [recent, running]) {
      const rows = await artifactRows(kept);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.deletedAt === null)).toBe(true);
      for (const row of rows) for (const file of filesOf(row)) expect(existsSync(file)).toBe(true);
    }
    for (const row of registeredRows.filter((kept) => kept.deletedAt === null))
      for (const file of filesOf(row)) expect(existsSync(file)).toBe(true);
    expect(existsSync(upload)).toBe(true);
    expect((await readModelFile(database.sql, versionRow.id, 'model.onnx'))?.content.equals(onnx)).toBe(true);

    // The pass is in the audit log.
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.action, 'retention.deleted'));
    expect(audit).toHaveLength(1);

    // A second pass finds nothing more.
    expect((await runRetention()).deleted).toBe(0);

    // A preview of a deleted file says why it is gone.
    const [deleted] = after;
    if (!deleted) throw new Error('no artifact');
    const refused = await rejection(caller().datasets.preview({ artifactId: deleted.id }));
    expect(refused.code).toBe('NOT_FOUND');
    expect(refused.message).toMatch(
      /^This file was deleted by retention on \d{4}-\d{2}-\d{2}; the run's record is kept/,
    );

    // A re-run reusing the old run's steps runs them again and says why.
    const rerun = await runToEnd(database.db, worker, version.id, { reuseFromRunId: old });
    expect(rerun.result.status).toBe('succeeded');
    const warnings = await database.db
      .select({ nodeId: runEvents.nodeId, message: runEvents.message })
      .from(runEvents)
      .where(and(eq(runEvents.runId, rerun.started.runId), eq(runEvents.level, 'warn')));
    expect(warnings.map((event) => event.nodeId).sort()).toEqual(['source', 'work']);
    expect(warnings.find((event) => event.nodeId === 'source')?.message).toMatch(
      new RegExp(
        `^Runs again instead of reusing the outputs of run ${old}: its files were deleted by retention on \\d{4}-\\d{2}-\\d{2}$`,
      ),
    );
    expect(rerun.started.reused).toEqual([]);
  });

  it("reports each pipeline's disk use as the bytes its kept files take on disk", async () => {
    const first = await twoStepPipeline('measured one');
    const second = await twoStepPipeline('measured two');
    const firstRuns = [await finishedRun(first.version.id, 1), await finishedRun(first.version.id, 1)];
    const secondRuns = [await finishedRun(second.version.id, 1)];
    const onDisk = async (runIds: string[]) => {
      let total = 0;
      for (const runId of runIds) total += await bytesOnDisk(path.join(worker.dataDir, 'artifacts', runId));
      return total;
    };
    const use = await diskUseByPipeline(database.db);
    const of = (pipelineId: string) => use.find((row) => row.pipelineId === pipelineId);
    expect(of(first.pipeline.id)?.bytes).toBe(await onDisk(firstRuns));
    expect(of(second.pipeline.id)?.bytes).toBe(await onDisk(secondRuns));
    expect(of(first.pipeline.id)?.files).toBe(
      (await database.db.select().from(artifacts).where(inArray(artifacts.runId, firstRuns))).length,
    );
    expect(of(first.pipeline.id)?.bytes).toBeGreaterThan(0);

    const answered = await caller().retention.diskUse();
    expect(answered.totalBytes).toBe(use.reduce((sum, row) => sum + row.bytes, 0));
    expect(answered.pipelines).toEqual(use);
  });

  it('lets an admin set the period, audited, and anyone who reads see it; refuses bad values and other roles', async () => {
    const admin = caller();
    expect(await admin.retention.setDays({ days: 14 })).toEqual({ days: 14 });
    expect(await admin.retention.settings()).toEqual({ days: 14 });
    const bad = await rejection(admin.retention.setDays({ days: 0 }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toBe('days: Keep files at least 1 day, or give null to keep them forever');
    expect(await admin.retention.settings()).toEqual({ days: 14 });
    // The period is no secret (the pipeline list tells every reader): a viewer reads it, as diskUse
    // already answered it, but may not change it.
    const viewer = testCaller(database, worker, testActor('viewer')).caller;
    expect(await viewer.retention.settings()).toEqual({ days: 14 });
    expect((await viewer.retention.diskUse()).retentionDays).toBe(14);
    expect((await rejection(viewer.retention.setDays({ days: 1 }))).code).toBe('FORBIDDEN');
    expect(await admin.retention.settings()).toEqual({ days: 14 });
    expect(await admin.retention.setDays({ days: null })).toEqual({ days: null });
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.action, 'retention.updated'));
    expect(entries.map((entry) => entry.details)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ to: 14 }),
        expect.objectContaining({ from: 14, to: null }),
      ]),
    );
  });

  it('never deletes a file outside the artifact folder, whatever a row says', async () => {
    const { version } = await twoStepPipeline('outside');
    const old = await finishedRun(version.id, 40);
    const outside = path.join(worker.dataDir, 'uploads', randomUUID(), 'kept.csv');
    await mkdir(path.dirname(outside), { recursive: true });
    await writeFile(outside, 'a\n1\n');
    const [row] = await database.db
      .insert(artifacts)
      .values({
        runId: old,
        kind: 'dataset',
        uri: pathToFileURL(outside).href,
        bytes: 4,
        sha256: '0'.repeat(64),
      })
      .returning();
    await setRetentionDays(database.db, 30);

    const result = await runRetention();

    expect(result.outside).toBe(1);
    expect(existsSync(outside)).toBe(true);
    const [after] = await database.db
      .select()
      .from(artifacts)
      .where(eq(artifacts.id, row?.id ?? ''));
    expect(after?.deletedAt).toBeNull();
    // The run's own files went as usual.
    expect((await artifactRows(old)).filter((kept) => kept.deletedAt === null)).toHaveLength(1);
    await setRetentionDays(database.db, null);
  });

  it('keeps the files a queued run will reuse, though its workflow has not started (Temporal down, backlog)', async () => {
    const { version } = await twoStepPipeline('queued reuse');
    const source = await finishedRun(version.id, 40);
    // Recorded, as startRun does before it asks Temporal; no workflow runs it yet.
    const waiting = await recordRun(
      { db: database.db, specOf: specOfWithTestNodes },
      { pipelineVersionId: version.id, runId: randomUUID(), reuseFromRunId: source },
    );
    expect(Object.keys(waiting.reuse).sort()).toEqual(['source', 'work']);
    const steps = await database.db.select().from(runSteps).where(eq(runSteps.runId, waiting.runId));
    expect(steps.map((step) => [step.nodeId, step.status, step.reusedFromRunId]).sort()).toEqual([
      ['source', 'queued', source],
      ['work', 'queued', source],
    ]);
    await setRetentionDays(database.db, 30);

    await runRetention();

    const rows = await artifactRows(source);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.deletedAt === null)).toBe(true);
    for (const row of rows) for (const file of filesOf(row)) expect(existsSync(file)).toBe(true);

    // Once it has ended, nothing holds them.
    await database.db.update(runs).set({ status: 'cancelled' }).where(eq(runs.id, waiting.runId));
    await runRetention();
    expect((await artifactRows(source)).every((row) => row.deletedAt !== null)).toBe(true);
    await setRetentionDays(database.db, null);
  });

  it('marks a row only if it still qualifies when locked, and a run is never recorded reusing a marked row', async () => {
    const { version } = await twoStepPipeline('marked under lock');
    const source = await finishedRun(version.id, 40);
    const rows = await artifactRows(source);
    const ids = rows.map((row) => row.id);
    const at = new Date();
    const cutoff = new Date(at.getTime() - 30 * DAY_MS);
    // Listed as expired, then a run reusing them is queued before the slice is marked.
    const waiting = await recordRun(
      { db: database.db, specOf: specOfWithTestNodes },
      { pipelineVersionId: version.id, runId: randomUUID(), reuseFromRunId: source },
    );
    expect(await markDeletedByRetention(database.db, { ids, cutoff, at })).toEqual([]);
    expect((await artifactRows(source)).every((row) => row.deletedAt === null)).toBe(true);

    await database.db.update(runs).set({ status: 'cancelled' }).where(eq(runs.id, waiting.runId));
    const marked = await markDeletedByRetention(database.db, { ids, cutoff, at });
    expect(marked.map((row) => row.id).sort()).toEqual([...ids].sort());

    // The other way round: the rows were marked after the reuse check, before the run was recorded.
    const runId = randomUUID();
    await expect(
      insertRun(database.db, {
        id: runId,
        pipelineId: version.pipelineId,
        pipelineVersionId: version.id,
        workflowId: `run-${runId}`,
        trigger: 'manual',
        parameters: {},
        rerunOfRunId: source,
        steps: [],
        reusedArtifactIds: ids,
      }),
    ).rejects.toThrow(ReusedFilesDeletedError);
    expect(await database.db.select().from(runs).where(eq(runs.id, runId))).toEqual([]);
    // Files of the rows marked by hand here are left for the orphan sweep; nothing else reads them.
  });

  it('walks kept files a slice at a time, reporting its place after each, and a retry resumes there', async () => {
    const { version } = await twoStepPipeline('resumed');
    const first = await finishedRun(version.id, 40);
    const second = await finishedRun(version.id, 40);
    const firstRows = await artifactRows(first);
    const secondRows = await artifactRows(second);
    await setRetentionDays(database.db, 30);
    const at = new Date();

    // An attempt that died: it got past the first run's rows (its last heartbeat) and had marked the
    // second run's first row, but not deleted its file.
    const [firstOfSecond, ...restOfSecond] = [...secondRows].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
    );
    if (!firstOfSecond) throw new Error('no artifact');
    const lastOfFirst = [...firstRows].sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id),
    )[0];
    if (!lastOfFirst) throw new Error('no artifact');
    await database.db.update(artifacts).set({ deletedAt: at }).where(eq(artifacts.id, firstOfSecond.id));
    const resume: RetentionProgress = {
      result: { days: 30, deleted: 7, bytes: 700, outside: 0 },
      after: { createdAt: lastOfFirst.createdAt.toISOString(), id: lastOfFirst.id },
    };

    const heartbeats: RetentionProgress[] = [];
    const result = await sweep({
      at,
      resume,
      retried: true,
      slice: 1,
      progress: (progress) => heartbeats.push(progress),
    });

    // The first run's rows lie before the resumed place: untouched.
    expect((await artifactRows(first)).every((row) => row.deletedAt === null)).toBe(true);
    for (const row of firstRows) for (const file of filesOf(row)) expect(existsSync(file)).toBe(true);
    // The row the dead attempt marked has its files deleted now; the rest of the second run too.
    for (const row of secondRows) for (const file of filesOf(row)) expect(existsSync(file)).toBe(false);
    expect((await artifactRows(second)).every((row) => row.deletedAt?.getTime() === at.getTime())).toBe(true);
    // Counted on top of what the heartbeat said was done.
    expect(result.deleted).toBe(7 + secondRows.length);
    const secondBytes = secondRows.reduce((sum, row) => sum + row.bytes, 0);
    expect(result.bytes).toBeGreaterThanOrEqual(700 + secondBytes);
    // One heartbeat for the left-over row, then one per slice of one row, each further on.
    expect(heartbeats.length).toBe(1 + restOfSecond.length);
    expect(heartbeats.at(-1)?.after?.id).toBe(restOfSecond.at(-1)?.id);
    expect(heartbeats.map((beat) => beat.result.deleted)).toEqual(
      Array.from({ length: heartbeats.length }, (_, index) => 8 + index),
    );

    // A fresh pass then deletes the first run's files.
    await sweep({ at: new Date() });
    expect((await artifactRows(first)).every((row) => row.deletedAt !== null)).toBe(true);
    await setRetentionDays(database.db, null);
  });

  it('gives the file pass a heartbeat timeout, so a killed worker is noticed in minutes, not after the hour', async () => {
    const workflowId = `test-retention-${randomUUID()}`;
    await runRetention(workflowId);
    const history = await worker.client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((event) =>
      event.activityTaskScheduledEventAttributes ? [event.activityTaskScheduledEventAttributes] : [],
    );
    expect(scheduled.map((activity) => activity.activityType?.name)).toEqual([
      'deleteExpiredRunFiles',
      'pruneNotifications',
    ]);
    expect(Number(scheduled[0]?.heartbeatTimeout?.seconds)).toBe(120);
  });

  it('prunes finished deliveries after 30 days and notifications after 90, whatever the files setting', async () => {
    const { pipeline } = await twoStepPipeline('noisy');
    const [webhook] = await database.db
      .insert(notificationWebhooks)
      .values({
        id: randomUUID(),
        pipelineId: pipeline.id,
        sealedUrl: Buffer.from('sealed'),
        display: 'https://hooks.test/…',
      })
      .returning();
    if (!webhook) throw new Error('no webhook');
    const made = async (daysAgo: number, status: 'pending' | 'delivered' | 'failed') => {
      const [row] = await database.db
        .insert(notifications)
        .values({
          event: 'run_failed',
          pipelineId: pipeline.id,
          message: `${daysAgo} days, ${status}`,
          createdAt: new Date(Date.now() - daysAgo * DAY_MS),
          fannedOutAt: new Date(),
        })
        .returning();
      if (!row) throw new Error('no notification');
      const [delivery] = await database.db
        .insert(notificationDeliveries)
        .values({ notificationId: row.id, channel: 'webhook', webhookId: webhook.id, status })
        .returning();
      return { notification: row.id, delivery: delivery?.id ?? '' };
    };
    const fresh = await made(DELIVERY_KEEP_DAYS - 1, 'delivered');
    const monthOld = await made(DELIVERY_KEEP_DAYS + 1, 'delivered');
    const monthOldFailed = await made(DELIVERY_KEEP_DAYS + 1, 'failed');
    const monthOldPending = await made(DELIVERY_KEEP_DAYS + 1, 'pending');
    const ancient = await made(NOTIFICATION_KEEP_DAYS + 1, 'pending');
    // Run files are kept forever: notifications are pruned all the same.
    await setRetentionDays(database.db, null);

    const result = await runRetention();

    expect(result.pruned).toEqual({ notifications: 1, deliveries: 2 });
    const notificationIds = (await database.db.select({ id: notifications.id }).from(notifications)).map(
      (row) => row.id,
    );
    expect(notificationIds).toEqual(
      expect.arrayContaining([fresh.notification, monthOld.notification, monthOldFailed.notification]),
    );
    expect(notificationIds).not.toContain(ancient.notification);
    const deliveryIds = (
      await database.db.select({ id: notificationDeliveries.id }).from(notificationDeliveries)
    ).map((row) => row.id);
    expect(deliveryIds.sort()).toEqual([fresh.delivery, monthOldPending.delivery].sort());
  });

  it('keeps one system-retention schedule starting the retention workflow daily', async () => {
    expect(await ensureRetentionSchedule(worker.client, worker.taskQueue)).toBe('created');
    expect(await ensureRetentionSchedule(worker.client, worker.taskQueue)).toBe('updated');
    const described = await worker.client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
    expect(described.action.type).toBe('startWorkflow');
    if (described.action.type !== 'startWorkflow') return;
    expect(described.action.workflowType).toBe('retentionWorkflow');
    expect(described.action.taskQueue).toBe(worker.taskQueue);
    const next = described.info.nextActionTimes[0];
    expect(next?.getUTCHours()).toBe(3);
    expect(next?.getUTCMinutes()).toBe(17);
  });
});

describe('run list index', () => {
  it("walks runs_pipeline_started_idx from the cursor for a pipeline's run history, without sorting", async () => {
    const { pipeline } = await twoStepPipeline('explained');
    const query = listRunsQuery(database.db, {
      pipelineId: pipeline.id,
      limit: 50,
      cursor: { startedAt: new Date(), id: randomUUID() },
    });
    // Tiny tables make a sequential scan cheapest; discouraging it (and sorts) shows which plans exist.
    const plan = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_sort = off`);
      return tx.execute(sql`explain ${query}`);
    });
    const text = plan.map((row) => String(Object.values(row)[0])).join('\n');
    expect(text).toMatch(/Index Scan using runs_pipeline_started_idx on runs/);
    expect(text).toMatch(/Index Cond: \(\(pipeline_id = .*\) AND \(started_at <= /);
    expect(text).not.toMatch(/Sort/);
  });
});
