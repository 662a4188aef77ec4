import { describe, expect, it } from 'vitest';
import { createScheduleSchema } from './schedule-inputs';
import {
  cronPresets,
  cronProblem,
  defaultCatchupSeconds,
  describeTiming,
  firingTimesBetween,
  parseEvery,
  type Timing,
  timingSchema,
} from './timing';

/** The firing times in [from, to] as ISO strings, for readable expectations. */
function firings(timing: Timing, from: string, to: string): string[] {
  return firingTimesBetween(timing, new Date(from), new Date(to), 100).map((time) => time.toISOString());
}

const cron = (expression: string, timezone: string): Timing => ({ kind: 'cron', expression, timezone });

describe('schedule timing', () => {
  it('describes intervals and cron expressions in plain words', () => {
    expect(describeTiming({ kind: 'every', amount: 1, unit: 'h' })).toBe('Every hour');
    expect(describeTiming({ kind: 'every', amount: 10, unit: 'm' })).toBe('Every 10 minutes');
    expect(describeTiming({ kind: 'every', amount: 1, unit: 'd' })).toBe('Every day (at 00:00 UTC)');
    expect(describeTiming({ kind: 'every', amount: 7, unit: 'd' })).toBe('Every 7 days (at 00:00 UTC)');
    expect(describeTiming({ kind: 'cron', expression: cronPresets['daily-0600'], timezone: 'UTC' })).toBe(
      'At 06:00 (UTC)',
    );
    expect(
      describeTiming({ kind: 'cron', expression: cronPresets['mondays-0700'], timezone: 'Europe/Paris' }),
    ).toBe('At 07:00, only on Monday (Europe/Paris)');
  });

  it('takes five-field cron expressions only, and says what is wrong with others', () => {
    expect(cronProblem('*/15 6-18 * * 1-5')).toBeUndefined();
    expect(cronProblem('0 6 * * * 2027')).toMatch(/must have five fields/);
    expect(cronProblem('@daily')).toMatch(/must have five fields/);
    expect(cronProblem('0 25 * * *')).toMatch(/is not a valid cron expression/);
    expect(cronProblem('0 6 1-7 * 1')).toMatch(/day of the month or the day of the week, not both/);
    expect(cronProblem('0 6 1 * *')).toBeUndefined();
    expect(cronProblem('0 6 * JAN-mar mon-FRI')).toBeUndefined();
    expect(cronProblem('0 6 * * 7')).toBeUndefined();
  });

  it('refuses what Temporal would refuse, though croner takes it', () => {
    expect(cronProblem('0 6 L * *')).toBe(
      'is not a valid cron expression: day of month must be between 1 and 31 (got "L")',
    );
    expect(cronProblem('0 6 * * 5#2')).toBe(
      'is not a valid cron expression: day of week must be between 0 and 7 (got "5#2")',
    );
    expect(cronProblem('0 6 ? * *')).toMatch(/day of month must be between 1 and 31/);
    expect(cronProblem('*/0 6 * * *')).toMatch(/minute has a step that is not a whole number of at least 1/);
    expect(cronProblem('0 6-2 * * *')).toMatch(/hour range "6-2" ends before it starts/);
    expect(cronProblem('0 6 1/2/3 * *')).toMatch(/too many slashes/);
  });

  it('defaults the time zone to UTC and refuses an unknown one', () => {
    expect(timingSchema.parse({ kind: 'cron', expression: '0 6 * * *' })).toEqual({
      kind: 'cron',
      expression: '0 6 * * *',
      timezone: 'UTC',
    });
    const refused = timingSchema.safeParse({
      kind: 'cron',
      expression: '0 6 * * *',
      timezone: 'Nowhere/Else',
    });
    expect(refused.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['timezone', '"Nowhere/Else" is not a known time zone (e.g. UTC, Europe/Paris)'],
    ]);
    // Each field is checked on its own: both problems are told at once.
    const both = timingSchema.safeParse({ kind: 'cron', expression: '61 * * * *', timezone: 'Nowhere/Else' });
    expect(both.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['expression', 'timezone']);
  });

  it('stores the canonical spelling of a time zone, which Temporal (Go) needs', () => {
    const read = (timezone: string) =>
      timingSchema.parse({ kind: 'cron', expression: '0 6 * * *', timezone });
    expect(read('europe/paris')).toEqual({ kind: 'cron', expression: '0 6 * * *', timezone: 'Europe/Paris' });
    expect(read(' EUROPE/PARIS ')).toMatchObject({ timezone: 'Europe/Paris' });
    expect(read('utc')).toMatchObject({ timezone: 'UTC' });
    expect(read('america/new_york')).toMatchObject({ timezone: 'America/New_York' });
    // Every path reads timings through this schema: a schedule's input does too.
    const input = createScheduleSchema.parse({
      pipelineId: '5b0c1f0e-4a57-4a8e-9c4b-1c2d3e4f5a6b',
      timing: { kind: 'cron', expression: '0 6 * * *', timezone: 'asia/tokyo' },
    });
    expect(input.timing).toMatchObject({ timezone: 'Asia/Tokyo' });
  });

  it('reads --every as a number and a unit', () => {
    expect(parseEvery('10m')).toEqual({ kind: 'every', amount: 10, unit: 'm' });
    expect(parseEvery('2d')).toEqual({ kind: 'every', amount: 2, unit: 'd' });
    expect(() => parseEvery('10w')).toThrow('--every must be a number and a unit s, m, h or d');
    expect(() => parseEvery('1s')).toThrow(/between 5 seconds and 366 days/);
  });

  it('counts `from` itself and stops at `to`', () => {
    const daily = cron('0 6 * * *', 'UTC');
    expect(firings(daily, '2027-01-01T06:00:00Z', '2027-01-03T06:00:00Z')).toEqual([
      '2027-01-01T06:00:00.000Z',
      '2027-01-02T06:00:00.000Z',
      '2027-01-03T06:00:00.000Z',
    ]);
    expect(firings(daily, '2027-01-01T06:00:00.001Z', '2027-01-02T05:59:59Z')).toEqual([]);
    expect(firingTimesBetween(cron('* * * * *', 'UTC'), new Date(0), new Date(86_400_000), 3)).toHaveLength(
      4,
    );
  });

  it('fires intervals of days at 00:00 UTC, on multiples since the epoch', () => {
    expect(
      firings({ kind: 'every', amount: 7, unit: 'd' }, '2027-01-01T00:00:00Z', '2027-01-15T00:00:00Z'),
    ).toEqual(
      // 1970-01-01 was a Thursday, and so are these.
      ['2027-01-07T00:00:00.000Z', '2027-01-14T00:00:00.000Z'],
    );
  });

  // Temporal's own times for these were read from a real server (tests/schedule-dst.test.ts
  // checks the same rule against it on the next clock changes).
  describe('at clock changes, as Temporal fires', () => {
    it('does not fire a time the spring-forward skips (croner fires at 03:00 instead)', () => {
      expect(
        firings(cron('30 2 * * *', 'Europe/Paris'), '2027-03-27T00:00:00Z', '2027-03-29T12:00:00Z'),
      ).toEqual([
        '2027-03-27T01:30:00.000Z', // 02:30 CET
        '2027-03-29T00:30:00.000Z', // 02:30 CEST; nothing on the 28th
      ]);
      expect(
        firings(cron('30 2 * * *', 'America/New_York'), '2027-03-13T00:00:00Z', '2027-03-15T12:00:00Z'),
      ).toEqual(['2027-03-13T07:30:00.000Z', '2027-03-15T06:30:00.000Z']);
      expect(
        firings(cron('30 2 * 3 0', 'Europe/Paris'), '2027-03-20T00:00:00Z', '2027-04-05T00:00:00Z'),
      ).toEqual(['2027-03-21T01:30:00.000Z']);
    });

    it('fires both copies of a repeated hour west of Greenwich', () => {
      expect(
        firings(cron('*/30 1 * * *', 'America/New_York'), '2027-11-07T00:00:00Z', '2027-11-07T23:00:00Z'),
      ).toEqual([
        '2027-11-07T05:00:00.000Z', // 01:00 EDT
        '2027-11-07T05:30:00.000Z',
        '2027-11-07T06:00:00.000Z', // 01:00 EST
        '2027-11-07T06:30:00.000Z',
      ]);
      expect(
        firings(cron('0 * * * *', 'America/New_York'), '2027-11-07T04:00:00Z', '2027-11-07T07:00:00Z'),
      ).toEqual([
        '2027-11-07T04:00:00.000Z',
        '2027-11-07T05:00:00.000Z',
        '2027-11-07T06:00:00.000Z',
        '2027-11-07T07:00:00.000Z',
      ]);
    });

    it("east of Greenwich fires the repeated hour's later copy, then an hour late", () => {
      expect(
        firings(cron('*/30 2 * * *', 'Europe/Paris'), '2027-10-30T00:00:00Z', '2027-11-01T12:00:00Z'),
      ).toEqual([
        '2027-10-30T00:00:00.000Z', // 02:00 CEST
        '2027-10-30T00:30:00.000Z',
        '2027-10-31T01:00:00.000Z', // 02:00 CET (the second 02:00)
        '2027-10-31T02:30:00.000Z', // 03:30 CET: Temporal's walk adds its repeated hour to 02:30 CET
        '2027-11-01T01:00:00.000Z', // 02:00 CET
        '2027-11-01T01:30:00.000Z',
      ]);
      expect(
        firings(cron('0 * * * *', 'Europe/Paris'), '2027-10-30T23:00:00Z', '2027-10-31T03:00:00Z'),
      ).toEqual([
        '2027-10-30T23:00:00.000Z', // 01:00 CEST
        '2027-10-31T00:00:00.000Z', // 02:00 CEST
        '2027-10-31T02:00:00.000Z', // 03:00 CET: 02:00 CET (01:00Z) does not fire
        '2027-10-31T03:00:00.000Z',
      ]);
    });
  });
});

describe('defaultCatchupSeconds', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  it('is the time between two firings, at least 10 s and at most a day', () => {
    expect(defaultCatchupSeconds({ kind: 'every', amount: 10, unit: 's' }, now)).toBe(10);
    expect(defaultCatchupSeconds({ kind: 'every', amount: 2, unit: 'h' }, now)).toBe(7_200);
    expect(defaultCatchupSeconds({ kind: 'every', amount: 3, unit: 'd' }, now)).toBe(86_400);
    expect(defaultCatchupSeconds({ kind: 'cron', expression: '*/15 * * * *', timezone: 'UTC' }, now)).toBe(
      900,
    );
    expect(
      defaultCatchupSeconds({ kind: 'cron', expression: '0 6 * * *', timezone: 'Europe/Paris' }, now),
    ).toBe(86_400);
    expect(
      defaultCatchupSeconds({ kind: 'cron', expression: '0 7 * * 1', timezone: 'Europe/Paris' }, now),
    ).toBe(86_400);
  });
});
