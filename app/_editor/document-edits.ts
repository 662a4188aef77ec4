import { nodeSpec } from '../../nodes/specs';
import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../pipeline/document';

/** Pure edits of a pipeline document; each returns a new document (the editor's undo unit). */

export function nextNodeId(doc: PipelineDocument, type: string): string {
  const base = type.replace(/[^A-Za-z0-9]/g, '_');
  const taken = new Set(doc.nodes.map((node) => node.id));
  for (let index = 1; ; index++) {
    const id = `${base}_${index}`;
    if (!taken.has(id)) return id;
  }
}

export function addNode(
  doc: PipelineDocument,
  type: string,
  position: { x: number; y: number },
): { doc: PipelineDocument; id: string } {
  const id = nextNodeId(doc, type);
  const node: PipelineNode = { id, type, label: '', position, config: {} };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

export function removeNodes(doc: PipelineDocument, ids: ReadonlySet<string>): PipelineDocument {
  return {
    ...doc,
    nodes: doc.nodes.filter((node) => !ids.has(node.id)),
    edges: doc.edges.filter((edge) => !ids.has(edge.source.node) && !ids.has(edge.target.node)),
    notes: doc.notes.filter((note) => !ids.has(note.id)),
  };
}

export function removeEdges(doc: PipelineDocument, ids: ReadonlySet<string>): PipelineDocument {
  return { ...doc, edges: doc.edges.filter((edge) => !ids.has(edge.id)) };
}

export function moveNodes(
  doc: PipelineDocument,
  positions: ReadonlyMap<string, { x: number; y: number }>,
): PipelineDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((node) => {
      const position = positions.get(node.id);
      return position ? { ...node, position } : node;
    }),
    notes: doc.notes.map((note) => {
      const position = positions.get(note.id);
      return position ? { ...note, position } : note;
    }),
  };
}

export function updateNode(
  doc: PipelineDocument,
  id: string,
  change: Partial<Pick<PipelineNode, 'label' | 'config'>>,
): PipelineDocument {
  return { ...doc, nodes: doc.nodes.map((node) => (node.id === id ? { ...node, ...change } : node)) };
}

export interface ConnectionRequest {
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

/** Why a connection may not be made, in words for a toast; undefined when it may. */
export function connectionProblem(doc: PipelineDocument, request: ConnectionRequest): string | undefined {
  if (request.source === request.target) return 'A step cannot feed itself';
  const from = doc.nodes.find((node) => node.id === request.source);
  const to = doc.nodes.find((node) => node.id === request.target);
  const output = from && nodeSpec(from.type)?.outputs[request.sourceHandle];
  const input = to && nodeSpec(to.type)?.inputs[request.targetHandle];
  if (!output || !input) return 'Connect an output (right side) to an input (left side)';
  if (output.kind !== input.kind)
    return `${output.label} is a ${output.kind}, but ${input.label} takes a ${input.kind}`;
  if (
    doc.edges.some((edge) => edge.target.node === request.target && edge.target.port === request.targetHandle)
  )
    return `${input.label} already has a connection: remove it first`;
  if (reaches(doc, request.target, request.source)) return 'That connection would make a loop';
  return undefined;
}

export function connect(doc: PipelineDocument, request: ConnectionRequest): PipelineDocument {
  const edge: PipelineEdge = {
    id: `${request.source}.${request.sourceHandle}->${request.target}.${request.targetHandle}`,
    source: { node: request.source, port: request.sourceHandle },
    target: { node: request.target, port: request.targetHandle },
  };
  return { ...doc, edges: [...doc.edges, edge] };
}

/** An output that may feed an input: which step and port, and how to name it. */
export interface InputChoice {
  node: string;
  port: string;
  label: string;
}

/**
 * The outputs that could feed an input port, as a menu offers them (the keyboard's way to connect):
 * every other step's output of the right kind that would not close a loop.
 */
export function inputChoices(doc: PipelineDocument, target: string, port: string): InputChoice[] {
  const free = withoutInput(doc, target, port);
  return doc.nodes.flatMap((node) =>
    Object.entries(nodeSpec(node.type)?.outputs ?? {})
      .filter(
        ([output]) =>
          connectionProblem(free, { source: node.id, sourceHandle: output, target, targetHandle: port }) ===
          undefined,
      )
      .map(([output, spec]) => ({
        node: node.id,
        port: output,
        label: `${node.label || node.id} › ${spec.label}`,
      })),
  );
}

/** Connects an input to another output, or disconnects it, as one edit. */
export function reconnectInput(
  doc: PipelineDocument,
  target: string,
  port: string,
  source: { node: string; port: string } | undefined,
): PipelineDocument {
  const free = withoutInput(doc, target, port);
  if (!source) return free;
  return connect(free, { source: source.node, sourceHandle: source.port, target, targetHandle: port });
}

function withoutInput(doc: PipelineDocument, target: string, port: string): PipelineDocument {
  return {
    ...doc,
    edges: doc.edges.filter((edge) => !(edge.target.node === target && edge.target.port === port)),
  };
}

/** Whether `to` can be reached from `from` along edges. */
function reaches(doc: PipelineDocument, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const node = stack.pop();
    if (node === undefined || seen.has(node)) continue;
    if (node === to) return true;
    seen.add(node);
    for (const edge of doc.edges) if (edge.source.node === node) stack.push(edge.target.node);
  }
  return false;
}

/** Copies of the given nodes (and the edges between them), offset, with fresh ids. */
export function duplicateNodes(
  doc: PipelineDocument,
  nodes: PipelineNode[],
  edges: PipelineEdge[],
  offset = 40,
): { doc: PipelineDocument; ids: string[] } {
  let next = doc;
  const renamed = new Map<string, string>();
  for (const node of nodes) {
    const added = addNode(next, node.type, { x: node.position.x + offset, y: node.position.y + offset });
    next = updateNode(added.doc, added.id, { label: node.label, config: structuredClone(node.config) });
    renamed.set(node.id, added.id);
  }
  for (const edge of edges) {
    const source = renamed.get(edge.source.node);
    const target = renamed.get(edge.target.node);
    if (source && target)
      next = connect(next, {
        source,
        sourceHandle: edge.source.port,
        target,
        targetHandle: edge.target.port,
      });
  }
  return { doc: next, ids: [...renamed.values()] };
}
