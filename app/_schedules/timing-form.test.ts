import { describe, expect, it } from 'vitest';
import { timingSchema } from '../../workflows/schedules/timing';
import { initialTimingState, timingOfState, timingPresets, timingStateOf } from './timing-form';

describe('timing form', () => {
  it('turns each preset into the cron it names, in the chosen time zone, which the server accepts', () => {
    for (const preset of timingPresets) {
      const timing = timingOfState({ ...initialTimingState('Europe/Paris'), preset: preset.id });
      expect(timing).toEqual({ kind: 'cron', expression: preset.expression, timezone: 'Europe/Paris' });
      expect(timingSchema.safeParse(timing).success).toBe(true);
    }
  });

  it('sends every N units as numbers, and a blank amount as something the server refuses', () => {
    const state = { ...initialTimingState('UTC'), mode: 'every' as const, amount: '10', unit: 's' as const };
    expect(timingOfState(state)).toEqual({ kind: 'every', amount: 10, unit: 's' });
    expect(timingSchema.safeParse(timingOfState({ ...state, amount: '' })).success).toBe(false);
  });

  it('shows a stored preset cron as its preset and any other cron as a cron', () => {
    expect(timingStateOf({ kind: 'cron', expression: '0 7 * * 1', timezone: 'UTC' })).toMatchObject({
      mode: 'preset',
      preset: 'mondays-0700',
    });
    expect(timingStateOf({ kind: 'cron', expression: '*/15 * * * *', timezone: 'Asia/Tokyo' })).toMatchObject(
      {
        mode: 'cron',
        expression: '*/15 * * * *',
        timezone: 'Asia/Tokyo',
      },
    );
    expect(timingStateOf({ kind: 'every', amount: 2, unit: 'h' })).toMatchObject({
      mode: 'every',
      amount: '2',
      unit: 'h',
    });
  });
});
