import { canonicalJson } from './canonical-json';
import type { PipelineDocument, PipelineEdge, PipelineNode, PipelineParameter } from './document';

type PipelineNote = PipelineDocument['notes'][number];

import { parameterReference } from './parameters';

/**
 * What changed between two versions of a pipeline: nodes (by id), connections (by what they join),
 * and parameters (by name). Pure and browser-safe: the server computes it, the diff page draws it.
 */

/** One field that differs, e.g. `config.columns[2]`: `before` is absent when added, `after` when removed. */
export interface FieldChange {
  /** Where the field is, as keys and indexes from the node or parameter, e.g. ['config', 'rules', 0, 'value']. */
  path: (string | number)[];
  /** The path written out, e.g. `config.rules[0].value`. */
  at: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

export interface NodeDiff {
  id: string;
  kind: ChangeKind;
  /** The node in the older version; absent for an added node. */
  before?: PipelineNode;
  /** The node in the newer version; absent for a removed node. */
  after?: PipelineNode;
  /** Type, label, config and execution fields that differ; empty unless `kind` is 'changed'. */
  fields: FieldChange[];
  /** Whether its position changed; a move alone leaves the node 'unchanged'. */
  moved: boolean;
}

export interface EdgeDiff {
  /** What the connection joins, `source.port→target.port`: edge ids are not compared, the ends are. */
  key: string;
  kind: 'added' | 'removed' | 'unchanged';
  edge: PipelineEdge;
}

export interface ParameterDiff {
  name: string;
  kind: 'added' | 'removed' | 'changed';
  before?: PipelineParameter;
  after?: PipelineParameter;
  fields: FieldChange[];
}

/** A sticky note whose text differs; notes moved or resized only are not listed. */
export interface NoteDiff {
  id: string;
  kind: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

export interface VersionDiff {
  /** Every node of either version, newer version's order first, then removed ones. */
  nodes: NodeDiff[];
  /** Every connection of either version. */
  edges: EdgeDiff[];
  /** Only the parameters that differ. */
  parameters: ParameterDiff[];
  /** Only the notes whose text differs. */
  notes: NoteDiff[];
  counts: {
    nodesAdded: number;
    nodesRemoved: number;
    nodesChanged: number;
    nodesMoved: number;
    edgesAdded: number;
    edgesRemoved: number;
    parametersChanged: number;
    notesChanged: number;
  };
}

/** Above this many element pairs, arrays are compared index by index instead of aligned. */
const ALIGNMENT_LIMIT = 250_000;

export function diffDocuments(before: PipelineDocument, after: PipelineDocument): VersionDiff {
  const nodes = diffNodes(before.nodes, after.nodes);
  const edges = diffEdges(before.edges, after.edges);
  const parameters = diffParameters(before.parameters, after.parameters);
  const notes = diffNotes(before.notes, after.notes);
  const count = <T extends { kind: string }>(list: T[], kind: string) =>
    list.filter((item) => item.kind === kind).length;
  return {
    nodes,
    edges,
    parameters,
    notes,
    counts: {
      nodesAdded: count(nodes, 'added'),
      nodesRemoved: count(nodes, 'removed'),
      nodesChanged: count(nodes, 'changed'),
      nodesMoved: nodes.filter((node) => node.moved).length,
      edgesAdded: count(edges, 'added'),
      edgesRemoved: count(edges, 'removed'),
      parametersChanged: parameters.length,
      notesChanged: notes.length,
    },
  };
}

/** Whether two versions differ in anything the diff reports other than positions. */
export function hasChanges(diff: VersionDiff): boolean {
  const { nodesMoved: _moved, ...counts } = diff.counts;
  return Object.values(counts).some((count) => count > 0);
}

function diffNodes(before: PipelineNode[], after: PipelineNode[]): NodeDiff[] {
  const old = new Map(before.map((node) => [node.id, node]));
  const kept = new Set(after.map((node) => node.id));
  const diffs: NodeDiff[] = after.map((node) => {
    const previous = old.get(node.id);
    if (!previous) return { id: node.id, kind: 'added', after: node, fields: [], moved: false };
    const fields = nodeFieldChanges(previous, node);
    const moved = previous.position.x !== node.position.x || previous.position.y !== node.position.y;
    const kind = fields.length ? 'changed' : 'unchanged';
    return { id: node.id, kind, before: previous, after: node, fields, moved };
  });
  for (const node of before) {
    if (!kept.has(node.id))
      diffs.push({ id: node.id, kind: 'removed', before: node, fields: [], moved: false });
  }
  return diffs;
}

/** Everything about a node but its id and position. */
function nodeFieldChanges(before: PipelineNode, after: PipelineNode): FieldChange[] {
  const changes: FieldChange[] = [];
  diffValues(before.type, after.type, ['type'], changes);
  diffValues(before.label, after.label, ['label'], changes);
  diffValues(before.config, after.config, ['config'], changes);
  diffValues(before.execution ?? {}, after.execution ?? {}, ['execution'], changes);
  return changes;
}

export function edgeKey(edge: PipelineEdge): string {
  return `${edge.source.node}.${edge.source.port}→${edge.target.node}.${edge.target.port}`;
}

function diffEdges(before: PipelineEdge[], after: PipelineEdge[]): EdgeDiff[] {
  const oldKeys = new Set(before.map(edgeKey));
  const newKeys = new Set(after.map(edgeKey));
  const diffs: EdgeDiff[] = after.map((edge) => {
    const key = edgeKey(edge);
    return { key, kind: oldKeys.has(key) ? 'unchanged' : 'added', edge };
  });
  for (const edge of before) {
    const key = edgeKey(edge);
    if (!newKeys.has(key)) diffs.push({ key, kind: 'removed', edge });
  }
  return diffs;
}

function diffParameters(before: PipelineParameter[], after: PipelineParameter[]): ParameterDiff[] {
  const old = new Map(before.map((parameter) => [parameter.name, parameter]));
  const kept = new Set(after.map((parameter) => parameter.name));
  const diffs: ParameterDiff[] = [];
  for (const parameter of after) {
    const previous = old.get(parameter.name);
    if (!previous) {
      diffs.push({ name: parameter.name, kind: 'added', after: parameter, fields: [] });
      continue;
    }
    const fields: FieldChange[] = [];
    diffValues(previous.type, parameter.type, ['type'], fields);
    diffValues(previous.default, parameter.default, ['default'], fields);
    diffValues(previous.description, parameter.description, ['description'], fields);
    if (fields.length)
      diffs.push({ name: parameter.name, kind: 'changed', before: previous, after: parameter, fields });
  }
  for (const parameter of before) {
    if (!kept.has(parameter.name))
      diffs.push({ name: parameter.name, kind: 'removed', before: parameter, fields: [] });
  }
  return diffs;
}

function diffNotes(before: PipelineNote[], after: PipelineNote[]): NoteDiff[] {
  const old = new Map(before.map((note) => [note.id, note.text]));
  const kept = new Set(after.map((note) => note.id));
  const diffs: NoteDiff[] = [];
  for (const note of after) {
    const previous = old.get(note.id);
    if (previous === undefined) diffs.push({ id: note.id, kind: 'added', after: note.text });
    else if (previous !== note.text)
      diffs.push({ id: note.id, kind: 'changed', before: previous, after: note.text });
  }
  for (const note of before) {
    if (!kept.has(note.id)) diffs.push({ id: note.id, kind: 'removed', before: note.text });
  }
  return diffs;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(before: unknown, after: unknown): boolean {
  if (Object.is(before, after)) return true;
  if (typeof before !== 'object' || typeof after !== 'object') return false;
  return canonicalJson(before) === canonicalJson(after);
}

/**
 * Appends the differences between two JSON values under `path`. Objects are compared key by key
 * and arrays element by element, so a change deep in a config names its own field. A parameter
 * reference ({"$param": "name"}) is one value, never opened: "5 → $n" says more than
 * "$param added". An absent value (undefined) is a field added or removed.
 */
function diffValues(before: unknown, after: unknown, path: (string | number)[], out: FieldChange[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    out.push(fieldChange(path, 'added', undefined, after));
    return;
  }
  if (after === undefined) {
    out.push(fieldChange(path, 'removed', before, undefined));
    return;
  }
  if (sameValue(before, after)) return;
  const opaque = parameterReference(before) !== undefined || parameterReference(after) !== undefined;
  if (!opaque && isPlainObject(before) && isPlainObject(after)) {
    // In name order: PostgreSQL's jsonb keeps keys in an order of its own, not the one saved.
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const field = (value: Record<string, unknown>) => (Object.hasOwn(value, key) ? value[key] : undefined);
      diffValues(field(before), field(after), [...path, key], out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffArrays(before, after, path, out);
    return;
  }
  out.push(fieldChange(path, 'changed', before, after));
}

/**
 * Arrays are aligned on their longest common run of equal elements, so a column inserted at the
 * front is one addition rather than every later index changed. Between two aligned elements, the
 * unmatched ones are paired up as changes (opened, so `rules[0].value` is named) and the rest are
 * added (at their new index) or removed (at their old one). Very long arrays are compared by index.
 */
function diffArrays(
  before: unknown[],
  after: unknown[],
  path: (string | number)[],
  out: FieldChange[],
): void {
  const matches =
    before.length * after.length <= ALIGNMENT_LIMIT
      ? commonRun(before, after)
      : Array.from(
          { length: Math.min(before.length, after.length) },
          (_, index) => [index, index] as const,
        ).filter(([index]) => sameValue(before[index], after[index]));
  let oldAt = 0;
  let newAt = 0;
  for (const [oldMatch, newMatch] of [...matches, [before.length, after.length] as const]) {
    const paired = Math.min(oldMatch - oldAt, newMatch - newAt);
    for (let step = 0; step < paired; step++) {
      diffValues(before[oldAt + step], after[newAt + step], [...path, newAt + step], out);
    }
    for (let index = oldAt + paired; index < oldMatch; index++) {
      out.push(fieldChange([...path, index], 'removed', before[index], undefined));
    }
    for (let index = newAt + paired; index < newMatch; index++) {
      out.push(fieldChange([...path, index], 'added', undefined, after[index]));
    }
    oldAt = oldMatch + 1;
    newAt = newMatch + 1;
  }
}

/** Index pairs of a longest common subsequence of equal elements, in order. */
function commonRun(before: unknown[], after: unknown[]): (readonly [number, number])[] {
  const keysBefore = before.map((value) => canonicalJson(value));
  const keysAfter = after.map((value) => canonicalJson(value));
  const width = after.length + 1;
  // lengths[i * width + j]: the longest common run of before[i..] and after[j..].
  const lengths = new Uint32Array((before.length + 1) * width);
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        keysBefore[i] === keysAfter[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const pairs: (readonly [number, number])[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    if (keysBefore[i] === keysAfter[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) i++;
    else j++;
  }
  return pairs;
}

function fieldChange(
  path: (string | number)[],
  kind: FieldChange['kind'],
  before: unknown,
  after: unknown,
): FieldChange {
  const change: FieldChange = { path, at: formatPath(path), kind };
  if (kind !== 'added') change.before = before;
  if (kind !== 'removed') change.after = after;
  return change;
}

/** `config.rules[0].value`; a key that is not a plain name is quoted: `config["max depth"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) text += text ? `.${part}` : part;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text;
}

/** A value as the diff shows it: JSON, with a parameter reference written as `$name`. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  const name = parameterReference(value);
  if (name !== undefined) return `$${name}`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${JSON.stringify(key)}: ${formatValue(item)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}
