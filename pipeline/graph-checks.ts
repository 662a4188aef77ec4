import type { NodeSpec } from '../nodes/_kit/define-node';
import type { PortSpec, Ports } from '../nodes/_kit/ports';
import type { PipelineDocument, PipelineEdge, PipelineNode } from './document';
import type { CompileProblem } from './problems';

export type SpecLookup = (type: string) => NodeSpec | undefined;

/**
 * A node type's port by a name from the document. Object.hasOwn, because ports are plain objects
 * and an edge to a port named "constructor" or "toString" must not find Object.prototype's.
 */
export function portNamed(ports: Ports, name: string): PortSpec | undefined {
  return Object.hasOwn(ports, name) ? ports[name] : undefined;
}

/** Name of a node for messages: its label when it has one, and always its id. */
export function describeNode(node: PipelineNode): string {
  return node.label && node.label !== node.id ? `"${node.label}" (${node.id})` : `"${node.id}"`;
}

/** Nodes by id; a repeated id is a problem and the later node is ignored. */
export function indexNodes(
  document: PipelineDocument,
  problems: CompileProblem[],
): Map<string, PipelineNode> {
  const nodes = new Map<string, PipelineNode>();
  for (const node of document.nodes) {
    if (nodes.has(node.id)) {
      problems.push({
        code: 'duplicate-node-id',
        severity: 'error',
        nodeId: node.id,
        message: `Two nodes share the id "${node.id}"`,
      });
      continue;
    }
    nodes.set(node.id, node);
  }
  return nodes;
}

export function checkNodeTypes(
  nodes: Map<string, PipelineNode>,
  specOf: SpecLookup,
  problems: CompileProblem[],
): void {
  for (const node of nodes.values()) {
    if (!specOf(node.type)) {
      problems.push({
        code: 'unknown-node-type',
        severity: 'error',
        nodeId: node.id,
        message: `Node ${describeNode(node)} has an unknown type "${node.type}"`,
      });
    }
  }
}

/** Checks each edge's ends and kinds; returns the valid edges grouped by target node. */
export function checkEdges(
  document: PipelineDocument,
  nodes: Map<string, PipelineNode>,
  specOf: SpecLookup,
  problems: CompileProblem[],
): Map<string, PipelineEdge[]> {
  const byTarget = new Map<string, PipelineEdge[]>();
  const seenInputs = new Map<string, PipelineEdge>();
  for (const edge of document.edges) {
    if (!edgeIsValid(edge, nodes, specOf, problems)) continue;
    const inputKey = `${edge.target.node}\u0000${edge.target.port}`;
    const earlier = seenInputs.get(inputKey);
    if (earlier) {
      const target = nodes.get(edge.target.node);
      problems.push({
        code: 'multiple-edges-into-input',
        severity: 'error',
        edgeId: edge.id,
        nodeId: edge.target.node,
        message: `Input "${edge.target.port}" of ${target ? describeNode(target) : edge.target.node} already has a connection; an input takes one`,
      });
      continue;
    }
    seenInputs.set(inputKey, edge);
    const into = byTarget.get(edge.target.node);
    if (into) into.push(edge);
    else byTarget.set(edge.target.node, [edge]);
  }
  return byTarget;
}

function edgeIsValid(
  edge: PipelineEdge,
  nodes: Map<string, PipelineNode>,
  specOf: SpecLookup,
  problems: CompileProblem[],
): boolean {
  const source = nodes.get(edge.source.node);
  const target = nodes.get(edge.target.node);
  if (!source || !target) {
    const missing = source ? edge.target.node : edge.source.node;
    problems.push({
      code: 'unknown-edge-endpoint',
      severity: 'error',
      edgeId: edge.id,
      message: `Connection ${edge.id} refers to a node "${missing}" that does not exist`,
    });
    return false;
  }
  const sourceSpec = specOf(source.type);
  const targetSpec = specOf(target.type);
  // Unknown types are reported per node; their edges cannot be checked further.
  if (!sourceSpec || !targetSpec) return false;
  const output = portNamed(sourceSpec.outputs, edge.source.port);
  const input = portNamed(targetSpec.inputs, edge.target.port);
  if (!output || !input) {
    const [node, port, side] = output
      ? [target, edge.target.port, 'input']
      : [source, edge.source.port, 'output'];
    problems.push({
      code: 'unknown-port',
      severity: 'error',
      edgeId: edge.id,
      nodeId: node.id,
      message: `Node ${describeNode(node)} has no ${side} "${port}"`,
    });
    return false;
  }
  if (output.kind !== input.kind) {
    problems.push({
      code: 'port-kind-mismatch',
      severity: 'error',
      edgeId: edge.id,
      nodeId: target.id,
      message: `Cannot connect the ${output.kind} output "${edge.source.port}" of ${describeNode(source)} to the ${input.kind} input "${edge.target.port}" of ${describeNode(target)}`,
    });
    return false;
  }
  return true;
}

export function checkRequiredInputs(
  nodes: Map<string, PipelineNode>,
  edgesByTarget: Map<string, PipelineEdge[]>,
  specOf: SpecLookup,
  problems: CompileProblem[],
): void {
  for (const node of nodes.values()) {
    const spec = specOf(node.type);
    if (!spec) continue;
    // At most one edge per input port (checkEdges keeps the first), so a scan beats building a Set.
    const edges = edgesByTarget.get(node.id) ?? [];
    for (const [port, input] of Object.entries(spec.inputs)) {
      if (input.optional || edges.some((edge) => edge.target.port === port)) continue;
      problems.push({
        code: 'required-input-unconnected',
        severity: 'error',
        nodeId: node.id,
        port,
        message: `Input "${input.label}" of ${describeNode(node)} needs a connection`,
      });
    }
  }
}

/**
 * Every cycle (strongly connected group of nodes), reported once per node in it. The message
 * follows one real loop through the group, naming its connections, so the user can find an edge
 * to remove: the group's nodes in discovery order need not be connected in that order.
 */
export function checkCycles(
  nodes: Map<string, PipelineNode>,
  edgesByTarget: Map<string, PipelineEdge[]>,
  problems: CompileProblem[],
): void {
  const outgoing = new Map<string, PipelineEdge[]>();
  for (const edges of edgesByTarget.values()) {
    for (const edge of edges) {
      const from = outgoing.get(edge.source.node);
      if (from) from.push(edge);
      else outgoing.set(edge.source.node, [edge]);
    }
  }
  const successors = (id: string) => (outgoing.get(id) ?? []).map((edge) => edge.target.node);
  for (const component of stronglyConnected([...nodes.keys()], successors)) {
    const [first] = component;
    if (first === undefined) continue;
    const loop = loopThrough(first, new Set(component), outgoing);
    if (loop.length === 0) continue;
    const path = [first, ...loop.map((edge) => edge.target.node)].join(' → ');
    const connections = loop.map((edge) => edge.id).join(', ');
    const message = `Connections form a loop: ${path} (connection${loop.length === 1 ? '' : 's'} ${connections})`;
    const leaving = new Map(loop.map((edge) => [edge.source.node, edge.id]));
    for (const nodeId of component) {
      const edgeId = leaving.get(nodeId);
      problems.push({ code: 'cycle', severity: 'error', nodeId, ...(edgeId && { edgeId }), message });
    }
  }
}

/**
 * The shortest loop from `start` back to itself inside its group, as edges; none when the group is
 * a single node without a self-loop. Breadth-first, so linear in the group's edges.
 */
function loopThrough(
  start: string,
  group: ReadonlySet<string>,
  outgoing: Map<string, PipelineEdge[]>,
): PipelineEdge[] {
  const reachedBy = new Map<string, PipelineEdge>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] ?? start;
    for (const edge of outgoing.get(id) ?? []) {
      const next = edge.target.node;
      if (next === start) return [...pathTo(id, start, reachedBy), edge];
      if (!group.has(next) || reachedBy.has(next)) continue;
      reachedBy.set(next, edge);
      queue.push(next);
    }
  }
  return [];
}

/** The edges that led breadth-first from `start` to `id`. */
function pathTo(id: string, start: string, reachedBy: Map<string, PipelineEdge>): PipelineEdge[] {
  const path: PipelineEdge[] = [];
  let at = id;
  while (at !== start) {
    const edge = reachedBy.get(at);
    if (!edge) break;
    path.push(edge);
    at = edge.source.node;
  }
  return path.reverse();
}

/** Tarjan's algorithm, iterative so deep graphs cannot overflow the stack. */
function stronglyConnected(ids: string[], successors: (id: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const start of ids) {
    if (index.has(start)) continue;
    const work: { id: string; next: number; children: string[] }[] = [
      { id: start, next: 0, children: successors(start) },
    ];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (!frame) break;
      const child = frame.children[frame.next++];
      if (child !== undefined) {
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ id: child, next: 0, children: successors(child) });
        } else if (onStack.has(child)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(child) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component.reverse());
      }
    }
  }
  return components;
}

export function warnDisconnected(
  document: PipelineDocument,
  nodes: Map<string, PipelineNode>,
  problems: CompileProblem[],
): void {
  if (nodes.size < 2) return;
  const touched = new Set<string>();
  for (const edge of document.edges) touched.add(edge.source.node).add(edge.target.node);
  for (const node of nodes.values()) {
    if (touched.has(node.id)) continue;
    problems.push({
      code: 'disconnected-node',
      severity: 'warning',
      nodeId: node.id,
      message: `Node ${describeNode(node)} is not connected to anything`,
    });
  }
}
