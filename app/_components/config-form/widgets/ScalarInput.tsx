'use client';

import { parseValue } from '../condition-model';
import { CommitText } from './CommitText';
import { defaultText } from './default-text';
import type { WidgetProps } from './widget-props';

/** A constant that may be text, a number or true/false: a number when the text is exactly one. */
export function ScalarInput({ field, current, set, control }: WidgetProps) {
  const saved =
    typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean'
      ? String(current)
      : '';
  return (
    <CommitText
      {...control}
      saved={saved}
      placeholder={defaultText(field)}
      onCommit={(text) => set(parseValue(text, '=', undefined))}
    />
  );
}
