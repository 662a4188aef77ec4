'use client';

import { useEffect, useRef } from 'react';
import type { WidgetProps } from './widget-props';

/**
 * A checkbox; a field without a default (decided at run time when left out) shows as indeterminate
 * until set, with a way back to "automatic".
 */
export function CheckboxInput({ field, current, set, control, label }: WidgetProps) {
  const ref = useRef<HTMLInputElement>(null);
  const automatic = current === undefined && !field.hasDefault;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = automatic;
  }, [automatic]);
  const checked = typeof current === 'boolean' ? current : field.default === true;
  return (
    <span className="cf-check">
      <input
        {...control}
        ref={ref}
        type="checkbox"
        className="cf-checkbox"
        checked={checked}
        onChange={(event) => set(event.target.checked)}
      />
      <label className="cf-label cf-check-label" htmlFor={control.id}>
        {label}
      </label>
      {!field.hasDefault &&
        (automatic ? (
          <span className="cf-check-note">automatic</span>
        ) : (
          <button type="button" className="cf-link" onClick={() => set(undefined)}>
            Automatic
          </button>
        ))}
    </span>
  );
}
