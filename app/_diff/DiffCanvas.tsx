'use client';

import {
  Background,
  Controls,
  type Edge,
  MiniMap,
  type NodeChange,
  Panel,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { type CSSProperties, useCallback, useEffect, useMemo, useState } from 'react';
import type { VersionDiff } from '../../pipeline/version-diff';
import { type StepFlowNode, StepNode } from '../_editor/StepNode';

const nodeTypes = { step: StepNode };
const noProblems: string[] = [];

/** A connection's line by what happened to it: removed ones dash, like removed steps; unchanged keep grey. */
const EDGE_STYLES: Record<string, CSSProperties | undefined> = {
  added: { stroke: 'var(--diff-added)', strokeWidth: 2 },
  removed: { stroke: 'var(--diff-removed)', strokeWidth: 2, strokeDasharray: '6 4' },
};

const MINIMAP_COLOURS: Record<string, string> = {
  added: '#2f9e44',
  removed: '#e03131',
  changed: '#f08c00',
  unchanged: '#adb5bd',
};

/** A request to bring a step into view; a new object each time, so asking twice for one step works. */
export interface FocusRequest {
  nodeId: string;
}

/**
 * Both versions on one read-only canvas, drawn with the editor's step cards: every node of the newer
 * version where it is now, each removed node where it was, and each wrapped in a class saying what
 * happened to it (version-diff.css colours them).
 */
export function DiffCanvas({
  diff,
  selected,
  focus,
  onSelect,
}: {
  diff: VersionDiff;
  selected: string | undefined;
  /** The step picked in the list of changes, to be brought into view. */
  focus: FocusRequest | undefined;
  onSelect: (nodeId: string | undefined) => void;
}) {
  const flow = useReactFlow();
  // Moving the viewport is the one thing here React Flow does not take as a prop.
  useEffect(() => {
    if (focus) void flow.fitView({ nodes: [{ id: focus.nodeId }], duration: 300, maxZoom: 1 });
  }, [flow, focus]);
  // Measured card sizes: React Flow reports them as changes, and the minimap draws nothing without them.
  const [sizes, setSizes] = useState(() => new Map<string, { width: number; height: number }>());
  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const measured = changes.flatMap((change) =>
      change.type === 'dimensions' && change.dimensions ? [[change.id, change.dimensions] as const] : [],
    );
    if (measured.length) setSizes((current) => new Map([...current, ...measured]));
  }, []);
  const nodes = useMemo(
    () =>
      diff.nodes.flatMap((entry): StepFlowNode[] => {
        const node = entry.after ?? entry.before;
        if (!node) return [];
        return [
          {
            id: entry.id,
            type: 'step',
            position: node.position,
            measured: sizes.get(entry.id),
            className: `diff-node diff-${entry.kind}${entry.moved ? ' diff-moved' : ''}`,
            selected: entry.id === selected,
            // Removed steps lie under the newer version's, where they overlap.
            zIndex: entry.kind === 'removed' ? 0 : 1,
            data: { type: node.type, label: node.label, problems: noProblems },
          },
        ];
      }),
    [diff, selected, sizes],
  );
  const edges = useMemo(
    () =>
      diff.edges.map(
        (entry, index): Edge => ({
          id: `${entry.kind}:${index}:${entry.key}`,
          source: entry.edge.source.node,
          sourceHandle: entry.edge.source.port,
          target: entry.edge.target.node,
          targetHandle: entry.edge.target.port,
          className: `diff-edge diff-${entry.kind}`,
          style: EDGE_STYLES[entry.kind],
          ariaLabel: `${entry.kind} connection ${entry.key}`,
        }),
      ),
    [diff],
  );
  return (
    <div className="canvas diff-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        deleteKeyCode={null}
        onNodeClick={(_event, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(undefined)}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        minZoom={0.1}
      >
        <Background gap={16} />
        <Panel position="top-left">
          <ul className="diff-legend" aria-label="Legend">
            <li className="diff-added">Added</li>
            <li className="diff-removed">Removed (where it was)</li>
            <li className="diff-changed">Changed</li>
          </ul>
        </Panel>
        <MiniMap
          pannable
          zoomable
          ariaLabel="Minimap"
          nodeColor={(node) => MINIMAP_COLOURS[kindOf(node.className)] ?? '#adb5bd'}
        />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

function kindOf(className: string | undefined): string {
  return /diff-(added|removed|changed|unchanged)/.exec(className ?? '')?.[1] ?? 'unchanged';
}
