import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, goDate, wallClockAt, weekdayAt } from './zone-clock';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('zone clocks', () => {
  it('spells zone names as Go (Temporal) needs them, whatever their case', () => {
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('EUROPE/PARIS')).toBe('Europe/Paris');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Nowhere/Else')).toBeUndefined();
    expect(canonicalTimeZone('')).toBeUndefined();
  });

  it('reads the wall clock and weekday of an instant', () => {
    const instant = Date.parse('2027-10-31T01:30:00Z') / 1000;
    expect(wallClockAt(instant, 'Europe/Paris')).toEqual({
      year: 2027,
      month: 10,
      day: 31,
      hour: 2,
      minute: 30,
      second: 0,
    });
    expect(weekdayAt(instant, 'Europe/Paris')).toBe(0);
    expect(weekdayAt(Date.parse('2027-01-01T03:00:00Z') / 1000, 'America/New_York')).toBe(4);
  });

  it("builds instants as Go's time.Date does across clock changes", () => {
    // An ordinary time.
    expect(iso(goDate('Europe/Paris', 2027, 7, 1, 6, 0, 0))).toBe('2027-07-01T04:00:00.000Z');
    // Skipped by a spring-forward: moved by the gap, later east of Greenwich, earlier west of it.
    expect(iso(goDate('Europe/Paris', 2027, 3, 28, 2, 30, 0))).toBe('2027-03-28T01:30:00.000Z');
    expect(iso(goDate('America/New_York', 2027, 3, 14, 2, 30, 0))).toBe('2027-03-14T06:30:00.000Z');
    // Repeated by a fall-back: the later copy east of Greenwich, the earlier west of it.
    expect(iso(goDate('Europe/Paris', 2027, 10, 31, 2, 30, 0))).toBe('2027-10-31T01:30:00.000Z');
    expect(iso(goDate('America/New_York', 2027, 11, 7, 1, 30, 0))).toBe('2027-11-07T05:30:00.000Z');
    // Fields past their range carry over, as in Go.
    expect(iso(goDate('UTC', 2027, 12, 31, 24, 0, 0))).toBe('2028-01-01T00:00:00.000Z');
  });
});
