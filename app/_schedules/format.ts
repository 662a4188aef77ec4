/** How the schedule views write run times. Pure. */

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "Mon 7 Dec, 06:00" in the viewer's time zone (seconds shown when the minute alone would repeat). */
export function runTime(date: Date, withSeconds = false): string {
  return date.toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });
}

/** "in 5 minutes", "3 hours ago": how far a time is from now, in the largest whole unit. */
export function fromNow(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const size = Math.abs(seconds);
  if (size < 60) return relative.format(seconds, 'second');
  if (size < 3_600) return relative.format(Math.round(seconds / 60), 'minute');
  if (size < 86_400) return relative.format(Math.round(seconds / 3_600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** Whether consecutive times are less than a minute apart (then seconds are shown). */
export function needsSeconds(times: readonly Date[]): boolean {
  return times.some((time, index) => {
    const next = times[index + 1];
    return next !== undefined && next.getTime() - time.getTime() < 60_000;
  });
}

/** A date for a datetime-local input ("2026-12-07T06:00"), in the viewer's time zone. */
export function localInputValue(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
