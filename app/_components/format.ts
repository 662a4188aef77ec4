/**
 * How the app writes numbers, counts, shares, durations, dates and table cells: one module, so a
 * value reads the same in a dataset preview, a report and the run history. Pure.
 */

const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const significant3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const large = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const exact = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
/** From here up a number is written with an exponent: 1e200 in full is 201 digits and 66 commas. */
const HUGE = 1e15;
/** Below this (and above zero) too: 0.0000001 is easier to misread than 1e-7. */
const TINY = 1e-6;
// Cells show more of the stored value, and no thousands separators, so a column of ids reads as ids.
const cellFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6, useGrouping: false });

/**
 * 4 significant digits (3 with `short`), whole numbers from 10 000 up, exponents from 1e15 up and
 * below 1e-6; null as an en dash.
 */
export function formatNumber(value: number | null | undefined, short = false): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (needsExponent(value)) return exponentText(value, short ? 2 : 3);
  if (Math.abs(value) >= 10_000) return large.format(value);
  return (short ? significant3 : significant).format(value);
}

/** A number as an author typed it (a field's allowed range): up to 6 decimals, exponents as above. */
export function formatExactNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return needsExponent(value) ? exponentText(value, 6) : exact.format(value);
}

function needsExponent(value: number): boolean {
  const size = Math.abs(value);
  return size >= HUGE || (size > 0 && size < TINY);
}

/** "1.23e-7", "1e200": at most `digits` decimals in the mantissa, no trailing zeros, no "+". */
function exponentText(value: number, digits: number): string {
  const [mantissa = '', exponent = ''] = value.toExponential(digits).split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  return `${trimmed}e${exponent.replace('+', '')}`;
}

/** A whole count with thousands separators. */
export function formatCount(value: number): string {
  return large.format(value);
}

/** A class label, whatever its type, as text. */
export function formatLabel(label: string | number | boolean): string {
  return typeof label === 'string' ? label : String(label);
}

/**
 * A duration: milliseconds under a second, seconds to 3 significant digits under a minute, minutes
 * and whole seconds from a minute up. Each unit is chosen after rounding, so 59.97 s reads "1 min 0 s",
 * not "60 s", and 119.6 s reads "2 min 0 s", not "1 min 60 s".
 */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  // A running step's time is the browser's clock less the server's start: a clock behind reads 0, not -2 s.
  const milliseconds = Math.max(0, Math.round(seconds * 1000));
  if (milliseconds < 1000) return `${milliseconds}\u00a0ms`;
  const shown = Number(seconds.toPrecision(3));
  if (shown < 60) return `${formatNumber(shown, true)}\u00a0s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}\u00a0min ${whole % 60}\u00a0s`;
}

/** A share as a percentage: one decimal below 10%, "<0.1%" for a tiny share that is not none. */
export function formatPercent(fraction: number): string {
  if (fraction === 0) return '0%';
  if (fraction < 0.001) return '<0.1%';
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}

/** A profile statistic (min, max, mean, a top value): numbers as `formatNumber`, timestamps as dates. */
export function formatStatistic(value: string | number | boolean | null): string {
  if (value === null) return '–';
  if (typeof value === 'number') return formatNumber(value);
  return typeof value === 'string' ? isoText(value) : String(value);
}

const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/;

/** An ISO timestamp as "2024-05-01 13:45:10", or just the date at midnight UTC; other text as is. */
function isoText(text: string): string {
  const match = ISO_DATETIME.exec(text);
  if (!match) return text;
  const [, date, time, fraction] = match;
  if (time === '00:00:00' && (!fraction || Number(fraction) === 0)) return date ?? text;
  return `${date} ${time}${fraction && Number(fraction) !== 0 ? fraction : ''}`;
}

/** A cell: numbers to 6 significant digits, dates as ISO text, nested values as JSON. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
    if (value !== 0 && Math.abs(value) < 1e-4) return exponentText(value, 3);
    return cellFormat.format(value);
  }
  if (typeof value === 'string') return isoText(value);
  return rawText(value);
}

/** A value as it is stored: full precision, dates in ISO form, nested values as JSON. */
export function rawText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date)
    return value
      .toISOString()
      .replace('T', ' ')
      .replace(/(\.000)?Z$/, '');
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}
