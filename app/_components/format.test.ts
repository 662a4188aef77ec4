import { describe, expect, it } from 'vitest';
import {
  formatCell,
  formatCount,
  formatExactNumber,
  formatNumber,
  formatPercent,
  formatSeconds,
  formatStatistic,
  rawText,
} from './format';

describe('formatting', () => {
  it('writes numbers to 4 significant digits (3 short), whole from 10 000 up, tiny ones as exponents', () => {
    expect(formatNumber(0.912345)).toBe('0.9123');
    expect(formatNumber(0.912345, true)).toBe('0.912');
    expect(formatNumber(12_345.678)).toBe('12,346');
    expect(formatNumber(0.00000123)).toBe('0.00000123');
    expect(formatNumber(1.23e-7)).toBe('1.23e-7');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('writes huge and tiny magnitudes with an exponent, in a few characters', () => {
    expect(formatNumber(1e200)).toBe('1e200');
    expect(formatNumber(-1.23456e200)).toBe('-1.235e200');
    expect(formatNumber(1.23456e200, true)).toBe('1.23e200');
    expect(formatNumber(1e15)).toBe('1e15');
    expect(formatNumber(999_999_999_999_999)).toBe('999,999,999,999,999');
    expect(formatNumber(Number.MAX_VALUE)).toBe('1.798e308');
    expect(formatNumber(5e-324)).toBe('4.941e-324');
    expect(formatExactNumber(1e200)).toBe('1e200');
    expect(formatExactNumber(1_000_000)).toBe('1,000,000');
    expect(formatExactNumber(0.1234567)).toBe('0.123457');
    expect(formatExactNumber(1e-9)).toBe('1e-9');
  });

  it('writes profile statistics as numbers are written elsewhere, and timestamps as dates', () => {
    expect(formatStatistic(0.912345)).toBe('0.9123');
    expect(formatStatistic(1e200)).toBe('1e200');
    expect(formatStatistic(null)).toBe('–');
    expect(formatStatistic('2024-05-01T00:00:00.000Z')).toBe('2024-05-01');
    expect(formatStatistic('2024-05-01T13:45:10Z')).toBe('2024-05-01 13:45:10');
    expect(formatStatistic(true)).toBe('true');
  });

  it('writes shares, durations and table cells', () => {
    expect([0, 0.0004, 0.0512, 0.5].map(formatPercent)).toEqual(['0%', '<0.1%', '5.1%', '50%']);
    expect([0.25, 12.345, 125].map(formatSeconds)).toEqual([
      '250\u00a0ms',
      '12.3\u00a0s',
      '2\u00a0min 5\u00a0s',
    ]);
    // Rounding carries into the next unit instead of showing 1000 ms, 60 s or 60 s past a minute.
    expect([0.9996, 59.97, 119.6, 3599.5].map(formatSeconds)).toEqual([
      '1\u00a0s',
      '1\u00a0min 0\u00a0s',
      '2\u00a0min 0\u00a0s',
      '60\u00a0min 0\u00a0s',
    ]);
    expect(formatSeconds(-2.5)).toBe('0\u00a0ms');
    expect(formatCell(1234567.891)).toBe('1234570');
    expect(formatCell(0.00001234)).toBe('1.234e-5');
    expect(formatCell(0.000015)).toBe('1.5e-5');
    expect(formatCell(42)).toBe('42');
    expect(formatCell(null)).toBe('null');
    expect(formatCell({ a: [1] })).toBe('{"a":[1]}');
    expect(rawText(new Date('2024-05-01T13:45:10.000Z'))).toBe('2024-05-01 13:45:10');
  });
});
