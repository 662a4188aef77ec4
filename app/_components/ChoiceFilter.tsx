/** One option of a ChoiceFilter: the value the page filters by and the words the select shows. */
export interface Choice<T extends string> {
  value: T;
  label: string;
}

/** The choice whose value the select reported, or undefined for a value the choices do not hold. */
export function choiceOf<T extends string>(
  choices: readonly Choice<T>[],
  value: string,
): Choice<T> | undefined {
  return choices.find((choice) => choice.value === value);
}

/**
 * A list's filter select over a fixed set of values (alias, state…). The page gets its own value
 * type back, read from the choices rather than cast from the DOM's string.
 */
export function ChoiceFilter<T extends string>({
  label,
  choices,
  value,
  onChange,
}: {
  label: string;
  choices: readonly Choice<T>[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <select
      aria-label={label}
      value={value}
      onChange={(event) => {
        const chosen = choiceOf(choices, event.target.value);
        if (chosen) onChange(chosen.value);
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
