import { useState } from 'react';
import { inputText } from '../values';

/**
 * The text of an input, kept while typed: a new saved value replaces it unless it already says the
 * same (typing the default leaves the field out, but the input keeps showing what was typed).
 */
export function useText(saved: unknown, means: (text: string) => boolean): [string, (text: string) => void] {
  const savedText = inputText(saved);
  const [text, setText] = useState(savedText);
  const [seen, setSeen] = useState(saved);
  if (!Object.is(seen, saved)) {
    setSeen(saved);
    if (!means(text)) setText(savedText);
  }
  return [text, setText];
}
