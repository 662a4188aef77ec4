'use client';

/** One option of a ChoiceSelect: the value the code keeps and the words the list shows. */
export interface Choice<T extends string> {
  value: T;
  label: string;
}

/**
 * A select over a fixed list of typed values. The browser hands back a string; the pick is found
 * in the list again, so the caller receives the value with its type and nothing outside the list.
 */
export function ChoiceSelect<T extends string>({
  value,
  choices,
  onChoose,
}: {
  value: T;
  choices: readonly Choice<T>[];
  onChoose: (value: T) => void;
}) {
  return (
    <select
      value={value}
      onChange={(event) => {
        const chosen = choices.find((choice) => choice.value === event.target.value);
        if (chosen) onChoose(chosen.value);
      }}
    >
      {choices.map((choice) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </select>
  );
}
