'use client';

import { parseNumberText } from '../values';
import { defaultText } from './default-text';
import { useText } from './use-text';
import type { WidgetProps } from './widget-props';

/**
 * A number keeps its own text while typed ("0." or "-" are on the way to a number); a number is
 * written as soon as the text is one, and emptying the input leaves the field out.
 */
export function NumberInput({ field, current, set, control }: WidgetProps) {
  const stored = typeof current === 'number' ? current : undefined;
  const [text, setText] = useText(stored, (candidate) => {
    const typed = parseNumberText(candidate);
    return Object.is(typed, stored) || (stored === undefined && field.hasDefault && typed === field.default);
  });
  return (
    <input
      {...control}
      type="number"
      className="cf-input cf-input-number"
      value={text}
      placeholder={defaultText(field)}
      min={field.min}
      max={field.max}
      step={field.step}
      inputMode={field.valueType === 'integer' ? 'numeric' : 'decimal'}
      onChange={(event) => {
        // Half-typed text ("1e", "-") reads as "" with badInput: keep it on screen, write nothing yet.
        setText(event.target.value);
        if (event.target.validity.badInput) return;
        const next = parseNumberText(event.target.value);
        if (next === undefined || Number.isFinite(next)) set(next);
      }}
    />
  );
}
