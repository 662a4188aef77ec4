import { readFileSync } from 'node:fs';
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveVersion } from '../db/queries/pipelines';
import { auditLog, runSteps, runs, schedules } from '../db/schema';
import { reconcileSchedules } from '../workflows/schedules/reconcile-schedules';
import { InvalidScheduleError } from '../workflows/schedules/schedule-inputs';
import {
  backfillProgress,
  backfillSchedule,
  createSchedule,
  describeSchedule,
  editSchedule,
  pauseSchedule,
  removeSchedule,
  type ScheduleActor,
  type ScheduleServiceDeps,
  triggerSchedule,
} from '../workflows/schedules/schedule-service';
import { temporalScheduleId } from '../workflows/schedules/temporal-schedule';
import { setUpDatabaseAndWorker } from './support/fixture';
import { specOfWithTestNodes } from './support/nodes/specs';
import { pipelineDoc } from './support/pipeline-doc';
import { runRow, runToEnd, savePipeline } from './support/pipelines';
import { deleteSchedulesAfterAll } from './support/schedule-cleanup';

const fixture = setUpDatabaseAndWorker();
deleteSchedulesAfterAll(fixture);
let deps: ScheduleServiceDeps;
const actor: ScheduleActor = { actorKind: 'cli', actorId: null, actorEmail: null, ipAddress: null };

beforeAll(() => {
  deps = {
    db: fixture.database.db,
    temporal: fixture.worker.client,
    taskQueue: fixture.worker.taskQueue,
    specOf: specOfWithTestNodes,
  };
});

/** source (its value: $scheduledTime) → transform (its message: the "label" parameter, sleeping sleepMs). */
async function scheduledPipeline(name: string, sleepMs = 0) {
  const doc = pipelineDoc(
    [
      { id: 'source', type: 'test.source', config: { value: { $param: '$scheduledTime' } } },
      { id: 'work', type: 'test.transform', config: { sleepMs, failMessage: { $param: 'label' } } },
    ],
    ['source.out->work.in'],
    [{ name: 'label', type: 'string', description: '' }],
  );
  return savePipeline(fixture.database.db, doc, name);
}

type ScheduleInput = Parameters<typeof createSchedule>[2];

/** A schedule of the pipeline with this timing, its runs labelled `label`, and any other settings. */
function scheduleOf(
  pipelineId: string,
  timing: ScheduleInput['timing'],
  label: string,
  settings: Omit<ScheduleInput, 'pipelineId' | 'timing' | 'parameters'> = {},
) {
  return createSchedule(deps, actor, { pipelineId, timing, parameters: { label }, ...settings });
}

async function scheduleRuns(pipelineId: string) {
  return fixture.database.db
    .select()
    .from(runs)
    .where(and(eq(runs.pipelineId, pipelineId), eq(runs.trigger, 'schedule')))
    .orderBy(asc(runs.startedAt));
}

type ScheduleRun = Awaited<ReturnType<typeof scheduleRuns>>[number];

/**
 * Polls the pipeline's scheduled runs, oldest first, seen through `view`, every half second until
 * the matcher chained on it holds or `timeout` passes.
 */
function pollScheduleRuns<T>(pipelineId: string, view: (runs: ScheduleRun[]) => T, timeout: number) {
  return expect.poll(async () => view(await scheduleRuns(pipelineId)), { timeout, interval: 500 });
}

function scheduledTimeOf(run: { parameters: unknown }): string {
  const parameters = run.parameters;
  if (typeof parameters !== 'object' || parameters === null || !('$scheduledTime' in parameters)) return '';
  return String(parameters.$scheduledTime);
}

/** What the source step wrote: its config's value, which references $scheduledTime. */
async function sourceValue(runId: string): Promise<unknown> {
  const [step] = await fixture.database.db
    .select()
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), eq(runSteps.nodeId, 'source')));
  const outputs = step?.outputs;
  const uri =
    typeof outputs === 'object' && outputs !== null && 'out' in outputs && typeof outputs.out === 'object'
      ? Reflect.get(outputs.out ?? {}, 'uri')
      : undefined;
  if (typeof uri !== 'string') return undefined;
  return JSON.parse(readFileSync(new URL(uri), 'utf8')).value;
}

describe('schedules', () => {
  it('fires every 10 seconds with its parameters, trigger "schedule" and $scheduledTime; pause stops it', async () => {
    const { pipeline } = await scheduledPipeline('every ten seconds');
    const schedule = await scheduleOf(pipeline.id, { kind: 'every', amount: 10, unit: 's' }, 'nightly');
    expect(schedule.timingText).toBe('Every 10 seconds');
    expect(schedule.nextRuns).toHaveLength(5);
    const gaps = schedule.nextRuns
      .slice(1)
      .map((time, index) => time.getTime() - (schedule.nextRuns[index]?.getTime() ?? 0));
    expect(gaps).toEqual([10_000, 10_000, 10_000, 10_000]);

    await pollScheduleRuns(
      pipeline.id,
      (all) => all.filter((run) => run.status === 'succeeded').length,
      45_000,
    ).toBeGreaterThanOrEqual(2);
    const fired = (await scheduleRuns(pipeline.id)).filter((run) => run.status === 'succeeded');
    for (const run of fired) {
      expect(run.trigger).toBe('schedule');
      expect(run.scheduleId).toBe(schedule.id);
      expect(run.parameters).toMatchObject({ label: 'nightly' });
      const due = scheduledTimeOf(run);
      // Every 10 seconds fires on whole tens of seconds since the epoch.
      expect(new Date(due).getTime() % 10_000).toBe(0);
      expect(await sourceValue(run.id)).toBe(due);
    }
    expect(new Set(fired.map(scheduledTimeOf)).size).toBe(fired.length);

    const paused = await pauseSchedule(deps, actor, schedule.id, 'data source down');
    expect(paused).toMatchObject({ paused: true, note: 'data source down', nextRuns: [] });
    expect(paused.lastRun?.id).toBe((await scheduleRuns(pipeline.id)).at(-1)?.id);
    const inTemporal = await fixture.worker.client.schedule
      .getHandle(temporalScheduleId(schedule.id))
      .describe();
    expect(inTemporal.state).toMatchObject({ paused: true, note: 'data source down' });
    // Whatever fired before the pause finishes; then the count must hold past two more firings.
    await pollScheduleRuns(pipeline.id, (all) => all.every((run) => run.status === 'succeeded'), 20_000).toBe(
      true,
    );
    const countAtPause = (await scheduleRuns(pipeline.id)).length;
    const actionsAtPause = inTemporal.info.numActionsTaken;
    // Showing that nothing happens needs time to pass: two firings' worth, then the counts are read.
    const twoFiringsLater = Date.now() + 21_000;
    await expect.poll(() => Date.now() > twoFiringsLater, { timeout: 25_000, interval: 1_000 }).toBe(true);
    expect((await scheduleRuns(pipeline.id)).length).toBe(countAtPause);
    const later = await fixture.worker.client.schedule.getHandle(temporalScheduleId(schedule.id)).describe();
    expect(later.info.numActionsTaken).toBe(actionsAtPause);

    const entries = await fixture.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.objectId, schedule.id));
    expect(entries.map((entry) => entry.action).sort()).toEqual(['schedule.created', 'schedule.paused']);
  }, 120_000);

  it('backfills a range of five intervals as five runs, each with its scheduled time', async () => {
    const { pipeline } = await scheduledPipeline('backfilled');
    const schedule = await scheduleOf(pipeline.id, { kind: 'every', amount: 1, unit: 'h' }, 'history');
    const hour = 3_600_000;
    const first = Math.floor(Date.now() / hour) * hour - 10 * hour;
    const due = [0, 1, 2, 3, 4].map((index) => new Date(first + index * hour).toISOString());
    // Half an hour either side: the range holds exactly five hourly times whatever its ends include.
    const range = {
      from: new Date(first - hour / 2).toISOString(),
      to: new Date(first + 4 * hour + hour / 2).toISOString(),
    };
    expect(await backfillSchedule(deps, actor, schedule.id, { ...range, overlap: 'allow' })).toMatchObject({
      runs: 5,
    });
    await expect
      .poll(async () => backfillProgress(deps, schedule.id, range), { timeout: 45_000, interval: 500 })
      .toEqual({ expected: 5, recorded: 5, finished: 5, succeeded: 5, failed: 0 });
    const backfilled = await scheduleRuns(pipeline.id);
    expect(backfilled.map(scheduledTimeOf).sort()).toEqual(due);
    for (const run of backfilled) {
      expect(run.parameters).toMatchObject({ label: 'history' });
      expect(await sourceValue(run.id)).toBe(scheduledTimeOf(run));
    }
  }, 90_000);

  it('refuses a backfill range with no firing, or with more than 500', async () => {
    const { pipeline } = await scheduledPipeline('backfill refused');
    const schedule = await scheduleOf(pipeline.id, { kind: 'every', amount: 1, unit: 'd' }, 'x', {
      paused: true,
    });
    const day = 86_400_000;
    const midnight = Math.floor(Date.now() / day) * day;
    await expect(
      backfillSchedule(deps, actor, schedule.id, {
        from: new Date(midnight - day + 1_000).toISOString(),
        to: new Date(midnight - 1_000).toISOString(),
      }),
    ).rejects.toThrow('from and to hold no time this schedule fires at');
    await expect(
      backfillSchedule(deps, actor, schedule.id, {
        from: new Date(midnight - 600 * day).toISOString(),
        to: new Date(midnight).toISOString(),
      }),
    ).rejects.toThrow(
      'from and to hold more than 500 times this schedule fires at: backfill a shorter range',
    );
    await expect(
      backfillSchedule(deps, actor, schedule.id, {
        from: '2026-01-02T00:00:00Z',
        to: '2026-01-01T00:00:00Z',
      }),
    ).rejects.toThrow('to must be after from');
  });

  it('gives a run started by hand its start time as $scheduledTime', async () => {
    const { version } = await scheduledPipeline('by hand');
    const before = Date.now();
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id, {
      parameters: { label: 'x' },
    });
    expect(result.status).toBe('succeeded');
    const value = await sourceValue(started.runId);
    expect(typeof value).toBe('string');
    const at = new Date(String(value)).getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    // Not written into the run's parameters: a manual run's are what its starter gave.
    expect((await runRow(fixture.database.db, started.runId))?.parameters).toEqual({ label: 'x' });
  });

  it('skips firings while a slow run goes under overlap "skip"', async () => {
    const { pipeline } = await scheduledPipeline('slow', 12_000);
    const schedule = await scheduleOf(pipeline.id, { kind: 'every', amount: 5, unit: 's' }, 'slow', {
      overlap: 'skip',
    });
    await pollScheduleRuns(pipeline.id, (all) => all.some((run) => run.status === 'succeeded'), 45_000).toBe(
      true,
    );
    await pauseSchedule(deps, actor, schedule.id, 'test over');
    const all = await scheduleRuns(pipeline.id);
    const firstDone = all.find((run) => run.status === 'succeeded');
    const finishedAt = firstDone?.finishedAt?.getTime() ?? 0;
    // The slow run took at least 12 s, over two firings: none of them started a run beside it.
    expect(finishedAt - (firstDone?.startedAt.getTime() ?? 0)).toBeGreaterThanOrEqual(12_000);
    expect(all.filter((run) => run.startedAt.getTime() < finishedAt)).toHaveLength(1);
    const described = await fixture.worker.client.schedule
      .getHandle(temporalScheduleId(schedule.id))
      .describe();
    expect(described.info.numActionsSkippedOverlap).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('cancels the running run when the next firing comes under overlap "cancel"', async () => {
    const { pipeline } = await scheduledPipeline('cancelled', 60_000);
    const schedule = await scheduleOf(pipeline.id, { kind: 'every', amount: 5, unit: 's' }, 'cancel', {
      overlap: 'cancel',
    });
    // The schedule's workflow is cancelled, and with it its child: the run ends cancelled, recorded.
    await pollScheduleRuns(pipeline.id, (all) => all.map((run) => run.status).slice(0, 2), 30_000).toEqual([
      'cancelled',
      'running',
    ]);
    await pauseSchedule(deps, actor, schedule.id, 'test over');
    const [first] = await scheduleRuns(pipeline.id);
    expect(first?.error).toBe('Run cancelled');
    for (const run of await scheduleRuns(pipeline.id)) {
      if (run.status === 'running' || run.status === 'queued') {
        await fixture.worker.client.workflow.getHandle(run.workflowId).cancel();
      }
    }
  }, 60_000);

  it('recreates a schedule deleted from Temporal from its row, paused and all', async () => {
    const { pipeline } = await scheduledPipeline('reconciled');
    const schedule = await scheduleOf(
      pipeline.id,
      { kind: 'cron', expression: '0 6 * * 1', timezone: 'Europe/Paris' },
      'weekly',
      { paused: true, note: 'waiting for data' },
    );
    const handle = fixture.worker.client.schedule.getHandle(temporalScheduleId(schedule.id));
    await handle.delete();
    expect(await describeSchedule(deps, schedule.id)).toMatchObject({ inTemporal: false, nextRuns: [] });

    const result = await reconcileSchedules(deps);
    expect(result.recreated).toContain(schedule.id);
    expect(result.failed).toEqual([]);
    const recreated = await handle.describe();
    expect(recreated.state).toMatchObject({ paused: true, note: 'waiting for data' });
    expect(recreated.spec.timezone).toBe('Europe/Paris');
    const described = await describeSchedule(deps, schedule.id);
    expect(described.inTemporal).toBe(true);
    expect(described.timingText).toBe('At 06:00, only on Monday (Europe/Paris)');
    // A second pass finds nothing missing.
    expect((await reconcileSchedules(deps)).recreated).not.toContain(schedule.id);
    const [entry] = await fixture.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.objectId, schedule.id), eq(auditLog.action, 'schedule.recreated')));
    expect(entry).toMatchObject({ actorKind: 'system', objectType: 'schedule' });
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const { pipeline } = await scheduledPipeline('refused');
    const before = await fixture.database.db
      .select()
      .from(schedules)
      .where(eq(schedules.pipelineId, pipeline.id));
    // Parsed from JSON, as a request body arrives: the service checks what the types cannot.
    const attempt = (input: Record<string, unknown>) =>
      createSchedule(
        deps,
        actor,
        JSON.parse(JSON.stringify({ pipelineId: pipeline.id, parameters: { label: 'x' }, ...input })),
      );
    await expect(attempt({ timing: { kind: 'cron', expression: '61 * * * *' } })).rejects.toThrow(
      /timing\.expression is not a valid cron expression/,
    );
    await expect(attempt({ timing: { kind: 'cron', expression: '0 6 * * * 2027' } })).rejects.toThrow(
      /timing\.expression must have five fields/,
    );
    await expect(
      attempt({ timing: { kind: 'cron', expression: '0 6 * * *', timezone: 'Mars/Olympus' } }),
    ).rejects.toThrow(/timing\.timezone "Mars\/Olympus" is not a known time zone/);
    await expect(attempt({ timing: { kind: 'every', amount: 1, unit: 'w' } })).rejects.toThrow(
      /timing\.unit must be one of/,
    );
    await expect(attempt({ timing: { kind: 'every', amount: 1, unit: 's' } })).rejects.toThrow(
      /timing\.amount must make an interval/,
    );
    await expect(
      attempt({ timing: { kind: 'every', amount: 1, unit: 'h' }, overlap: 'sometimes' }),
    ).rejects.toThrow(/overlap must be one of skip, buffer, cancel, allow/);
    await expect(
      createSchedule(deps, actor, {
        pipelineId: pipeline.id,
        timing: { kind: 'every', amount: 1, unit: 'h' },
      }),
    ).rejects.toThrow(/parameters: Parameter "label" needs a value/);
    await expect(
      attempt({ timing: { kind: 'every', amount: 1, unit: 'h' }, catchupWindowSeconds: 5 }),
    ).rejects.toThrow(InvalidScheduleError);
    const after = await fixture.database.db
      .select()
      .from(schedules)
      .where(eq(schedules.pipelineId, pipeline.id));
    expect(after).toEqual(before);
  });

  it('records a failed run saying why when the latest version no longer compiles', async () => {
    const { pipeline } = await scheduledPipeline('broken later');
    const schedule = await scheduleOf(pipeline.id, { kind: 'every', amount: 1, unit: 'd' }, 'x', {
      paused: true,
    });
    // A later save uses a parameter the schedule has no value for.
    await saveVersion(fixture.database.db, {
      pipelineId: pipeline.id,
      graph: pipelineDoc(
        [{ id: 'source', type: 'test.source', config: { value: { $param: 'region' } } }],
        [],
        [{ name: 'region', type: 'string', description: '' }],
      ),
    });
    await triggerSchedule(deps, actor, schedule.id);
    await pollScheduleRuns(pipeline.id, (all) => all.map((run) => [run.status, run.error]), 30_000).toEqual([
      [
        'failed',
        'The pipeline cannot run: Parameter "region" needs a value; This pipeline has no parameter "label"',
      ],
    ]);
  });

  it('edits the Temporal schedule and the row together; a refused edit changes neither', async () => {
    const { pipeline } = await scheduledPipeline('edited');
    const schedule = await scheduleOf(pipeline.id, { kind: 'every', amount: 1, unit: 'd' }, 'x', {
      paused: true,
    });
    const handle = fixture.worker.client.schedule.getHandle(temporalScheduleId(schedule.id));
    const edited = await editSchedule(deps, actor, schedule.id, {
      timing: { kind: 'cron', expression: '30 7 * * 1-5', timezone: 'America/New_York' },
      overlap: 'cancel',
      catchupWindowSeconds: 600,
      parameters: { label: 'weekday' },
    });
    expect(edited).toMatchObject({
      overlap: 'cancel',
      catchupWindowSeconds: 600,
      parameters: { label: 'weekday' },
      timingText: 'At 07:30, Monday through Friday (America/New_York)',
      paused: true,
    });
    const inTemporal = await handle.describe();
    expect(inTemporal.policies).toMatchObject({ overlap: 'CANCEL_OTHER', catchupWindow: 600_000 });
    expect(inTemporal.spec.timezone).toBe('America/New_York');
    expect(inTemporal.state.paused).toBe(true);

    const rowBefore = await fixture.database.db.select().from(schedules).where(eq(schedules.id, schedule.id));
    await expect(editSchedule(deps, actor, schedule.id, { parameters: { nope: 1 } })).rejects.toThrow(
      /parameters: .*no parameter "nope"/,
    );
    await expect(
      editSchedule(deps, actor, schedule.id, JSON.parse('{"timing":{"kind":"every","amount":0,"unit":"m"}}')),
    ).rejects.toThrow(/timing\.amount must be at least 1/);
    expect(await fixture.database.db.select().from(schedules).where(eq(schedules.id, schedule.id))).toEqual(
      rowBefore,
    );
    expect((await handle.describe()).policies.overlap).toBe('CANCEL_OTHER');
    const actions = await fixture.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.objectId, schedule.id));
    expect(actions.map((entry) => entry.action).sort()).toEqual(['schedule.created', 'schedule.updated']);
  });

  it('deletes the Temporal schedule and the row', async () => {
    const { pipeline } = await scheduledPipeline('deleted');
    const schedule = await scheduleOf(pipeline.id, { kind: 'every', amount: 1, unit: 'd' }, 'gone');
    await removeSchedule(deps, actor, schedule.id);
    await expect(
      fixture.worker.client.schedule.getHandle(temporalScheduleId(schedule.id)).describe(),
    ).rejects.toThrow();
    expect(await fixture.database.db.select().from(schedules).where(eq(schedules.id, schedule.id))).toEqual(
      [],
    );
  });
});
