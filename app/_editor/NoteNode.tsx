'use client';

import type { Node, NodeProps } from '@xyflow/react';
import { useState } from 'react';
import { useEditor } from './editor-store';

export type NoteFlowNode = Node<{ text: string }, 'note'>;

/** A sticky note: text typed freely, saved as one undo step when the note loses focus. */
export function NoteNode({ id, data, selected }: NodeProps<NoteFlowNode>) {
  // A draft while typing; otherwise the document's text, so undo and redo show here too.
  const [draft, setDraft] = useState<string>();
  const text = draft ?? data.text;
  const edit = useEditor((state) => state.edit);
  const readOnly = useEditor((state) => state.readOnly);
  return (
    <div className={`note-node${selected ? ' selected' : ''}`}>
      <textarea
        aria-label="Note"
        className="nodrag"
        value={text}
        readOnly={readOnly}
        placeholder="Write a note"
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => {
          setDraft(undefined);
          if (text !== data.text)
            edit((doc) => ({
              ...doc,
              notes: doc.notes.map((note) => (note.id === id ? { ...note, text } : note)),
            }));
        }}
      />
    </div>
  );
}
