import type { Node } from '@xyflow/react';

/**
 * Keeps the previous object of every node that did not change, so React Flow re-renders only the
 * cards that did: while one card is dragged, the other 199 stay untouched.
 */
export function keepUnchanged<N extends Node>(next: N[], previous: ReadonlyMap<string, N>): Map<string, N> {
  const kept = new Map<string, N>();
  for (const node of next) {
    const before = previous.get(node.id);
    kept.set(node.id, before && sameNode(before, node) ? before : node);
  }
  return kept;
}

function sameNode(a: Node, b: Node): boolean {
  return (
    a.type === b.type &&
    a.selected === b.selected &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.measured?.width === b.measured?.width &&
    a.measured?.height === b.measured?.height &&
    sameData(a.data, b.data)
  );
}

/** Shallow, with arrays (a card's problem list) compared item by item. */
function sameData(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const left = a[key];
    const right = b[key];
    if (Array.isArray(left) && Array.isArray(right))
      return left.length === right.length && left.every((item, index) => item === right[index]);
    return left === right;
  });
}
