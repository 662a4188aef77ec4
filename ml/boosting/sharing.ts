/**
 * What work shared between threads needs (see threads.ts): memory they all see, a way to hand out
 * pieces of a step, and how steps are cut into pieces.
 */

/**
 * Memory for the arrays threads read and write together: a SharedArrayBuffer when other threads
 * help (they must see the very same bytes), else a plain ArrayBuffer.
 */
export function allocate(bytes: number, shared: boolean): ArrayBufferLike {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/**
 * The threads running one step together, as one of them sees them. A step is cut into chunks, and
 * each thread takes the next chunk not yet taken until none is left: a thread that runs faster
 * (cheaper features, or a core not shared with another process) simply does more of them, and one
 * that comes late may find none left. Which thread does a chunk never changes the result.
 */
export interface Team {
  /**
   * The next chunk of this phase of the step, cut into `chunks` chunks: 0, 1, 2, ... over all
   * threads, each given once; `chunks` once none is left. Calling it again also says that the
   * chunk this thread took last is done.
   */
  claim(chunks: number): number;
  /** Returns once every chunk of this phase is done; chunks are then counted from 0 again. */
  barrier(): void;
}

/** The team of a thread working alone. */
export function alone(): Team {
  let next = 0;
  return {
    claim: (chunks) => Math.min(next++, chunks),
    barrier: () => {
      next = 0;
    },
  };
}

/** Blocks a range of rows is cut into at most, so a split can keep one count per block. */
export const MAX_ROW_BLOCKS = 64;
/** Rows per block at least: smaller ones would cost more in hand-outs than they save. */
const MIN_BLOCK_ROWS = 2048;

/** How many blocks `rows` rows are cut into (see rowBlock). */
export function rowBlocks(rows: number): number {
  return Math.max(1, Math.min(MAX_ROW_BLOCKS, Math.ceil(rows / MIN_BLOCK_ROWS)));
}

/** Block `block` of `blocks` of rows 0..rows − 1, as [from, to): near-equal and in order. */
export function rowBlock(rows: number, block: number, blocks: number): [number, number] {
  return [Math.floor((rows * block) / blocks), Math.floor((rows * (block + 1)) / blocks)];
}

/**
 * The feature ranges a histogram is cut into, [from, to) each: six features while many are left
 * (the histogram loops' widest pass), then three, then one, so the threads finish close together.
 */
export function featureChunks(cols: number): [number, number][] {
  const chunks: [number, number][] = [];
  for (let from = 0; from < cols; ) {
    const left = cols - from;
    const size = left >= 12 ? 6 : left >= 6 ? 3 : 1;
    chunks.push([from, from + size]);
    from += size;
  }
  return chunks;
}
