'use client';

import { useId } from 'react';

export type ImportanceKind = 'model' | 'permutation';

/**
 * The two-way switch between the model's own importances (split gain, coefficient size) and
 * permutation importances, as the evaluate report and the version comparison show them.
 */
export function ImportanceKindSwitch({
  kind,
  onChange,
  modelLabel,
}: {
  kind: ImportanceKind;
  onChange: (kind: ImportanceKind) => void;
  /** What the model's own measure is called here: "Split gain", "Model's own"… */
  modelLabel: string;
}) {
  const groupName = useId();
  return (
    <fieldset className="report-switch">
      <legend className="report-sr-only">Importance measure</legend>
      {(
        [
          ['model', modelLabel],
          ['permutation', 'Permutation'],
        ] as const
      ).map(([value, label]) => (
        <label key={value} className={kind === value ? 'is-active' : undefined}>
          <input
            type="radio"
            name={groupName}
            value={value}
            checked={kind === value}
            onChange={() => onChange(value)}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
