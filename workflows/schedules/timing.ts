import { Cron } from 'croner';
import cronstrue from 'cronstrue';
import { z } from 'zod';

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

const cronSchema = z
  .object({
    kind: z.literal('cron'),
    expression: z.string({ error: 'must be a cron expression' }).trim().max(200),
    timezone: z.string({ error: 'must be a time zone' }).trim().max(64).default('UTC'),
  })
  .superRefine((timing, context) => {
    const zoneProblem = timezoneProblem(timing.timezone);
    if (zoneProblem) context.addIssue({ code: 'custom', path: ['timezone'], message: zoneProblem });
    const problem = cronProblem(timing.expression);
    if (problem) context.addIssue({ code: 'custom', path: ['expression'], message: problem });
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
 * Why an expression is not one Temporal and croner read the same way, or undefined. Exactly five
 * fields: Temporal reads six fields as minute..year and croner as second..weekday, so anything but
 * five would fire at other times than described. Nicknames (@daily) are refused for the same reason.
 */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    return 'must have five fields: minute hour day-of-month month day-of-week, e.g. "0 6 * * *"';
  }
  // Temporal matches both day fields (AND); classic cron, croner and cronstrue take either (OR). The
  // description and the counted times would then differ from what Temporal does: refused instead.
  if (fields[2] !== '*' && fields[4] !== '*') {
    return 'must restrict the day of the month or the day of the week, not both (cron tools disagree on how the two combine)';
  }
  try {
    // Constructed paused: only the parse matters here, no timer is started.
    new Cron(fields.join(' '), { paused: true });
    return undefined;
  } catch (error) {
    return `is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function timezoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return undefined;
  } catch {
    return `"${timezone}" is not a known time zone (e.g. UTC, Europe/Paris)`;
  }
}

/** The timing in plain words: "Every 10 minutes", "At 06:00 AM (Europe/Paris)". */
export function describeTiming(timing: Timing): string {
  if (timing.kind === 'every') {
    const unit = UNIT_WORDS[timing.unit];
    return timing.amount === 1 ? `Every ${unit}` : `Every ${timing.amount} ${unit}s`;
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
 * The times the timing fires in [from, to], at most `limit` + 1 (enough to tell "too many"). An
 * interval fires on multiples of itself since the epoch, as Temporal's intervals without an offset do.
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
  const cron = new Cron(timing.expression, { timezone: timing.timezone, paused: true });
  // nextRun is strictly after its argument: start a millisecond early so `from` itself counts.
  let next = cron.nextRun(new Date(from.getTime() - 1));
  while (next && next.getTime() <= to.getTime() && times.length <= limit) {
    times.push(next);
    next = cron.nextRun(next);
  }
  return times;
}
