'use client';

import { defaultText } from './default-text';
import { useText } from './use-text';
import type { WidgetProps } from './widget-props';

function textValue(text: string): string | undefined {
  return text === '' ? undefined : text;
}

/** Free text, with the field's suggestions offered as a datalist; emptying it leaves the field out. */
export function TextInput({
  field,
  current,
  set,
  control,
  placeholder,
}: Pick<WidgetProps, 'field' | 'current' | 'set' | 'control'> & { placeholder?: string }) {
  const stored = typeof current === 'string' ? current : undefined;
  const [text, setText] = useText(
    stored,
    (candidate) =>
      textValue(candidate) === stored ||
      (stored === undefined && field.hasDefault && candidate === field.default),
  );
  const short = field.maxLength !== undefined && field.maxLength <= 3;
  const suggestionsId = field.suggestions ? `${control.id}-suggestions` : undefined;
  return (
    <>
      <input
        {...control}
        type="text"
        className={short ? 'cf-input cf-input-short' : 'cf-input'}
        value={text}
        placeholder={defaultText(field) || placeholder}
        maxLength={field.maxLength}
        autoComplete="off"
        spellCheck={false}
        list={suggestionsId}
        onChange={(event) => {
          setText(event.target.value);
          set(textValue(event.target.value));
        }}
      />
      {field.suggestions && (
        <datalist id={suggestionsId}>
          {field.suggestions.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
      )}
    </>
  );
}
