'use client';

import { parseList, valueText } from '../condition-model';
import { CommitText } from './CommitText';
import type { WidgetProps } from './widget-props';

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A short list of values typed with commas: "a, b, 3". */
export function ValuesInput({ current, set, control }: WidgetProps) {
  const saved = Array.isArray(current) ? valueText(current.filter(isScalar)) : '';
  return (
    <CommitText
      {...control}
      saved={saved}
      placeholder="Values, separated by commas"
      onCommit={(text) => {
        const values = parseList(text, undefined);
        set(values.length ? values : undefined);
      }}
    />
  );
}
