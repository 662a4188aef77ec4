'use client';

import { useEffect } from 'react';
import { useEditor } from './editor-store';

/** Editor keys: save, undo, redo, copy, paste, duplicate; ignored while typing in a field. */
export function useEditorShortcuts(onSave: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === 's') {
        event.preventDefault();
        onSave();
        return;
      }
      const target = event.target;
      if (target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable]'))
        return;
      const editor = useEditor.getState();
      if (key === 'z' && event.shiftKey) editor.redo();
      else if (key === 'z' || key === 'y') (key === 'z' ? editor.undo : editor.redo)();
      else if (key === 'c') editor.copySelection();
      else if (key === 'v') editor.paste();
      else if (key === 'd') editor.duplicateSelection();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onSave]);
}
