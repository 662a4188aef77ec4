'use client';

import type { Node, NodeProps } from '@xyflow/react';
import { useState } from 'react';
import { useEditor } from './editor-store';

export type NoteFlowNode = Node<{ text: string }, 'note'>;

/** A sticky note: text typed freely, saved as one undo step when the note loses focus. */
export function NoteNode({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const [text, setText] = useState(data.text);
  const edit = useEditor((state) => state.edit);
  return (
    <div className={`note-node${selected ? ' selected' : ''}`}>
      <textarea
        aria-label="Note"
        className="nodrag"
        value={text}
        placeholder="Write a note"
        onChange={(event) => setText(event.target.value)}
        onBlur={() => {
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
