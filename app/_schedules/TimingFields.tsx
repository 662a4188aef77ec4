'use client';

import { ChoiceSelect } from '../_components/ChoiceSelect';
import { type TimingFormState, type TimingMode, timingPresets } from './timing-form';

const modes: { mode: TimingMode; label: string }[] = [
  { mode: 'preset', label: 'At a set time' },
  { mode: 'every', label: 'Every …' },
  { mode: 'cron', label: 'Cron' },
];

const presetChoices = timingPresets.map(({ id, label }) => ({ value: id, label }));

const unitChoices = [
  { value: 's', label: 'seconds' },
  { value: 'm', label: 'minutes' },
  { value: 'h', label: 'hours' },
  { value: 'd', label: 'days' },
] as const;

/** Zones offered in the list; any IANA zone may be typed (the server checks it). */
const commonZones = [
  'UTC',
  'Europe/London',
  'Europe/Paris',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
];

/** When a schedule fires: a preset, every N units, or a cron expression, the last two in a time zone. */
export function TimingFields({
  state,
  onChange,
}: {
  state: TimingFormState;
  onChange: (state: TimingFormState) => void;
}) {
  const set = (changes: Partial<TimingFormState>) => onChange({ ...state, ...changes });
  return (
    <fieldset className="timing-fields">
      <legend>When it runs</legend>
      <div className="segmented" role="radiogroup" aria-label="Timing">
        {modes.map(({ mode, label }) => (
          <label key={mode} className={state.mode === mode ? 'segment selected' : 'segment'}>
            <input
              type="radio"
              name="timing-mode"
              value={mode}
              checked={state.mode === mode}
              onChange={() => set({ mode })}
            />
            {label}
          </label>
        ))}
      </div>
      {state.mode === 'preset' && (
        <label className="field">
          Preset
          <ChoiceSelect value={state.preset} choices={presetChoices} onChoose={(preset) => set({ preset })} />
        </label>
      )}
      {state.mode === 'every' && (
        <div className="every-row">
          <label className="field">
            Every
            <input
              type="number"
              min={1}
              step={1}
              value={state.amount}
              aria-label="Every how many"
              onChange={(event) => set({ amount: event.target.value })}
            />
          </label>
          <label className="field">
            Unit
            <ChoiceSelect value={state.unit} choices={unitChoices} onChoose={(unit) => set({ unit })} />
          </label>
        </div>
      )}
      {state.mode === 'cron' && (
        <label className="field">
          Cron expression
          <input
            value={state.expression}
            spellCheck={false}
            className="mono"
            placeholder="0 6 * * *"
            onChange={(event) => set({ expression: event.target.value })}
          />
          <small className="muted">Five fields: minute hour day-of-month month day-of-week.</small>
        </label>
      )}
      {state.mode !== 'every' && (
        <label className="field">
          Time zone
          <input
            value={state.timezone}
            list="schedule-zones"
            spellCheck={false}
            onChange={(event) => set({ timezone: event.target.value })}
          />
          <datalist id="schedule-zones">
            {commonZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </label>
      )}
    </fieldset>
  );
}
