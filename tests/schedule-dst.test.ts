/**
 * Cron schedules across daylight-saving changes, against a real Temporal server: the times
 * firingTimesBetween works out (lists, backfill counts) must be the times Temporal fires at. The
 * server only tells the next ten times from now (describe's nextActionTimes), so each expression
 * names the date of the zone's next clock change, and its first times fall on that day.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { firingTimesBetween, type Timing, timingSchema } from '../workflows/schedules/timing';
import { wallClockAt } from '../workflows/schedules/zone-clock';

let connection: Connection;
let client: Client;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, namespace: inject('temporalNamespace') });
});

afterAll(async () => {
  await connection?.close();
});

const HOUR_MS = 3_600_000;

/**
 * Temporal's next times for a cron timing, from a paused schedule with the spec
 * workflows/schedules/temporal-schedule.ts writes, and the moment they count from.
 */
async function temporalNextTimes(
  expression: string,
  timezone: string,
): Promise<{ from: Date; times: string[] }> {
  const from = new Date();
  const handle = await client.schedule.create({
    scheduleId: `dst-${randomUUID()}`,
    spec: { cronExpressions: [expression], timezone },
    action: {
      type: 'startWorkflow',
      workflowType: 'scheduledRunWorkflow',
      taskQueue: `dst-${randomUUID()}`,
      args: [],
    },
    state: { paused: true },
  });
  try {
    const described = await handle.describe();
    return { from, times: described.info.nextActionTimes.map((time) => time.toISOString()) };
  } finally {
    await handle.delete();
  }
}

/** firingTimesBetween's first `count` times after `from`, as the schedule list asks for them. */
function workedOut(timing: Timing, from: Date, count: number): string[] {
  const after = new Date(from.getTime() + 1);
  return firingTimesBetween(timing, after, new Date('2101-01-01T00:00:00Z'), count)
    .slice(0, count)
    .map((time) => time.toISOString());
}

/** Temporal's next times and ours for the expression, which must agree. */
async function compare(expression: string, timezone: string): Promise<string[]> {
  const timing = timingSchema.parse({ kind: 'cron', expression, timezone });
  const temporal = await temporalNextTimes(expression, timezone);
  expect(workedOut(timing, temporal.from, temporal.times.length), `${expression} (${timezone})`).toEqual(
    temporal.times,
  );
  return temporal.times;
}

function offsetMinutesAt(instant: number, zone: string): number {
  const clock = wallClockAt(instant / 1000, zone);
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return (asUtc - instant) / 60_000;
}

interface ClockChange {
  /** The first minute under the new offset. */
  at: Date;
  /** Local date of the change, for a cron's day-of-month and month fields. */
  day: number;
  month: number;
  /** The local hour the clocks skip (forward) or repeat (back); 0 when midnight is skipped. */
  hour: number;
}

/**
 * The zone's change of offset in that direction nearest to now, the next one or (`past`) the last
 * one, found to the minute.
 */
function clockChange(zone: string, direction: 'forward' | 'back', past = false): ClockChange {
  const step = past ? -HOUR_MS : HOUR_MS;
  let hour = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS;
  for (let hours = 0; hours < 400 * 24; hours += 1, hour += step) {
    const change = offsetMinutesAt(hour + HOUR_MS, zone) - offsetMinutesAt(hour, zone);
    if (direction === 'forward' ? change <= 0 : change >= 0) continue;
    let at = hour;
    while (offsetMinutesAt(at, zone) === offsetMinutesAt(hour, zone)) at += 60_000;
    const after = wallClockAt(at / 1000, zone);
    const before = wallClockAt(at / 1000 - 1, zone);
    const hourChanged = direction === 'forward' ? (before.hour + 1) % 24 : after.hour;
    return { at: new Date(at), day: after.day, month: after.month, hour: hourChanged };
  }
  throw new Error(`${zone} changes no clocks ${direction} within 400 days of now`);
}

const iso = (time: number) => new Date(time).toISOString();

describe('cron schedules at clock changes, against Temporal', () => {
  it('do not fire a time the spring-forward skips', async () => {
    for (const zone of ['Europe/Paris', 'America/New_York']) {
      const change = clockChange(zone, 'forward');
      expect(change.hour, zone).toBe(2);
      // 02:30 on the change's date every year: Temporal leaves out the year of the change.
      const times = await compare(`30 2 ${change.day} ${change.month} *`, zone);
      expect(times, zone).toHaveLength(10);
      const changeDay = change.at.toISOString().slice(0, 10);
      expect(
        times.some((time) => time.startsWith(changeDay)),
        `${zone}: ${times.join(' ')}`,
      ).toBe(false);
      expect(new Date(times[0] ?? '').getUTCFullYear(), zone).toBe(change.at.getUTCFullYear() + 1);
    }
  });

  it('fire both copies of an hour a fall-back repeats west of Greenwich (New York)', async () => {
    const change = clockChange('America/New_York', 'back');
    const times = await compare(`*/30 ${change.hour} ${change.day} ${change.month} *`, 'America/New_York');
    const at = change.at.getTime();
    // 01:00 and 01:30 EDT, then 01:00 and 01:30 EST.
    expect(times.slice(0, 4)).toEqual([
      iso(at - HOUR_MS),
      iso(at - HOUR_MS / 2),
      iso(at),
      iso(at + HOUR_MS / 2),
    ]);
    const hourly = await compare(`0 * ${change.day} ${change.month} *`, 'America/New_York');
    expect(hourly).toEqual(expect.arrayContaining([iso(at - HOUR_MS), iso(at), iso(at + HOUR_MS)]));
  });

  it('fire the later copy of a repeated hour east of Greenwich, then an hour late (Paris)', async () => {
    const change = clockChange('Europe/Paris', 'back');
    const times = await compare(`*/30 ${change.hour} ${change.day} ${change.month} *`, 'Europe/Paris');
    const at = change.at.getTime();
    // 02:00 CET, then 03:30 CET: not 02:00 and 02:30 CEST, nor 02:30 CET.
    expect(times.slice(0, 2)).toEqual([iso(at), iso(at + 1.5 * HOUR_MS)]);
    // Hourly, 02:00 CEST fires and 02:00 CET does not.
    const hourly = await compare(`0 * ${change.day} ${change.month} *`, 'Europe/Paris');
    expect(hourly).toEqual(expect.arrayContaining([iso(at - HOUR_MS), iso(at + HOUR_MS)]));
    expect(hourly).not.toContain(iso(at));
  });

  it('agree around both changes in zones with odd rules', async () => {
    // London is UTC itself in winter, Lord Howe moves by half an hour, Santiago and Havana
    // change at midnight, Chatham and St John's are off the hour, Sydney is southern.
    const zones = [
      'Europe/London',
      'Australia/Lord_Howe',
      'America/Santiago',
      'America/Havana',
      'Pacific/Chatham',
      'America/St_Johns',
      'Australia/Sydney',
    ];
    const checks = zones.flatMap((zone) =>
      (['forward', 'back'] as const).flatMap((direction) => {
        const change = clockChange(zone, direction);
        const hours = [...new Set([(change.hour + 23) % 24, change.hour, (change.hour + 1) % 24])].join(',');
        const date = `${change.day} ${change.month}`;
        return [`*/30 ${hours} ${date} *`, `0 * ${date} *`, `0 0 ${date} *`].map((expression) =>
          compare(expression, zone),
        );
      }),
    );
    await Promise.all(checks);
  });

  it('are stored under the zone name Temporal knows, whatever case it was given in', async () => {
    const refused = temporalNextTimes('0 6 * * *', 'europe/paris');
    await expect(refused).rejects.toThrow(/unknown time zone europe\/paris/);
    const timing = timingSchema.parse({ kind: 'cron', expression: '0 6 * * *', timezone: 'europe/paris' });
    expect(timing).toMatchObject({ timezone: 'Europe/Paris' });
    const times = await compare('0 6 * * *', 'Europe/Paris');
    expect(times).toHaveLength(10);
  });

  it('backfill the times firingTimesBetween counts over the last clock changes', async () => {
    for (const [zone, direction, hour] of [
      ['Europe/Paris', 'back', 2],
      ['America/New_York', 'back', 1],
      ['Europe/Paris', 'forward', 2],
    ] as const) {
      const change = clockChange(zone, direction, true);
      const from = new Date(change.at.getTime() - 30 * HOUR_MS);
      const to = new Date(change.at.getTime() + 30 * HOUR_MS);
      const timing = timingSchema.parse({ kind: 'cron', expression: `*/30 ${hour} * * *`, timezone: zone });
      const expected = firingTimesBetween(timing, from, to, 100).map((time) => time.toISOString());
      const started = await backfilled(timing, from, to, expected.length);
      expect(started, `${zone} ${direction}`).toEqual(expected);
    }
  });
});

/**
 * The times Temporal starts runs at when a schedule with the timing backfills [from, to]: the
 * schedule's recent actions once it has taken `count` (or by a deadline, too few). The started
 * workflows wait on a queue no worker polls, and are terminated after.
 */
async function backfilled(timing: Timing, from: Date, to: Date, count: number): Promise<string[]> {
  if (timing.kind !== 'cron') throw new Error('a cron timing is expected');
  const handle = await client.schedule.create({
    scheduleId: `dst-${randomUUID()}`,
    spec: { cronExpressions: [timing.expression], timezone: timing.timezone },
    action: {
      type: 'startWorkflow',
      workflowType: 'scheduledRunWorkflow',
      taskQueue: `dst-${randomUUID()}`,
      args: [],
    },
    policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL },
  });
  try {
    await handle.backfill({ start: from, end: to, overlap: ScheduleOverlapPolicy.ALLOW_ALL });
    const deadline = Date.now() + 20_000;
    let described = await handle.describe();
    while (described.info.numActionsTaken < count && Date.now() < deadline) {
      described = await handle.describe();
    }
    await Promise.all(
      described.info.recentActions.map((action) =>
        client.workflow.getHandle(action.action.workflow.workflowId).terminate('test over'),
      ),
    );
    return described.info.recentActions.map((action) => action.scheduledAt.toISOString()).sort();
  } finally {
    await handle.delete();
  }
}
