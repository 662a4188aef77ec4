'use client';

import { optionLabel } from '../fields';
import type { WidgetProps } from './widget-props';

/** Several of a fixed set of options, as checkboxes; kept in the options' order. */
export function ChoicesInput({ field, current, set, control, labelId }: WidgetProps) {
  const options = field.options ?? [];
  const chosen = Array.isArray(current) ? current : [];
  return (
    <fieldset className="cf-choices" aria-labelledby={labelId} id={control.id}>
      {options.map((option) => (
        <label key={String(option)} className="cf-choice">
          <input
            type="checkbox"
            checked={chosen.includes(option)}
            onChange={(event) => {
              const next = options.filter((other) =>
                other === option ? event.target.checked : chosen.includes(other),
              );
              set(next.length ? next : undefined);
            }}
          />
          {optionLabel(option)}
        </label>
      ))}
    </fieldset>
  );
}
