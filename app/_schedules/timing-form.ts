import type { Timing } from '../../workflows/schedules/timing';

/**
 * The New schedule form's timing choices and the Timing each one stands for. Pure and browser-safe:
 * the server checks the result again (timingSchema) and names the field it refuses.
 */

/** Presets as the form offers them: each is a cron expression read in the chosen time zone. */
export const timingPresets = [
  { id: 'hourly', label: 'Every hour, on the hour', expression: '0 * * * *' },
  { id: 'daily-0600', label: 'Every day at 06:00', expression: '0 6 * * *' },
  { id: 'weekdays-0600', label: 'Weekdays at 06:00', expression: '0 6 * * 1-5' },
  { id: 'mondays-0700', label: 'Mondays at 07:00', expression: '0 7 * * 1' },
  { id: 'monthly-first-0600', label: 'The 1st of each month at 06:00', expression: '0 6 1 * *' },
] as const;
export type TimingPresetId = (typeof timingPresets)[number]['id'];

export type TimingMode = 'preset' | 'every' | 'cron';

export interface TimingFormState {
  mode: TimingMode;
  preset: TimingPresetId;
  /** As typed: the server says what is wrong with it. */
  amount: string;
  unit: 's' | 'm' | 'h' | 'd';
  expression: string;
  timezone: string;
}

/** The browser's own time zone, else UTC: what a person means by "06:00". */
export function localTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function initialTimingState(timezone = localTimezone()): TimingFormState {
  return { mode: 'preset', preset: 'daily-0600', amount: '1', unit: 'h', expression: '0 6 * * *', timezone };
}

/** The form's state for a stored timing (editing): a cron that matches a preset shows as that preset. */
export function timingStateOf(timing: Timing): TimingFormState {
  const base = initialTimingState();
  if (timing.kind === 'every') {
    return { ...base, mode: 'every', amount: String(timing.amount), unit: timing.unit };
  }
  const preset = timingPresets.find((each) => each.expression === timing.expression);
  return {
    ...base,
    mode: preset ? 'preset' : 'cron',
    preset: preset?.id ?? base.preset,
    expression: timing.expression,
    timezone: timing.timezone,
  };
}

/** The Timing the server is sent; an amount that is not a number goes as NaN and is refused by name. */
export function timingOfState(state: TimingFormState): Timing {
  if (state.mode === 'every') {
    const amount = state.amount.trim() === '' ? Number.NaN : Number(state.amount);
    return { kind: 'every', amount, unit: state.unit };
  }
  const expression =
    state.mode === 'preset'
      ? (timingPresets.find((each) => each.id === state.preset)?.expression ?? state.expression)
      : state.expression.trim();
  return { kind: 'cron', expression, timezone: state.timezone.trim() || 'UTC' };
}

/** The catch-up window's choices: how late a start missed during an outage may still run. */
export const catchupChoices = [
  { seconds: 60, label: '1 minute' },
  { seconds: 300, label: '5 minutes' },
  { seconds: 3_600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 7 * 86_400, label: '7 days' },
] as const;

/** The overlap policies (db/schedules-schema.ts's, repeated: that module is not for the browser). */
export const overlaps = ['skip', 'buffer', 'cancel', 'allow'] as const;

/** The overlap policies in words, for the form and the list. */
export const overlapWords = {
  skip: 'Skip the start',
  buffer: 'Start next when it ends',
  cancel: 'Cancel it and start',
  allow: 'Start alongside it',
} as const;
