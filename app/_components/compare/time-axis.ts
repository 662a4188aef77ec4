/** Ticks and their labels for a time axis in epoch milliseconds. Pure. */

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/**
 * `count` evenly spaced times from `from` to `to`, ends included; one tick when they are equal.
 * Evenly spaced rather than at data points, so two runs on one day do not make two "Mar 8" ticks.
 */
export function timeTicks(from: number, to: number, count = 6): number[] {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return [];
  if (to <= from) return [from];
  const step = (to - from) / (count - 1);
  return Array.from({ length: count }, (_, index) => Math.round(from + index * step));
}

/**
 * How a tick reads for a range this long: the time of day under two days, the day and time under
 * a week (ticks then fall less than two days apart), else the date alone.
 */
export function timeTickStyle(span: number): 'time' | 'day-time' | 'date' {
  if (span < 2 * DAY) return 'time';
  if (span < 7 * DAY) return 'day-time';
  return 'date';
}

const formats: Record<ReturnType<typeof timeTickStyle>, Intl.DateTimeFormatOptions> = {
  time: { hour: '2-digit', minute: '2-digit' },
  'day-time': { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  date: { month: 'short', day: 'numeric' },
};

/** A tick label function for a range this long, in the browser's locale and time zone. */
export function timeTickFormatter(span: number, locale?: string): (value: number) => string {
  const format = new Intl.DateTimeFormat(locale, formats[timeTickStyle(span)]);
  return (value) => format.format(new Date(value));
}
