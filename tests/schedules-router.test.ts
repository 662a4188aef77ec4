/**
 * The schedules router against real PostgreSQL and a real Temporal server: what the editor's
 * Schedules panel and the Schedules page call. Who may change schedules, and that bad input is a
 * 400 naming its field with nothing changed.
 */
import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/roles';
import type { Actor } from '../app/_server/auth/actor';
import { auditLog, schedules } from '../db/schema';
import { temporalScheduleId } from '../workflows/schedules/temporal-schedule';
import { accountsAuth, createAccount } from './support/accounts';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { savePipeline } from './support/pipelines';
import { deleteSchedulesAfterAll } from './support/schedule-cleanup';
import { testActor, testCaller } from './support/services';
import { rejection } from './support/trpc-rejection';

const fixture = setUpDatabaseAndWorker();
deleteSchedulesAfterAll(fixture);
const actors = new Map<Role, Actor>();

beforeAll(async () => {
  // Real accounts: a schedule records who created it (a foreign key to the users table).
  const auth = accountsAuth(fixture.database.db);
  for (const role of ['viewer', 'operator'] as const) {
    const account = await createAccount(auth, role);
    actors.set(role, { ...testActor(role), userId: account.userId, email: account.email });
  }
}, 120_000);

const callers = new Map<Role, ReturnType<typeof testCaller>['caller']>();

/** The app's procedures called by the account of this role (one caller per role). */
function callerAs(role: Role) {
  let caller = callers.get(role);
  if (!caller) {
    caller = testCaller(fixture.database, fixture.worker, actors.get(role) ?? testActor(role)).caller;
    callers.set(role, caller);
  }
  return caller;
}

/** A pipeline whose runs need the "label" parameter. */
async function labelledPipeline(name: string) {
  const doc = pipelineDoc(
    [
      { id: 'source', type: 'test.source', config: { value: { $param: '$scheduledTime' } } },
      { id: 'work', type: 'test.transform', config: { failMessage: { $param: 'label' } } },
    ],
    ['source.out->work.in'],
    [{ name: 'label', type: 'string', description: '' }],
  );
  return (await savePipeline(fixture.database.db, doc, name)).pipeline;
}

async function scheduleCount(): Promise<number> {
  const [row] = await fixture.database.db.select({ n: count() }).from(schedules);
  return row?.n ?? 0;
}

async function auditCount(): Promise<number> {
  const [row] = await fixture.database.db.select({ n: count() }).from(auditLog);
  return row?.n ?? 0;
}

/** "Mondays at 07:00" in Paris: far from any test's run time, so nothing fires while the test runs. */
const mondays = { kind: 'cron', expression: '0 7 * * 1', timezone: 'Europe/Paris' } as const;

describe('schedules router', () => {
  it('creates a schedule; list and get return it with its next five run times in words', async () => {
    const pipeline = await labelledPipeline('weekly retrain');
    const operator = callerAs('operator');
    const schedule = await operator.schedules.create({
      pipelineId: pipeline.id,
      timing: mondays,
      parameters: { label: 'weekly' },
      overlap: 'buffer',
      catchupWindowSeconds: 600,
    });
    expect(schedule).toMatchObject({
      pipelineName: 'weekly retrain',
      timingText: 'At 07:00, only on Monday (Europe/Paris)',
      parameters: { label: 'weekly' },
      overlap: 'buffer',
      catchupWindowSeconds: 600,
      paused: false,
      pinnedVersion: null,
      lastRun: null,
      inTemporal: true,
    });
    expect(schedule.nextRuns).toHaveLength(5);
    const paris = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    for (const time of schedule.nextRuns) expect(paris.format(time)).toBe('Mon 07:00');
    const weekGaps = schedule.nextRuns
      .slice(1)
      .map((time, index) =>
        Math.round((time.getTime() - (schedule.nextRuns[index]?.getTime() ?? 0)) / 86_400_000),
      );
    expect(weekGaps).toEqual([7, 7, 7, 7]);

    const listed = await callerAs('viewer').schedules.list({ pipelineId: pipeline.id });
    expect(listed.map((each) => each.id)).toEqual([schedule.id]);
    expect(listed[0]?.nextRuns).toEqual(schedule.nextRuns);
    const all = await callerAs('viewer').schedules.list({});
    expect(all.map((each) => each.id)).toContain(schedule.id);
    const got = await callerAs('viewer').schedules.get({ scheduleId: schedule.id });
    expect(got.nextRuns).toEqual(schedule.nextRuns);

    // The audit log names the operator who did it.
    const [entry] = await fixture.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.objectId, schedule.id));
    expect(entry).toMatchObject({ action: 'schedule.created', actorId: actors.get('operator')?.userId });
  });

  it('pauses with a note (no next runs), resumes, and deletes', async () => {
    const pipeline = await labelledPipeline('paused retrain');
    const operator = callerAs('operator');
    const schedule = await operator.schedules.create({
      pipelineId: pipeline.id,
      timing: mondays,
      parameters: { label: 'x' },
    });
    const paused = await operator.schedules.pause({ scheduleId: schedule.id, note: 'source down' });
    expect(paused).toMatchObject({ paused: true, note: 'source down', nextRuns: [] });
    const described = await fixture.worker.client.schedule
      .getHandle(temporalScheduleId(schedule.id))
      .describe();
    expect(described.state).toMatchObject({ paused: true, note: 'source down' });
    const resumed = await operator.schedules.resume({ scheduleId: schedule.id, note: 'back' });
    expect(resumed.paused).toBe(false);
    expect(resumed.nextRuns).toHaveLength(5);

    const edited = await operator.schedules.edit({
      scheduleId: schedule.id,
      changes: { timing: { kind: 'every', amount: 2, unit: 'd' } },
    });
    expect(edited.timingText).toBe('Every 2 days (at 00:00 UTC)');
    // Named after its timing by default, it follows the new one.
    expect(edited.name).toBe('Every 2 days (at 00:00 UTC)');
    const gaps = edited.nextRuns
      .slice(1)
      .map((time, index) => time.getTime() - (edited.nextRuns[index]?.getTime() ?? 0));
    expect(gaps).toEqual([172_800_000, 172_800_000, 172_800_000, 172_800_000]);

    await operator.schedules.delete({ scheduleId: schedule.id });
    expect(await operator.schedules.list({ pipelineId: pipeline.id })).toEqual([]);
    const missing = await rejection(operator.schedules.get({ scheduleId: schedule.id }));
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('runs a schedule now, and backfills a past range with its progress', async () => {
    const pipeline = await labelledPipeline('backfilled retrain');
    const operator = callerAs('operator');
    const schedule = await operator.schedules.create({
      pipelineId: pipeline.id,
      timing: { kind: 'every', amount: 1, unit: 'h' },
      parameters: { label: 'history' },
      // Paused: only the runs asked for below may start.
      paused: true,
    });

    await operator.schedules.trigger({ scheduleId: schedule.id });
    await expect
      .poll(async () => (await operator.schedules.get({ scheduleId: schedule.id })).lastRun?.status, {
        timeout: 45_000,
        interval: 500,
      })
      .toBe('succeeded');

    const hour = 3_600_000;
    const first = Math.floor(Date.now() / hour) * hour - 10 * hour;
    // Half an hour either side of three hourly times.
    const range = { from: new Date(first - hour / 2), to: new Date(first + 2 * hour + hour / 2) };
    const started = await operator.schedules.backfill({
      scheduleId: schedule.id,
      ...range,
      overlap: 'buffer',
    });
    expect(started).toMatchObject({ runs: 3 });
    const progressSince = (since: Date) =>
      callerAs('viewer').schedules.backfillProgress({ scheduleId: schedule.id, ...range, since });
    await expect
      .poll(() => progressSince(started.requestedAt), { timeout: 60_000, interval: 500 })
      .toEqual({ expected: 3, recorded: 3, finished: 3, succeeded: 3, failed: 0 });
    // A second backfill of the same range counts only its own runs, not the first one's.
    const again = await operator.schedules.backfill({ scheduleId: schedule.id, ...range, overlap: 'buffer' });
    expect(await progressSince(again.requestedAt)).toMatchObject({ expected: 3, finished: 0 });
    await expect
      .poll(() => progressSince(again.requestedAt), { timeout: 60_000, interval: 500 })
      .toEqual({ expected: 3, recorded: 3, finished: 3, succeeded: 3, failed: 0 });
    const actions = await fixture.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.objectId, schedule.id));
    expect(actions.map((entry) => entry.action).sort()).toEqual([
      'schedule.backfilled',
      'schedule.backfilled',
      'schedule.created',
      'schedule.triggered',
    ]);
  }, 120_000);

  it('refuses a viewer any change (403) and nothing changes', async () => {
    const pipeline = await labelledPipeline('viewer refused');
    const schedule = await callerAs('operator').schedules.create({
      pipelineId: pipeline.id,
      timing: mondays,
      parameters: { label: 'x' },
    });
    const viewer = callerAs('viewer');
    const [schedulesBefore, auditBefore] = [await scheduleCount(), await auditCount()];

    const refusedCreate = await rejection(
      viewer.schedules.create({ pipelineId: pipeline.id, timing: mondays, parameters: { label: 'x' } }),
    );
    expect(refusedCreate.code).toBe('FORBIDDEN');
    expect(refusedCreate.message).toContain('manage schedules');
    for (const call of [
      viewer.schedules.pause({ scheduleId: schedule.id, note: 'no' }),
      viewer.schedules.trigger({ scheduleId: schedule.id }),
      viewer.schedules.delete({ scheduleId: schedule.id }),
      viewer.schedules.edit({ scheduleId: schedule.id, changes: { overlap: 'allow' } }),
    ]) {
      expect((await rejection(call)).code).toBe('FORBIDDEN');
    }

    expect(await scheduleCount()).toBe(schedulesBefore);
    expect(await auditCount()).toBe(auditBefore);
    const after = await viewer.schedules.get({ scheduleId: schedule.id });
    expect(after).toMatchObject({ paused: false, overlap: 'skip' });
    const inTemporal = await fixture.worker.client.schedule
      .getHandle(temporalScheduleId(schedule.id))
      .describe();
    expect(inTemporal.state.paused).toBe(false);
  });

  it('answers bad input with a 400 naming the field, and changes nothing', async () => {
    const pipeline = await labelledPipeline('bad input');
    const operator = callerAs('operator');
    const [schedulesBefore, auditBefore] = [await scheduleCount(), await auditCount()];

    const badCron = await rejection(
      operator.schedules.create({
        pipelineId: pipeline.id,
        timing: { kind: 'cron', expression: '61 * * * *', timezone: 'UTC' },
        parameters: { label: 'x' },
      }),
    );
    expect(badCron.code).toBe('BAD_REQUEST');
    expect(badCron.message).toMatch(/^timing\.expression: is not a valid cron expression/);
    expect(badCron.message).not.toMatch(/\n\s+at /);

    const badZone = await rejection(
      operator.schedules.create({
        pipelineId: pipeline.id,
        timing: { kind: 'cron', expression: '0 6 * * *', timezone: 'Mars/Olympus' },
      }),
    );
    expect(badZone.code).toBe('BAD_REQUEST');
    expect(badZone.message).toContain('timing.timezone');

    // The service's own refusal (the pipeline needs "label"): a 400 naming parameters, not a 500.
    const missingParameter = await rejection(
      operator.schedules.create({ pipelineId: pipeline.id, timing: mondays }),
    );
    expect(missingParameter.code).toBe('BAD_REQUEST');
    expect(missingParameter.message).toMatch(/^parameters: .*label/);

    expect(await scheduleCount()).toBe(schedulesBefore);
    expect(await auditCount()).toBe(auditBefore);

    const schedule = await operator.schedules.create({
      pipelineId: pipeline.id,
      timing: mondays,
      parameters: { label: 'x' },
    });
    const backwards = await rejection(
      operator.schedules.backfill({
        scheduleId: schedule.id,
        from: new Date('2026-01-02T00:00:00Z'),
        to: new Date('2026-01-01T00:00:00Z'),
      }),
    );
    expect(backwards.code).toBe('BAD_REQUEST');
    expect(backwards.message).toBe('to must be after from');
  });

  it("lists next times worked out from the stored timing that match Temporal's own", async () => {
    // get asks Temporal (describe's nextActionTimes); list works them out itself (firingTimesBetween).
    const pipeline = await labelledPipeline('parity');
    const timings = [
      { kind: 'every', amount: 7, unit: 'm' },
      { kind: 'every', amount: 1, unit: 'd' },
      { kind: 'cron', expression: '*/20 9-17 * * 1-5', timezone: 'America/New_York' },
      { kind: 'cron', expression: '30 2 * * *', timezone: 'Europe/London' },
    ] as const;
    for (const timing of timings) {
      const schedule = await callerAs('operator').schedules.create({
        pipelineId: pipeline.id,
        timing,
        parameters: { label: 'parity' },
      });
      const fromTemporal = await callerAs('viewer').schedules.get({ scheduleId: schedule.id });
      const listed = await callerAs('viewer').schedules.list({ pipelineId: pipeline.id });
      const worked = listed.find((each) => each.id === schedule.id);
      expect(fromTemporal.nextRuns, JSON.stringify(timing)).toHaveLength(5);
      expect(worked?.nextRuns, JSON.stringify(timing)).toEqual(fromTemporal.nextRuns);
    }
  });
});
