import { create } from 'zustand';
import type { PipelineDocument } from '../../pipeline/document';
import { autoLayout } from './auto-layout';
import {
  addNode,
  type ConnectionRequest,
  connect,
  duplicateNodes,
  moveNodes,
  removeEdges,
  removeNodes,
  updateNode,
} from './document-edits';
import { commit, type History, redo, startHistory, undo } from './history';

const emptyDocument: PipelineDocument = { schemaVersion: 1, nodes: [], edges: [], parameters: [], notes: [] };

interface EditorState {
  history: History<PipelineDocument>;
  /** The document as last saved: unsaved changes are any difference from it. */
  saved: PipelineDocument;
  savedVersion: number | undefined;
  selectedNodes: string[];
  selectedEdges: string[];
  /** Positions while a drag is under way: shown at once, committed as one step when it ends. */
  dragging: Map<string, { x: number; y: number }> | undefined;
  clipboard: { nodes: PipelineDocument['nodes']; edges: PipelineDocument['edges'] } | undefined;
  /** Set for a role that may not edit: every change below is ignored (the server refuses saves too). */
  readOnly: boolean;

  setReadOnly(readOnly: boolean): void;
  load(doc: PipelineDocument, version: number | undefined): void;
  markSaved(doc: PipelineDocument, version: number): void;
  edit(change: (doc: PipelineDocument) => PipelineDocument): void;
  add(type: string, position: { x: number; y: number }): void;
  connect(request: ConnectionRequest): void;
  drag(positions: Map<string, { x: number; y: number }>): void;
  endDrag(): void;
  select(nodes: string[], edges?: string[]): void;
  deleteSelection(): void;
  copySelection(): void;
  paste(): void;
  duplicateSelection(): void;
  layout(): void;
  undo(): void;
  redo(): void;
}

/** The editor's state: one document with its undo history, the selection, and a drag in progress. */
export const useEditor = create<EditorState>()((set, get) => ({
  history: startHistory(emptyDocument),
  saved: emptyDocument,
  savedVersion: undefined,
  selectedNodes: [],
  selectedEdges: [],
  dragging: undefined,
  clipboard: undefined,
  readOnly: false,

  setReadOnly: (readOnly) => set({ readOnly, dragging: undefined }),
  load: (doc, version) =>
    set({
      history: startHistory(doc),
      saved: doc,
      savedVersion: version,
      selectedNodes: [],
      selectedEdges: [],
    }),
  markSaved: (doc, version) => set({ saved: doc, savedVersion: version }),
  edit: (change) => {
    if (get().readOnly) return;
    set((state) => ({ history: commit(state.history, change(state.history.present)) }));
  },
  add: (type, position) => {
    if (get().readOnly) return;
    const added = addNode(get().history.present, type, position);
    set((state) => ({
      history: commit(state.history, added.doc),
      selectedNodes: [added.id],
      selectedEdges: [],
    }));
  },
  connect: (request) => get().edit((doc) => connect(doc, request)),
  drag: (positions) => {
    if (get().readOnly) return;
    set((state) => ({ dragging: new Map([...(state.dragging ?? []), ...positions]) }));
  },
  endDrag: () => {
    const { dragging } = get();
    if (!dragging?.size) return set({ dragging: undefined });
    set((state) => ({
      history: commit(state.history, moveNodes(state.history.present, dragging)),
      dragging: undefined,
    }));
  },
  select: (nodes, edges = []) => set({ selectedNodes: nodes, selectedEdges: edges }),
  deleteSelection: () => {
    const { selectedNodes, selectedEdges, readOnly } = get();
    if (readOnly) return;
    if (!selectedNodes.length && !selectedEdges.length) return;
    get().edit((doc) => removeEdges(removeNodes(doc, new Set(selectedNodes)), new Set(selectedEdges)));
    set({ selectedNodes: [], selectedEdges: [] });
  },
  copySelection: () => {
    const doc = get().history.present;
    const ids = new Set(get().selectedNodes);
    if (!ids.size) return;
    set({
      clipboard: {
        nodes: doc.nodes.filter((node) => ids.has(node.id)),
        edges: doc.edges.filter((edge) => ids.has(edge.source.node) && ids.has(edge.target.node)),
      },
    });
  },
  paste: () => {
    const { clipboard, readOnly } = get();
    if (!clipboard || readOnly) return;
    const pasted = duplicateNodes(get().history.present, clipboard.nodes, clipboard.edges);
    set((state) => ({
      history: commit(state.history, pasted.doc),
      selectedNodes: pasted.ids,
      selectedEdges: [],
    }));
  },
  duplicateSelection: () => {
    get().copySelection();
    get().paste();
  },
  layout: () => get().edit(autoLayout),
  undo: () => set((state) => (state.readOnly ? {} : { history: undo(state.history) })),
  redo: () => set((state) => (state.readOnly ? {} : { history: redo(state.history) })),
}));

export const selectDocument = (state: EditorState) => state.history.present;
export const selectUnsaved = (state: EditorState) => state.history.present !== state.saved;
export { updateNode };
