/**
 * Wall clocks in IANA time zones, read the way Go's time package (and so Temporal's scheduler)
 * reads them. Instants are whole seconds since the epoch: Temporal's calendars have 1 s resolution.
 */

export interface WallClock {
  year: number;
  /** 1 = January, as in Go. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The IANA name Intl resolves a zone name to (`europe/paris` → `Europe/Paris`, `utc` → `UTC`), or
 * undefined for an unknown zone. Intl ignores case but Go's time.LoadLocation does not: Temporal
 * refuses `europe/paris` ("unknown time zone"), so only the canonical spelling may be stored.
 */
export function canonicalTimeZone(name: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  // Newer engines also take offsets ("+01:00"), which Go has no location for.
  return /^[A-Za-z]/.test(resolved) ? resolved : undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** What a clock in `zone` reads at the instant (Go: t.In(zone).Date() and .Clock()). */
export function wallClockAt(seconds: number, zone: string): WallClock {
  const parts = formatterFor(zone).formatToParts(new Date(seconds * 1000));
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** 0 = Sunday, as in Go's Weekday and cron. */
export function weekdayAt(seconds: number, zone: string): number {
  const clock = wallClockAt(seconds, zone);
  return new Date(Date.UTC(clock.year, clock.month - 1, clock.day)).getUTCDay();
}

/** The wall clock's fields read as if it were UTC, in seconds; out-of-range fields carry over. */
function secondsAsUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
) {
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

/** Seconds `zone` is ahead of UTC at the instant. */
function offsetAt(seconds: number, zone: string): number {
  const clock = wallClockAt(seconds, zone);
  return secondsAsUtc(clock.year, clock.month, clock.day, clock.hour, clock.minute, clock.second) - seconds;
}

/**
 * Go's time.Date(year, month, day, hour, minute, second, 0, zone) as seconds since the epoch.
 * Go takes the offset in force at the wall time read as UTC, and if the result falls outside that
 * offset's period, the offset in force at that result. At a clock change the outcome depends on
 * the zone's side of Greenwich: a wall time the spring-forward skips comes out the gap later east
 * of it (Paris, 2027-03-28 02:30 → 03:30 CEST) and the gap earlier west of it (New York,
 * 2027-03-14 02:30 → 01:30 EST); of a wall time the fall-back repeats, east gets the later copy
 * (Paris 02:30 CET) and west the earlier (New York 01:30 EDT). Checked against Go 1.26.
 */
export function goDate(
  zone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const asUtc = secondsAsUtc(year, month, day, hour, minute, second);
  return asUtc - offsetAt(asUtc - offsetAt(asUtc, zone), zone);
}
