import { describe, expect, it } from 'vitest';
import { CronFieldError, nextCalendarTime, parseCronCalendar } from './cron-calendar';

const sorted = (values: ReadonlySet<number>) => [...values].sort((a, b) => a - b);

describe('cron calendar', () => {
  it("reads each field by Temporal's rules", () => {
    const calendar = parseCronCalendar('5/20 1-5/2,8 */10 jan-MAR fri-7');
    expect(sorted(calendar.minute)).toEqual([5, 25, 45]);
    expect(sorted(calendar.hour)).toEqual([1, 3, 5, 8]);
    expect(sorted(calendar.dayOfMonth)).toEqual([1, 11, 21, 31]);
    expect(sorted(calendar.month)).toEqual([1, 2, 3]);
    expect(sorted(calendar.dayOfWeek)).toEqual([0, 5, 6]);
    // 7 is Sunday too, and a range may end on it.
    expect(sorted(parseCronCalendar('0 0 * * 5-7').dayOfWeek)).toEqual([0, 5, 6]);
    expect(sorted(parseCronCalendar('0 0 * * *').dayOfWeek)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('names the field it cannot read', () => {
    expect(() => parseCronCalendar('60 * * * *')).toThrow(
      new CronFieldError('minute must be between 0 and 59 (got "60")'),
    );
    expect(() => parseCronCalendar('0 0 0 * *')).toThrow('day of month must be between 1 and 31 (got "0")');
    expect(() => parseCronCalendar('0 0 * 1-2-3 *')).toThrow('month has too many dashes in "1-2-3"');
    // As Temporal: "DayOfWeek End is before Start".
    expect(() => parseCronCalendar('0 0 * * fri-sun')).toThrow(
      'day of week range "fri-sun" ends before it starts',
    );
    expect(() => parseCronCalendar('0 0 * * monday')).toThrow(
      'day of week must be between 0 and 7 (got "monday")',
    );
    expect(() => parseCronCalendar('0 0 * *')).toThrow('must have five fields');
  });

  it('finds the next time strictly after the given second, in the zone', () => {
    const calendar = parseCronCalendar('0 6 * * 1-5');
    const friday = Date.parse('2027-01-08T05:00:00Z') / 1000; // 06:00 in Paris
    expect(nextCalendarTime(calendar, 'Europe/Paris', friday - 1)).toBe(friday);
    // Strictly after: from Friday 06:00 the next is Monday's.
    expect(nextCalendarTime(calendar, 'Europe/Paris', friday)).toBe(
      Date.parse('2027-01-11T05:00:00Z') / 1000,
    );
    // A date that never comes: Temporal gives up past 2100.
    expect(nextCalendarTime(parseCronCalendar('0 0 31 2 *'), 'UTC', friday)).toBeUndefined();
  });
});
