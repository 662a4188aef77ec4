import { describe, expect, it } from 'vitest';
import { timeTickStyle, timeTicks } from './time-axis';

const DAY = 24 * 3600 * 1000;

describe('timeTicks', () => {
  it('spaces ticks evenly from the first time to the last, ends included', () => {
    expect(timeTicks(0, 10 * DAY, 6)).toEqual([0, 2, 4, 6, 8, 10].map((day) => day * DAY));
  });

  it('gives one tick for a single time and none for a time that is not finite', () => {
    expect(timeTicks(5, 5)).toEqual([5]);
    expect(timeTicks(Number.NaN, 5)).toEqual([]);
  });
});

describe('timeTickStyle', () => {
  it('reads times of day under two days, day and time under a week, dates beyond', () => {
    expect(timeTickStyle(DAY)).toBe('time');
    expect(timeTickStyle(3 * DAY)).toBe('day-time');
    expect(timeTickStyle(14 * DAY)).toBe('date');
  });
});
