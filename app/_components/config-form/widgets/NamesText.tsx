'use client';

import { splitNames } from '../values';
import { CommitText } from './CommitText';

/** Names typed as a comma-separated list, written when the input is left (or on Enter). */
export function NamesText({
  names,
  onCommit,
  id,
  label,
  placeholder,
  describedBy,
}: {
  names: readonly string[];
  onCommit: (names: string[]) => void;
  id: string;
  label?: string;
  placeholder: string;
  describedBy?: string;
}) {
  const joined = names.join(', ');
  return (
    <CommitText
      id={id}
      aria-label={label}
      aria-describedby={describedBy}
      saved={joined}
      placeholder={placeholder}
      spellCheck={false}
      onCommit={(text) => {
        const next = splitNames(text);
        if (next.join(', ') !== joined) onCommit(next);
      }}
    />
  );
}
