'use client';

import { type KeyboardEvent, useLayoutEffect, useRef } from 'react';
import { fitsWidget, formatJson, parseJsonText, sameValue } from '../values';
import { useDraft } from './CommitText';
import { defaultText } from './default-text';
import type { WidgetProps } from './widget-props';

/**
 * JSON (lists of operations, gates, conditions): edited as text and parsed when the textarea is left
 * or on Ctrl/⌘+Enter, so one edit is one change; a parse error keeps the text as typed. Escape goes
 * back to the saved value. Also the fallback for a value that does not fit the field's usual widget.
 */
export function JsonInput({ field, current, set, control, onDraftError }: WidgetProps) {
  const saved = current === undefined ? '' : formatJson(current);
  const [text, setText] = useDraft(saved);
  const fallback = !fitsWidget(field, current);

  const commit = () => {
    if (text === saved) return onDraftError(undefined);
    if (text.trim() === '') {
      onDraftError(undefined);
      return set(undefined);
    }
    const parsed = parseJsonText(text);
    if (!parsed.ok) return onDraftError(parsed.message);
    onDraftError(undefined);
    if (sameValue(parsed.value, current)) setText(saved);
    else set(parsed.value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      commit();
    } else if (event.key === 'Escape' && text !== saved) {
      event.stopPropagation();
      setText(saved);
      onDraftError(undefined);
    }
  };

  const placeholder = [
    field.hasDefault ? `Default: ${defaultText(field)}` : '',
    field.example !== undefined ? `For example:\n${formatJson(field.example)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const ref = useRef<HTMLTextAreaElement>(null);
  // As tall as its text (or, when empty, its placeholder), wrapped lines included, up to a limit.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const shown = text || placeholder;
    element.style.height = 'auto';
    if (!text) element.value = shown;
    const height = element.scrollHeight + element.offsetHeight - element.clientHeight;
    if (!text) element.value = '';
    element.style.height = `${Math.min(Math.max(height, 64), 280)}px`;
  }, [text, placeholder]);
  return (
    <>
      {fallback && <p className="cf-muted">This value does not fit the usual control; edit it as JSON.</p>}
      <textarea
        {...control}
        className="cf-input cf-textarea"
        value={text}
        placeholder={placeholder}
        ref={ref}
        rows={3}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
    </>
  );
}
