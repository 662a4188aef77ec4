import cronstrue from 'cronstrue';
import { z } from 'zod';
import { CronFieldError, nextCalendarTime, parseCronCalendar } from './cron-calendar';
import { canonicalTimeZone } from './zone-clock';

/** The units `every N` takes, as the CLI writes them (10m, 2h) and Temporal's durations read them. */
export const intervalUnits = ['s', 'm', 'h', 'd'] as const;
export type IntervalUnit = (typeof intervalUnits)[number];

const UNIT_SECONDS: Record<IntervalUnit, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };
const UNIT_WORDS: Record<IntervalUnit, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day' };

/**
 * Shortest interval: a pipeline run takes seconds at least, and Temporal's schedules are not meant
 * for sub-second timing. Longest: a year, past which a cron expression says it better.
 */
const MIN_INTERVAL_SECONDS = 5;
const MAX_INTERVAL_SECONDS = 366 * 86_400;

/** Named cron expressions the editor offers; a preset is stored as the cron it stands for. */
export const cronPresets = {
  hourly: '0 * * * *',
  'daily-0600': '0 6 * * *',
  'weekdays-0600': '0 6 * * 1-5',
  'mondays-0700': '0 7 * * 1',
  'monthly-first-0600': '0 6 1 * *',
} as const;

const everySchema = z
  .object({
    kind: z.literal('every'),
    amount: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .positive('must be at least 1'),
    unit: z.enum(intervalUnits, { error: 'must be one of s, m, h, d' }),
  })
  .superRefine((timing, context) => {
    const seconds = intervalSeconds(timing);
    if (seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
      context.addIssue({
        code: 'custom',
        path: ['amount'],
        message: `must make an interval between ${MIN_INTERVAL_SECONDS} seconds and 366 days`,
      });
    }
  });

const cronSchema = z.object({
  kind: z.literal('cron'),
  expression: z
    .string({ error: 'must be a cron expression' })
    .trim()
    .max(200)
    .superRefine((expression, context) => {
      const problem = cronProblem(expression);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
  // Stored as the canonical IANA name: Temporal (Go) reads zone names case-sensitively.
  timezone: z
    .string({ error: 'must be a time zone' })
    .trim()
    .max(64)
    .default('UTC')
    .transform((timezone, context) => {
      const canonical = canonicalTimeZone(timezone);
      if (canonical) return canonical;
      context.addIssue({
        code: 'custom',
        message: `"${timezone}" is not a known time zone (e.g. UTC, Europe/Paris)`,
      });
      return z.NEVER;
    }),
});

/** When a schedule fires: every N units, or a five-field cron expression read in a time zone. */
export const timingSchema = z.discriminatedUnion('kind', [everySchema, cronSchema], {
  error: 'kind must be "every" or "cron"',
});
export type Timing = z.infer<typeof timingSchema>;
export type EveryTiming = z.infer<typeof everySchema>;

export function intervalSeconds(timing: { amount: number; unit: IntervalUnit }): number {
  return timing.amount * UNIT_SECONDS[timing.unit];
}

/**
 * Why an expression is not one Temporal reads as described, or undefined. Exactly five fields:
 * Temporal reads six fields as minute..year where most cron tools read second..weekday, and
 * nicknames (@daily) are refused for the same reason. Each field is read by Temporal's rules
 * (cron-calendar.ts), and it must be one cronstrue can put in words for describeTiming.
 */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    return 'must have five fields: minute hour day-of-month month day-of-week, e.g. "0 6 * * *"';
  }
  // Temporal matches both day fields (AND); classic cron and cronstrue take either (OR). The
  // description would then differ from what Temporal does: refused instead.
  if (fields[2] !== '*' && fields[4] !== '*') {
    return 'must restrict the day of the month or the day of the week, not both (cron tools disagree on how the two combine)';
  }
  try {
    parseCronCalendar(fields.join(' '));
    cronstrue.toString(fields.join(' '));
    return undefined;
  } catch (error) {
    const reason = error instanceof CronFieldError ? error.message : 'it cannot be put in words';
    return `is not a valid cron expression: ${reason}`;
  }
}

/** The timing in plain words: "Every 10 minutes", "Every 7 days (at 00:00 UTC)", "At 06:00 (Europe/Paris)". */
export function describeTiming(timing: Timing): string {
  if (timing.kind === 'every') {
    const unit = UNIT_WORDS[timing.unit];
    const every = timing.amount === 1 ? `Every ${unit}` : `Every ${timing.amount} ${unit}s`;
    // Intervals count from the epoch (firingTimesBetween): days start at midnight UTC, not local.
    return timing.unit === 'd' ? `${every} (at 00:00 UTC)` : every;
  }
  const words = cronstrue.toString(timing.expression, { use24HourTimeFormat: true, verbose: false });
  return `${words} (${timing.timezone})`;
}

/** `10m` → every 10 minutes: the CLI's --every. */
export function parseEvery(text: string): EveryTiming {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  const unit = intervalUnits.find((candidate) => candidate === match?.[2]);
  if (!match || !unit)
    throw new Error(`--every must be a number and a unit s, m, h or d, e.g. 10m (got "${text}")`);
  return everySchema.parse({ kind: 'every', amount: Number(match[1]), unit });
}

/**
 * The times the timing fires in [from, to], at most `limit` + 1 (enough to tell "too many"), as
 * Temporal works them out. An interval fires on multiples of itself since the epoch, as Temporal's
 * intervals without an offset do: `every N d` fires at 00:00 UTC, on days a multiple of N after
 * 1970-01-01 (so `every 7 d` on Thursdays). A cron expression fires by Temporal's own calendar walk
 * (cron-calendar.ts), DST quirks included.
 */
export function firingTimesBetween(timing: Timing, from: Date, to: Date, limit: number): Date[] {
  const times: Date[] = [];
  if (timing.kind === 'every') {
    const step = intervalSeconds(timing) * 1000;
    for (
      let at = Math.ceil(from.getTime() / step) * step;
      at <= to.getTime() && times.length <= limit;
      at += step
    ) {
      times.push(new Date(at));
    }
    return times;
  }
  const calendar = parseCronCalendar(timing.expression);
  // Temporal's walk finds the first whole second strictly after its start: start just before `from`.
  let next = nextCalendarTime(calendar, timing.timezone, Math.ceil(from.getTime() / 1000) - 1);
  while (next !== undefined && next * 1000 <= to.getTime() && times.length <= limit) {
    times.push(new Date(next * 1000));
    next = nextCalendarTime(calendar, timing.timezone, next);
  }
  return times;
}

/** A catch-up window's bounds when none is chosen: at least 10 s, at most a day. */
const AUTO_CATCHUP_MIN_SECONDS = 10;
const AUTO_CATCHUP_MAX_SECONDS = 86_400;
/** Far enough to find two firings of a yearly cron (its gap caps at a day anyway). */
const GAP_HORIZON_MS = 2 * 366 * 86_400_000;

/**
 * The catch-up window a schedule gets when none is chosen: the time between two of its firings,
 * at most a day. A start missed while the scheduler was down then still runs when it is back, until
 * the next one is due (a nightly run missed by an 8-minute outage at 06:00 is not lost), and the
 * overlap policy stops missed runs from piling up.
 */
export function defaultCatchupSeconds(timing: Timing, now = new Date()): number {
  const gap =
    timing.kind === 'every'
      ? intervalSeconds(timing)
      : firingGapSeconds(firingTimesBetween(timing, now, new Date(now.getTime() + GAP_HORIZON_MS), 2));
  return Math.min(AUTO_CATCHUP_MAX_SECONDS, Math.max(AUTO_CATCHUP_MIN_SECONDS, gap));
}

function firingGapSeconds(times: Date[]): number {
  const [first, second] = times;
  return first && second ? Math.round((second.getTime() - first.getTime()) / 1000) : AUTO_CATCHUP_MAX_SECONDS;
}
