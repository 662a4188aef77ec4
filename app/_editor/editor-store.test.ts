import { beforeEach, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../pipeline/document';
import { addNode } from './document-edits';
import { useEditor } from './editor-store';

const empty: PipelineDocument = { schemaVersion: 1, nodes: [], edges: [], parameters: [], notes: [] };
const oneStep = addNode(empty, 'ingest', { x: 0, y: 0 }).doc;

describe('a read-only editor (a role that may not edit)', () => {
  beforeEach(() => {
    useEditor.getState().setReadOnly(false);
    useEditor.getState().load(oneStep, 1);
  });

  it('ignores every change: add, edit, drag, delete, paste, layout, undo', () => {
    const editor = useEditor.getState();
    editor.add('split', { x: 300, y: 0 });
    expect(useEditor.getState().history.present.nodes).toHaveLength(2);
    editor.setReadOnly(true);
    const before = useEditor.getState().history;

    editor.add('train', { x: 600, y: 0 });
    editor.edit((doc) => ({ ...doc, nodes: [] }));
    editor.drag(new Map([[oneStep.nodes[0]?.id ?? '', { x: 50, y: 50 }]]));
    editor.endDrag();
    editor.select(oneStep.nodes.map((node) => node.id));
    editor.deleteSelection();
    editor.copySelection();
    editor.paste();
    editor.layout();
    editor.undo();

    expect(useEditor.getState().history).toBe(before);
    expect(useEditor.getState().history.present.nodes).toHaveLength(2);
    // Selecting still works: a viewer opens a step to read its settings.
    expect(useEditor.getState().selectedNodes).toEqual(oneStep.nodes.map((node) => node.id));
  });

  it('takes changes again once the role allows editing', () => {
    useEditor.getState().setReadOnly(true);
    useEditor.getState().setReadOnly(false);
    useEditor.getState().add('split', { x: 300, y: 0 });
    expect(useEditor.getState().history.present.nodes).toHaveLength(2);
  });
});
