import { describe, expect, it } from 'vitest';
import { windowOf } from './window';

describe('windowOf', () => {
  const start = new Date('2026-12-07T12:00:00Z');
  const base = { from: '', to: '', windowLength: 6, windowUnit: 'hours' as const };

  it('is the last N hours or days before the run started, or From to To', () => {
    expect(windowOf(base, start)).toEqual({
      from: new Date('2026-12-07T06:00:00Z'),
      to: start,
      explicit: false,
    });
    expect(windowOf({ ...base, windowLength: 2, windowUnit: 'days' }, start).from).toEqual(
      new Date('2026-12-05T12:00:00Z'),
    );
    expect(
      windowOf({ ...base, from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00+01:00' }, start),
    ).toEqual({
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2026-12-01T23:00:00Z'),
      explicit: true,
    });
  });

  it('names the field of a missing, malformed or reversed time', () => {
    expect(() => windowOf({ ...base, from: '2026-12-01' }, start)).toThrow(
      'To is empty: give both From and To, or neither (then Last is used)',
    );
    expect(() => windowOf({ ...base, from: 'yesterday', to: '2026-12-02' }, start)).toThrow(
      'From is not an ISO time with its zone, such as 2026-12-07T10:00:00Z: "yesterday"',
    );
    // A time without its zone would be read in the worker's own zone.
    expect(() => windowOf({ ...base, from: '2026-12-01T10:00', to: '2026-12-02' }, start)).toThrow(
      'From is not an ISO time with its zone, such as 2026-12-07T10:00:00Z: "2026-12-01T10:00"',
    );
    expect(() => windowOf({ ...base, from: '2026-12-02', to: '2026-12-01' }, start)).toThrow(
      'From (2026-12-02) must be before To (2026-12-01)',
    );
  });
});
