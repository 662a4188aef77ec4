'use client';

import { parameterReference } from '../../../../pipeline/parameters';
import type { WidgetProps } from './widget-props';

/** A field taken from a pipeline parameter: its name, a warning when undefined, and a way back. */
export function ParameterChip({ current, set, control, labelId, parameters }: WidgetProps) {
  const name = parameterReference(current) ?? '';
  const declared = parameters.some((option) => option.name === name);
  return (
    <div className={declared ? 'cf-param' : 'cf-param cf-param-missing'} id={control.id}>
      <span className="cf-param-icon" aria-hidden="true">
        ⇢
      </span>
      <span className="cf-param-text">
        from parameter <code>{name}</code>
        {!declared && <span className="cf-param-warning"> (not defined)</span>}
      </span>
      <button
        type="button"
        className="cf-link"
        aria-describedby={[labelId, control['aria-describedby']].filter(Boolean).join(' ')}
        onClick={() => set(undefined)}
      >
        Use a value
      </button>
    </div>
  );
}
