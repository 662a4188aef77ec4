'use client';

import { type InputHTMLAttributes, type KeyboardEvent, useState } from 'react';

/** Text being typed over a saved value: a new saved value (undo, another edit) replaces the draft. */
export function useDraft(saved: string): [string, (text: string) => void] {
  const [text, setText] = useState(saved);
  const [seen, setSeen] = useState(saved);
  if (seen !== saved) {
    setSeen(saved);
    setText(saved);
  }
  return [text, setText];
}

/** A text input that changes the config when left or on Enter, so one edit is one undo step. */
export function CommitText({
  saved,
  onCommit,
  ...input
}: {
  saved: string;
  onCommit: (text: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onBlur' | 'onKeyDown'>) {
  const [text, setText] = useDraft(saved);
  const commit = () => {
    if (text !== saved) onCommit(text);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') commit();
    else if (event.key === 'Escape' && text !== saved) {
      event.stopPropagation();
      setText(saved);
    }
  };
  return (
    <input
      className="cf-input"
      autoComplete="off"
      {...input}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onBlur={commit}
      onKeyDown={onKeyDown}
    />
  );
}
