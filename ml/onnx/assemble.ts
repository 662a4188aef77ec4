import type { Column } from './columns';
import { applyChains, signature } from './elementwise';
import type { GraphBuilder } from './graph';
import { concatColumns } from './ops';

/**
 * The model's input matrix [N, features] from the feature columns, with as few nodes as possible:
 * number columns that went through the same kinds of value-by-value steps are computed together
 * (one node per step for the whole group), one-hot groups stay one block, and one Concat and, if
 * the blocks are not already in feature order, one Gather put the columns in the model's order.
 */
export function assembleFeatures(graph: GraphBuilder, columns: readonly Column[]): string {
  const blocks: { key: unknown; width: number; build: () => string }[] = [];
  const placement: { block: number; index: number }[] = [];
  const groups = new Map<string, { members: Column[]; block: number }>();
  for (const column of columns) {
    const slice = column.slice;
    if (slice) {
      let block = blocks.findIndex((candidate) => candidate.key === slice.block);
      if (block < 0) block = blocks.push({ key: slice.block, width: slice.width, build: slice.block }) - 1;
      placement.push({ block, index: slice.index });
      continue;
    }
    const key = signature(column.chain?.steps ?? []);
    let group = groups.get(key);
    if (!group) {
      const members: Column[] = [];
      const block = blocks.push({ key, width: 0, build: () => buildGroup(graph, members) }) - 1;
      group = { members, block };
      groups.set(key, group);
    }
    let index = group.members.indexOf(column);
    if (index < 0) index = group.members.push(column) - 1;
    const entry = blocks[group.block];
    if (entry) entry.width = group.members.length;
    placement.push({ block: group.block, index });
  }
  const offsets: number[] = [];
  let width = 0;
  for (const block of blocks) {
    offsets.push(width);
    width += block.width;
  }
  const x = concatColumns(
    graph,
    blocks.map((block) => block.build()),
  );
  const order = placement.map(({ block, index }) => (offsets[block] ?? 0) + index);
  if (order.length === width && order.every((position, k) => position === k)) return x;
  return graph.one('Gather', [x, graph.constant('int64', order)], { axis: { type: 'int', value: 1 } });
}

/** Columns with the same kinds of steps: their bases side by side, then the steps once for all. */
function buildGroup(graph: GraphBuilder, members: readonly Column[]): string {
  const [only] = members;
  if (members.length === 1 && only) return only.tensor();
  const bases = members.map((member) => (member.chain ? member.chain.base : member).tensor());
  return applyChains(
    graph,
    concatColumns(graph, bases),
    members.map((member) => member.chain?.steps ?? []),
  );
}
