'use client';

import {
  Background,
  type Connection,
  Controls,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  MiniMap,
  type NodeChange,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { toast } from 'sonner';
import type { CompileProblem } from '../../pipeline/problems';
import { NODE_WIDTH } from './auto-layout';
import { type ConnectionRequest, connectionProblem } from './document-edits';
import { selectDocument, useEditor } from './editor-store';
import { type NoteFlowNode, NoteNode } from './NoteNode';
import { DRAG_TYPE } from './Palette';
import { type StepFlowNode, StepNode } from './StepNode';
import { keepUnchanged } from './stable-nodes';
import type { RunView } from './use-run-view';

const nodeTypes = { step: StepNode, note: NoteNode };
const noProblems: string[] = [];
// Props React Flow compares by identity: made once, so a drag frame does not re-render every card.
const deleteKeys = ['Delete', 'Backspace'];
const startViewport = { x: 40, y: 40, zoom: 1 };

function onDragOver(event: DragEvent) {
  event.preventDefault();
  event.dataTransfer.dropEffect = 'move';
}

function isValidConnection(connection: Connection | Edge): boolean {
  const wanted = request(connection);
  return wanted !== undefined && !connectionProblem(useEditor.getState().history.present, wanted);
}

function onConnect(connection: Connection) {
  const wanted = request(connection);
  if (wanted) useEditor.getState().connect(wanted);
}

function onConnectEnd(_event: MouseEvent | TouchEvent, state: FinalConnectionState) {
  if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
  const from = state.fromHandle.type === 'source' ? state.fromHandle : state.toHandle;
  const to = state.fromHandle.type === 'source' ? state.toHandle : state.fromHandle;
  const reason = connectionProblem(useEditor.getState().history.present, {
    source: from.nodeId,
    sourceHandle: from.id ?? '',
    target: to.nodeId,
    targetHandle: to.id ?? '',
  });
  if (reason) toast.error(`Cannot connect: ${reason}`);
}

function onDelete() {
  useEditor.getState().deleteSelection();
}

function onEdgesChange(changes: EdgeChange[]) {
  const state = useEditor.getState();
  const selected = new Set(state.selectedEdges);
  let selectionChanged = false;
  for (const change of changes) {
    if (change.type !== 'select') continue;
    selectionChanged = true;
    if (change.selected) selected.add(change.id);
    else selected.delete(change.id);
  }
  if (selectionChanged) state.select(state.selectedNodes, [...selected]);
}

function request(connection: Connection | Edge): ConnectionRequest | undefined {
  const { source, target, sourceHandle, targetHandle } = connection;
  if (!sourceHandle || !targetHandle) return undefined;
  return { source, target, sourceHandle, targetHandle };
}

/** The canvas: the document drawn with React Flow, every gesture turned into one document edit. */
export function Canvas({
  problems,
  run,
  onOpenNode,
}: {
  problems: CompileProblem[];
  run: RunView | undefined;
  onOpenNode: (nodeId: string) => void;
}) {
  const doc = useEditor(selectDocument);
  const dragging = useEditor((state) => state.dragging);
  const selectedNodes = useEditor((state) => state.selectedNodes);
  const selectedEdges = useEditor((state) => state.selectedEdges);
  // A role that may not edit still selects and opens steps, but moves, connects and deletes nothing.
  const readOnly = useEditor((state) => state.readOnly);
  const flow = useReactFlow();
  // Measured card sizes: React Flow reports them as changes; the minimap and edges need them back.
  const [sizes, setSizes] = useState(() => new Map<string, { width: number; height: number }>());
  // The handlers below read the latest values through a ref, so they keep their identity.
  const latest = useRef({ run, onOpenNode, sizes });
  useLayoutEffect(() => {
    latest.current = { run, onOpenNode, sizes };
  });
  const nodeCache = useRef(new Map<string, StepFlowNode | NoteFlowNode>());

  // Grouped once per compile and per run, not on every frame of a drag.
  const problemsByNode = useMemo(() => {
    const grouped = new Map<string, string[]>();
    for (const problem of problems)
      if (problem.nodeId && problem.severity === 'error')
        grouped.set(problem.nodeId, [...(grouped.get(problem.nodeId) ?? []), problem.message]);
    return grouped;
  }, [problems]);
  const steps = useMemo(() => new Map(run?.steps.map((step) => [step.nodeId, step])), [run]);

  const nodes = useMemo(() => {
    const selected = new Set(selectedNodes);
    const stepNodes: StepFlowNode[] = doc.nodes.map((node) => ({
      id: node.id,
      type: 'step',
      position: dragging?.get(node.id) ?? node.position,
      measured: sizes.get(node.id),
      selected: selected.has(node.id),
      data: {
        type: node.type,
        label: node.label,
        problems: problemsByNode.get(node.id) ?? noProblems,
        step: steps.get(node.id),
      },
    }));
    const notes: NoteFlowNode[] = doc.notes.map((note) => ({
      id: note.id,
      type: 'note',
      position: dragging?.get(note.id) ?? note.position,
      measured: sizes.get(note.id),
      selected: selected.has(note.id),
      data: { text: note.text },
    }));
    nodeCache.current = keepUnchanged<StepFlowNode | NoteFlowNode>(
      [...notes, ...stepNodes],
      nodeCache.current,
    );
    return [...nodeCache.current.values()];
  }, [doc, dragging, selectedNodes, problemsByNode, steps, sizes]);

  const edges = useMemo(() => {
    const selected = new Set(selectedEdges);
    const running = new Set(
      run?.steps.filter((step) => step.status === 'running').map((step) => step.nodeId),
    );
    return doc.edges.map((edge) => ({
      id: edge.id,
      source: edge.source.node,
      sourceHandle: edge.source.port,
      target: edge.target.node,
      targetHandle: edge.target.port,
      selected: selected.has(edge.id),
      animated: running.has(edge.target.node),
    }));
  }, [doc, selectedEdges, run]);

  // React Flow reports user gestures as changes; the document and the selection live in the editor
  // store, so each change is applied there (feeding selection back both ways would loop).
  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const moved = new Map<string, { x: number; y: number }>();
    let ended = false;
    const state = useEditor.getState();
    const selected = new Set(state.selectedNodes);
    let selectionChanged = false;
    const measured: [string, { width: number; height: number }][] = [];
    for (const change of changes) {
      if (change.type === 'dimensions' && change.dimensions) {
        const known = latest.current.sizes.get(change.id);
        if (known?.width !== change.dimensions.width || known?.height !== change.dimensions.height)
          measured.push([change.id, change.dimensions]);
      } else if (change.type === 'position') {
        if (change.position) moved.set(change.id, change.position);
        if (change.dragging === false) ended = true;
      } else if (change.type === 'select') {
        selectionChanged = true;
        if (change.selected) selected.add(change.id);
        else selected.delete(change.id);
      }
    }
    if (measured.length) setSizes((current) => new Map([...current, ...measured]));
    if (selectionChanged) state.select([...selected], state.selectedEdges);
    if (moved.size) state.drag(moved);
    if (ended) state.endDrag();
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(DRAG_TYPE);
      if (!type) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      useEditor.getState().add(type, { x: position.x - NODE_WIDTH / 2, y: position.y - 36 });
    },
    [flow],
  );
  const onNodeDoubleClick = useCallback((_event: unknown, node: { id: string }) => {
    latest.current.onOpenNode(node.id);
  }, []);
  const onNodeClick = useCallback((_event: unknown, node: { id: string }) => {
    if (latest.current.run) latest.current.onOpenNode(node.id);
  }, []);

  return (
    <div className="canvas">
      <ReactFlow
        onDragOver={onDragOver}
        onDrop={onDrop}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        deleteKeyCode={readOnly ? null : deleteKeys}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        isValidConnection={isValidConnection}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onNodeDoubleClick={onNodeDoubleClick}
        onNodeClick={onNodeClick}
        defaultViewport={startViewport}
        minZoom={0.1}
      >
        <Background gap={16} />
        <MiniMap pannable zoomable ariaLabel="Minimap" nodeColor={minimapColor} />
        <Controls />
      </ReactFlow>
    </div>
  );
}

const STATUS_COLOURS: Record<string, string> = {
  succeeded: '#2f9e44',
  cached: '#6741d9',
  failed: '#e03131',
  running: '#3b5bdb',
};

function minimapColor(node: { type?: string; data: Record<string, unknown> }): string {
  if (node.type === 'note') return '#ffe066';
  const step = node.data.step;
  const status = typeof step === 'object' && step !== null && 'status' in step ? String(step.status) : '';
  return STATUS_COLOURS[status] ?? '#adb5bd';
}
