/**
 * PostgreSQL is the schedules' record and Temporal is kept to it, with a real Temporal server: two
 * changes at once end in one agreed schedule; a Temporal left with other settings (a change whose
 * commit failed), a half-done delete, or an orphan Temporal schedule are put right; an archived
 * pipeline's schedules pause; and a Temporal that cannot be reached changes nothing and says so.
 */
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, schedules } from '../db/schema';
import { reconcileSchedules } from '../workflows/schedules/reconcile-schedules';
import {
  createSchedule,
  editSchedule,
  listScheduleDescriptions,
  pauseSchedule,
  type ScheduleActor,
  type ScheduleServiceDeps,
} from '../workflows/schedules/schedule-service';
import { SchedulerUnavailableError } from '../workflows/schedules/scheduler-errors';
import { revisionOf, scheduleUpdateOf, temporalScheduleId } from '../workflows/schedules/temporal-schedule';
import { createTestDatabase, type TestDatabase } from './support/database';
import { specOfWithTestNodes } from './support/nodes/specs';
import { pipelineDoc } from './support/pipeline-doc';
import { savePipeline } from './support/pipelines';
import { testCaller } from './support/services';
import { startTestWorker, type TestWorker } from './support/temporal';

let database: TestDatabase;
let worker: TestWorker;
let deps: ScheduleServiceDeps;
const actor: ScheduleActor = { actorKind: 'cli', actorId: null, actorEmail: null, ipAddress: null };
const created: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker(database.sql);
  deps = {
    db: database.db,
    temporal: worker.client,
    taskQueue: worker.taskQueue,
    specOf: specOfWithTestNodes,
    log: () => {},
  };
});
afterAll(async () => {
  for (const id of created)
    await worker.client.schedule
      .getHandle(temporalScheduleId(id))
      .delete()
      .catch(() => {});
  await worker?.stop();
  await database?.drop();
});

async function newSchedule(name: string) {
  const doc = pipelineDoc([{ id: 'source', type: 'test.source', config: { value: 'one' } }], []);
  const { pipeline } = await savePipeline(database.db, doc, name);
  const schedule = await createSchedule(deps, actor, {
    pipelineId: pipeline.id,
    timing: { kind: 'every', amount: 1, unit: 'h' },
    parameters: {},
  });
  created.push(schedule.id);
  return { pipeline, schedule };
}

async function rowOf(id: string) {
  const [row] = await database.db.select().from(schedules).where(eq(schedules.id, id));
  if (!row) throw new Error(`no row ${id}`);
  return row;
}

/** What Temporal holds: its revision, paused state and interval in seconds. */
async function heldByTemporal(id: string) {
  const described = await worker.client.schedule.getHandle(temporalScheduleId(id)).describe();
  const input = described.action.type === 'startWorkflow' ? described.action.args?.[0] : undefined;
  return {
    revision: typeof input === 'object' && input !== null && 'revision' in input ? input.revision : undefined,
    paused: described.state.paused,
    note: described.state.note,
    everySeconds: described.spec.intervals?.[0]?.every,
  };
}

async function auditActions(id: string): Promise<string[]> {
  const rows = await database.db.select().from(auditLog).where(eq(auditLog.objectId, id));
  return rows.map((row) => row.action);
}

describe('schedules: PostgreSQL is the record, Temporal follows it', () => {
  it('two changes at once end with the row and Temporal holding both', async () => {
    const { schedule } = await newSchedule('concurrent');
    await Promise.all([
      editSchedule(deps, actor, schedule.id, { timing: { kind: 'every', amount: 2, unit: 'h' } }),
      pauseSchedule(deps, actor, schedule.id, 'source down'),
    ]);
    const row = await rowOf(schedule.id);
    // No window chosen: an hourly schedule may catch up for an hour (until its next run).
    expect(schedule.catchupWindowSeconds).toBe(3_600);
    expect(row).toMatchObject({
      paused: true,
      note: 'source down',
      timing: { kind: 'every', amount: 2, unit: 'h' },
    });
    expect(await heldByTemporal(schedule.id)).toEqual({
      revision: revisionOf(row),
      paused: true,
      note: 'source down',
      everySeconds: 7_200_000,
    });
    // Each change was audited, once.
    expect((await auditActions(schedule.id)).sort()).toEqual([
      'schedule.created',
      'schedule.paused',
      'schedule.updated',
    ]);
    expect((await reconcileSchedules(deps)).rewritten).not.toContain(schedule.id);
  });

  it('gives Temporal the row’s settings back when it holds others (a commit that failed after Temporal took the change)', async () => {
    const { schedule } = await newSchedule('ahead');
    const row = await rowOf(schedule.id);
    // As a change whose row write failed leaves it: Temporal paused under a newer revision.
    const ahead = {
      ...row,
      paused: true,
      note: 'lost change',
      updatedAt: new Date(row.updatedAt.getTime() + 5),
    };
    await worker.client.schedule
      .getHandle(temporalScheduleId(schedule.id))
      .update(() => scheduleUpdateOf(ahead, worker.taskQueue));
    expect(await heldByTemporal(schedule.id)).toMatchObject({ paused: true });

    const result = await reconcileSchedules(deps);
    expect(result.rewritten).toContain(schedule.id);
    expect(result.failed).toEqual([]);
    expect(await heldByTemporal(schedule.id)).toEqual({
      revision: revisionOf(row),
      paused: false,
      note: '',
      everySeconds: 3_600_000,
    });
    expect(await auditActions(schedule.id)).toContain('schedule.resynced');
    expect((await reconcileSchedules(deps)).rewritten).not.toContain(schedule.id);
  });

  it('finishes a delete left half-way and never brings the schedule back', async () => {
    const { schedule } = await newSchedule('half-deleted');
    // The first step of a delete only: the row marked, Temporal not yet told.
    await database.db.update(schedules).set({ deletedAt: new Date() }).where(eq(schedules.id, schedule.id));
    const { caller } = testCaller(database, worker);
    expect((await caller.schedules.list({})).map((each) => each.id)).not.toContain(schedule.id);

    const result = await reconcileSchedules(deps);
    expect(result.deleted).toEqual([schedule.id]);
    expect(result.recreated).not.toContain(schedule.id);
    await expect(
      worker.client.schedule.getHandle(temporalScheduleId(schedule.id)).describe(),
    ).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(await database.db.select().from(schedules).where(eq(schedules.id, schedule.id))).toEqual([]);
  });

  it('an orphan Temporal schedule (no row) deletes itself when it fires', async () => {
    const { schedule } = await newSchedule('orphan');
    // As if the row's transaction had failed after Temporal took the schedule.
    await database.db.delete(schedules).where(eq(schedules.id, schedule.id));
    const handle = worker.client.schedule.getHandle(temporalScheduleId(schedule.id));
    await handle.trigger();
    await expect
      .poll(
        () =>
          handle.describe().then(
            () => 'still there',
            (error: unknown) => (error instanceof ScheduleNotFoundError ? 'gone' : String(error)),
          ),
        { timeout: 30_000, interval: 250 },
      )
      .toBe('gone');
  });

  it('archiving a pipeline pauses its schedules, saying why', async () => {
    const { pipeline, schedule } = await newSchedule('archived');
    const { caller } = testCaller(database, worker);
    await caller.pipelines.archive({ id: pipeline.id });
    expect(await rowOf(schedule.id)).toMatchObject({ paused: true, note: 'The pipeline was archived' });
    expect(await heldByTemporal(schedule.id)).toMatchObject({
      paused: true,
      note: 'The pipeline was archived',
    });
    const [entry] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, schedule.id), eq(auditLog.action, 'schedule.paused')));
    expect(entry?.details).toMatchObject({ note: 'The pipeline was archived' });
  });

  it('with Temporal unreachable, changes nothing and says so; the list still shows the schedules', async () => {
    const { pipeline, schedule } = await newSchedule('unreachable');
    const before = await rowOf(schedule.id);
    // Nothing listens on port 1: every call fails as UNAVAILABLE.
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 1_000 });
    const down: ScheduleServiceDeps = {
      ...deps,
      temporal: new Client({ connection, namespace: worker.namespace }),
      callTimeoutMs: 1_000,
    };
    try {
      await expect(pauseSchedule(down, actor, schedule.id, 'nope')).rejects.toBeInstanceOf(
        SchedulerUnavailableError,
      );
      await expect(
        createSchedule(down, actor, {
          pipelineId: pipeline.id,
          timing: { kind: 'every', amount: 1, unit: 'd' },
          parameters: {},
        }),
      ).rejects.toThrow(
        'The scheduler (Temporal) cannot be reached, so nothing was changed. Try again in a moment.',
      );
      expect(await rowOf(schedule.id)).toEqual(before);
      const rows = await database.db.select().from(schedules).where(eq(schedules.pipelineId, pipeline.id));
      expect(rows.map((row) => row.id)).toEqual([schedule.id]);
      expect(await auditActions(schedule.id)).toEqual(['schedule.created']);
      // Lists come from PostgreSQL, with next times worked out here: they need no Temporal.
      const listed = await listScheduleDescriptions(down, pipeline.id);
      expect(listed.map((each) => [each.id, each.nextRuns.length])).toEqual([[schedule.id, 5]]);
    } finally {
      await connection.close();
    }
  });
});
