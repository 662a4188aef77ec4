import dagre from '@dagrejs/dagre';
import type { PipelineDocument } from '../../pipeline/document';
import { moveNodes } from './document-edits';

/** Node box size the layout reserves; matches the node card's CSS. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 96;

/** Left-to-right layers along the edges (dagre), keeping notes where they are. */
export function autoLayout(doc: PipelineDocument): PipelineDocument {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of doc.nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of doc.edges) graph.setEdge(edge.source.node, edge.target.node);
  dagre.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of doc.nodes) {
    const placed = graph.node(node.id);
    // dagre gives centres; React Flow positions are top-left corners.
    if (placed) positions.set(node.id, { x: placed.x - NODE_WIDTH / 2, y: placed.y - NODE_HEIGHT / 2 });
  }
  return moveNodes(doc, positions);
}
