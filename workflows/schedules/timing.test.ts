import { describe, expect, it } from 'vitest';
import { cronPresets, cronProblem, describeTiming, parseEvery, timingSchema } from './timing';

describe('schedule timing', () => {
  it('describes intervals and cron expressions in plain words', () => {
    expect(describeTiming({ kind: 'every', amount: 1, unit: 'h' })).toBe('Every hour');
    expect(describeTiming({ kind: 'every', amount: 10, unit: 'm' })).toBe('Every 10 minutes');
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
  });

  it('reads --every as a number and a unit', () => {
    expect(parseEvery('10m')).toEqual({ kind: 'every', amount: 10, unit: 'm' });
    expect(parseEvery('2d')).toEqual({ kind: 'every', amount: 2, unit: 'd' });
    expect(() => parseEvery('10w')).toThrow('--every must be a number and a unit s, m, h or d');
    expect(() => parseEvery('1s')).toThrow(/between 5 seconds and 366 days/);
  });
});
