/**
 * How the app writes numbers, counts, shares, durations, dates and table cells: one module, so a
 * value reads the same in a dataset preview, a report and the run history. Pure.
 */

const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const significant3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const large = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
// Cells show more of the stored value, and no thousands separators, so a column of ids reads as ids.
const cellFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6, useGrouping: false });

/** 4 significant digits (3 with `short`), whole numbers from 10 000 up; null as an en dash. */
export function formatNumber(value: number | null | undefined, short = false): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 10_000) return large.format(value);
  if (value !== 0 && Math.abs(value) < 1e-6) return value.toExponential(short ? 1 : 2);
  return (short ? significant3 : significant).format(value);
}

/** A whole count with thousands separators. */
export function formatCount(value: number): string {
  return large.format(value);
}

/** A class label, whatever its type, as text. */
export function formatLabel(label: string | number | boolean): string {
  return typeof label === 'string' ? label : String(label);
}

/** A duration: milliseconds under a second, minutes and seconds from a minute up. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}\u00a0ms`;
  if (seconds < 60) return `${formatNumber(seconds, true)}\u00a0s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}\u00a0min ${Math.round(seconds - minutes * 60)}\u00a0s`;
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
    if (value !== 0 && Math.abs(value) < 1e-4) return value.toExponential(3);
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
