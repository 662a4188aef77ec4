import { goDate, wallClockAt, weekdayAt } from './zone-clock';

/**
 * Five-field cron expressions read and walked as Temporal's scheduler does
 * (temporalio/temporal service/worker/scheduler/calendar.go as in server 1.29.1, our dev server's,
 * and unchanged on its main branch since),
 * so the times worked out here are the times Temporal starts runs at, across DST changes too.
 * Temporal's rules at a clock change, checked against a real server (tests/schedule-dst.test.ts):
 * - a time the spring-forward skips does not fire at all that day (`30 2 * * *` in Paris skips
 *   2027-03-28; croner fires at 03:00 instead);
 * - the hour a fall-back repeats fires once per copy west of Greenwich (New York: 01:00 EDT and
 *   01:00 EST), but east of it Temporal's walk lands on the later copy first and adds its
 *   "second copy" hour on top: `0,30 2 * * *` in Paris on 2027-10-31 fires at 02:00 CET and 03:30
 *   CET (not 02:00 and 02:30 CEST), and `0 * * * *` skips 02:00 CET.
 */

/** The values each field matches; day of week 0 = Sunday (7 is read as Sunday too). */
export interface CronCalendar {
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  dayOfMonth: ReadonlySet<number>;
  month: ReadonlySet<number>;
  dayOfWeek: ReadonlySet<number>;
}

/** Temporal reads no calendar time past this year. */
const MAX_CALENDAR_YEAR = 2100;

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldRule {
  name: string;
  min: number;
  max: number;
  /** Three-letter names for the values from `min` on (Temporal takes longer prefixes too; cron tools do not). */
  names?: string[];
}

const FIELD_RULES = {
  minute: { name: 'minute', min: 0, max: 59 },
  hour: { name: 'hour', min: 0, max: 23 },
  dayOfMonth: { name: 'day of month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  dayOfWeek: { name: 'day of week', min: 0, max: 7, names: DAY_NAMES },
} satisfies Record<keyof CronCalendar, FieldRule>;

/** A field Temporal would refuse or read otherwise; the message names the field. */
export class CronFieldError extends Error {
  override name = 'CronFieldError';
}

/**
 * The five fields `minute hour day-of-month month day-of-week`, each a comma list of `*`, `v` or
 * `a-b`, any of them with a step `/n` (`a/n` runs from a to the field's end), with Temporal's
 * bounds. Throws CronFieldError.
 */
export function parseCronCalendar(expression: string): CronCalendar {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new CronFieldError('must have five fields');
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = fields;
  const weekdays = parseField(dayOfWeek, FIELD_RULES.dayOfWeek);
  return {
    minute: parseField(minute, FIELD_RULES.minute),
    hour: parseField(hour, FIELD_RULES.hour),
    dayOfMonth: parseField(dayOfMonth, FIELD_RULES.dayOfMonth),
    month: parseField(month, FIELD_RULES.month),
    // Temporal reads 7 as Sunday, as cron does.
    dayOfWeek: new Set([...weekdays].map((day) => day % 7)),
  };
}

function parseField(text: string, rule: FieldRule): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined) throw new CronFieldError(`${rule.name} has too many slashes in "${part}"`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (stepText !== undefined && (!/^\d+$/.test(stepText) || step < 1)) {
      throw new CronFieldError(
        `${rule.name} has a step that is not a whole number of at least 1 in "${part}"`,
      );
    }
    const [first, last] = rangeOf(range, stepText !== undefined, rule);
    for (let value = first; value <= last; value += step) values.add(value);
  }
  return values;
}

/** `*` is the whole range, `a-b` a range, and a single value runs to the end only before a step. */
function rangeOf(range: string, stepped: boolean, rule: FieldRule): [number, number] {
  if (range === '*') return [rule.min, rule.max];
  const ends = range.split('-');
  if (ends.length > 2) throw new CronFieldError(`${rule.name} has too many dashes in "${range}"`);
  const first = fieldValue(ends[0] ?? '', rule);
  if (ends.length === 1) return [first, stepped ? rule.max : first];
  const last = fieldValue(ends[1] ?? '', rule);
  if (last < first) throw new CronFieldError(`${rule.name} range "${range}" ends before it starts`);
  return [first, last];
}

function fieldValue(text: string, rule: FieldRule): number {
  const named = rule.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? rule.min + named : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= rule.min && value <= rule.max)) {
    throw new CronFieldError(`${rule.name} must be between ${rule.min} and ${rule.max} (got "${text}")`);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const HOUR = 3_600;

/**
 * The first time strictly after `afterSeconds` the calendar fires at in `zone`, in whole seconds,
 * or undefined when none comes before 2101. A port of Temporal's compiledCalendar.next, quirks
 * included (see the top of this file): it walks the wall-clock fields from the outside in and
 * turns the match into an instant with Go's time.Date (goDate).
 */
export function nextCalendarTime(
  calendar: CronCalendar,
  zone: string,
  afterSeconds: number,
): number | undefined {
  let { year, month, day, hour, minute, second } = wallClockAt(afterSeconds, zone);
  // Temporal adds an hour to its result while in the second copy of an hour a fall-back repeats,
  // which it recognises by the clock an hour earlier reading the same hour.
  let repeatedHourOffset = wallClockAt(afterSeconds - HOUR, zone).hour === hour ? HOUR : 0;
  second += 1;
  walk: for (;;) {
    if (second >= 60) {
      minute += 1;
      second = 0;
    }
    if (minute >= 60) {
      const previous = goDate(zone, year, month, day, hour, 0, 0);
      hour += 1;
      minute = 0;
      const following = goDate(zone, year, month, day, hour, 0, 0);
      // Two hours between two hours on the clock: the first was repeated, walk it again as its copy.
      if (repeatedHourOffset === 0 && following - previous > HOUR) {
        hour -= 1;
        repeatedHourOffset = HOUR;
      } else {
        repeatedHourOffset = 0;
      }
    }
    if (hour >= 24) {
      day += 1;
      hour = 0;
    }
    if (day > daysInMonth(year, month)) {
      month += 1;
      day = 1;
    }
    if (month > 12) {
      year += 1;
      month = 1;
    }
    if (year > MAX_CALENDAR_YEAR) return undefined;
    // Then match the fields from the outside in, each loop as in Go (continue walk = Go's continue Outer).
    while (!calendar.month.has(month)) {
      [month, day, hour, minute, second, repeatedHourOffset] = [month + 1, 1, 0, 0, 0, 0];
      if (month > 12) continue walk;
    }
    while (
      !calendar.dayOfMonth.has(day) ||
      !calendar.dayOfWeek.has(weekdayAt(goDate(zone, year, month, day, hour, minute, second), zone))
    ) {
      [day, hour, minute, second, repeatedHourOffset] = [day + 1, 0, 0, 0, 0];
      if (day > daysInMonth(year, month)) continue walk;
    }
    while (!calendar.hour.has(hour)) {
      [hour, minute, second, repeatedHourOffset] = [hour + 1, 0, 0, 0];
      if (hour >= 24) continue walk;
    }
    while (!calendar.minute.has(minute)) {
      [minute, second] = [minute + 1, 0];
      if (minute >= 60) continue walk;
    }
    // Five-field expressions fire on second 0 only: past it, carry on from the next minute.
    if (second !== 0) {
      second = 60;
      continue;
    }
    const found = goDate(zone, year, month, day, hour, minute, second);
    // goDate moved a time the spring-forward skipped into the next hour: that time does not fire.
    if (wallClockAt(found, zone).hour !== hour) {
      [hour, minute, second] = [hour + 1, 0, 0];
      continue;
    }
    return found + repeatedHourOffset;
  }
}
