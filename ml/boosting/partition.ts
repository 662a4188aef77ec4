import { MAX_ROW_BLOCKS, rowBlock, rowBlocks, type Team } from './sharing';

/**
 * The training rows ordered by node: while a tree grows, a node's rows are partition[start..end),
 * and splitting it reorders them, stably, into its left child's rows then its right child's. Both
 * that reordering and adding the leaf values to the raw scores run in blocks of positions that
 * threads share out (sharing.ts), with the same result as one thread.
 */

/** The arrays a split reorders rows with (shared memory when threads help). */
export interface PartitionBuffers {
  partition: Int32Array;
  /** Each block's left rows, at the block's own positions, before they move to their place. */
  lefts: Int32Array;
  /** The same for right rows. */
  rights: Int32Array;
  /** Left rows per block of the split being applied (MAX_ROW_BLOCKS of them). */
  leftCounts: Int32Array;
}

export function partitionBuffers(
  rows: number,
  allocate: (bytes: number) => ArrayBufferLike,
): PartitionBuffers {
  const int32s = (length: number) => new Int32Array(allocate(4 * length));
  return {
    partition: int32s(rows),
    lefts: int32s(rows),
    rights: int32s(rows),
    leftCounts: int32s(MAX_ROW_BLOCKS),
  };
}

/** The left rows of the split of `rows` rows last applied (see partitionRows). */
export function leftRowsOfSplit({ leftCounts }: PartitionBuffers, rows: number): number {
  let leftRows = 0;
  for (let block = 0; block < rowBlocks(rows); block++) leftRows += leftCounts[block] ?? 0;
  return leftRows;
}

/**
 * A thread's share of the split of partition[start..end) where row r goes left when
 * goesLeft[codes[column + r]] is 1: first the blocks of positions are sorted into `lefts` and
 * `rights`, counting each block's left rows; after the barrier (all counted) each block's rows move
 * to their place, the left rows of all blocks first, in block order.
 */
export function partitionRows(
  buffers: PartitionBuffers,
  codes: Uint8Array,
  column: number,
  goesLeft: Uint8Array,
  start: number,
  end: number,
  team: Team,
): void {
  const { partition, lefts, rights, leftCounts } = buffers;
  const m = end - start;
  const blocks = rowBlocks(m);
  for (let block = team.claim(blocks); block < blocks; block = team.claim(blocks)) {
    const [first, last] = rowBlock(m, block, blocks);
    leftCounts[block] = sortBlock(
      partition,
      lefts,
      rights,
      codes,
      column,
      goesLeft,
      start + first,
      start + last,
    );
  }
  team.barrier();
  const leftRows = leftRowsOfSplit(buffers, m);
  for (let block = team.claim(blocks); block < blocks; block = team.claim(blocks)) {
    let leftsBefore = 0;
    for (let before = 0; before < block; before++) leftsBefore += leftCounts[before] ?? 0;
    const [first, last] = rowBlock(m, block, blocks);
    const from = start + first;
    const leftCount = leftCounts[block] ?? 0;
    const rightsBefore = first - leftsBefore;
    partition.set(lefts.subarray(from, from + leftCount), start + leftsBefore);
    partition.set(rights.subarray(from, from + (last - first) - leftCount), start + leftRows + rightsBefore);
  }
}

/**
 * Positions from..to − 1: left rows to lefts[from..], right rows to rights[from..], both in order.
 * Branch-free: each row is written to both sides and only the side it belongs to advances.
 * Returns the left rows.
 */
function sortBlock(
  partition: Int32Array,
  lefts: Int32Array,
  rights: Int32Array,
  codes: Uint8Array,
  column: number,
  goesLeft: Uint8Array,
  from: number,
  to: number,
): number {
  let l = from;
  let r = from;
  for (let i = from; i < to; i++) {
    const row = partition[i] ?? 0;
    const left = goesLeft[codes[column + row] ?? 0] ?? 0;
    lefts[l] = row;
    rights[r] = row;
    l += left;
    r += 1 - left;
  }
  return l - from;
}

/** The leaves of a grown tree: leaf i holds partition[start[i]..end[i]) and adds value[i]. */
export interface Leaves {
  start: Int32Array;
  end: Int32Array;
  value: Float64Array;
}

/**
 * Adds each leaf's value to raw[row] for its rows, at positions from..to − 1 of the partition
 * only: every row is in one leaf, so blocks of positions touch disjoint rows.
 */
export function addLeafValues(
  leaves: Leaves,
  partition: Int32Array,
  raw: Float64Array,
  from: number,
  to: number,
): void {
  for (let leaf = 0; leaf < leaves.value.length; leaf++) {
    const value = leaves.value[leaf] ?? 0;
    const end = Math.min(to, leaves.end[leaf] ?? 0);
    for (let i = Math.max(from, leaves.start[leaf] ?? 0); i < end; i++) {
      const row = partition[i] ?? 0;
      raw[row] = (raw[row] ?? 0) + value;
    }
  }
}
