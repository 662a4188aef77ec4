'use client';

import { optionLabel } from '../fields';
import type { WidgetProps } from './widget-props';

/** One of a fixed set of options; a value that is not one of them shows as such, not as a blank. */
export function SelectInput({ field, current, set, control }: WidgetProps) {
  const options = field.options ?? [];
  const index = options.findIndex((option) => Object.is(option, current));
  const defaultIndex = options.findIndex((option) => Object.is(option, field.default));
  const unknown = current !== undefined && index < 0;
  const selected =
    current === undefined
      ? defaultIndex >= 0
        ? String(defaultIndex)
        : ''
      : unknown
        ? 'unknown'
        : String(index);
  return (
    <select
      {...control}
      className="cf-input cf-select"
      value={selected}
      onChange={(event) => {
        const chosen = event.target.value;
        if (chosen === 'unknown') return;
        set(chosen === '' ? undefined : options[Number(chosen)]);
      }}
    >
      {defaultIndex < 0 && (
        <option value="" disabled={field.required}>
          {field.required ? 'Choose…' : '—'}
        </option>
      )}
      {unknown && <option value="unknown">{String(current)} (not an option)</option>}
      {options.map((option, position) => (
        <option key={String(option)} value={String(position)}>
          {optionLabel(option)}
          {position === defaultIndex ? ' (default)' : ''}
        </option>
      ))}
    </select>
  );
}
