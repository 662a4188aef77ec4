/**
 * Bin codes row-major, each row padded to a whole number of 32-bit words, beside the column-major
 * codes: a node's rows are then copied (gathered) into a contiguous buffer a word at a time, one
 * cache line per row instead of one per feature, before its histogram is summed in order. With
 * hundreds of thousands of rows, a node's rows are scattered over memory and this gather is what
 * keeps histogram building from waiting on memory.
 */
export interface RowCodes {
  /** Row r's code for feature c at bytes[r · stride + c]. */
  bytes: Uint8Array;
  /** The same memory as 32-bit words, for copying rows. */
  words: Uint32Array;
  /** Bytes per row: cols rounded up to a multiple of 4. */
  stride: number;
}

export function rowCodesLike(rows: number, cols: number): RowCodes {
  const stride = Math.ceil(cols / 4) * 4;
  const words = new Uint32Array((rows * stride) / 4);
  return { bytes: new Uint8Array(words.buffer), words, stride };
}

/** The row-major copy of column-major codes (feature c of row r at c · n + r). */
export function toRowMajor(codes: Uint8Array, n: number, cols: number): RowCodes {
  const out = rowCodesLike(n, cols);
  const { bytes, stride } = out;
  // In blocks of rows, so the block being written stays in cache while each column is read.
  for (let first = 0; first < n; first += 4096) {
    const last = Math.min(n, first + 4096);
    for (let c = 0; c < cols; c++) {
      const column = c * n;
      for (let r = first; r < last; r++) bytes[r * stride + c] = codes[column + r] ?? 0;
    }
  }
  return out;
}

/**
 * Copies the codes and the interleaved gradient/hessian pairs of rows[start..end) to the front of
 * `codesOut` and `gradHessOut`, in that order. A short loop per row, so the CPU keeps many rows'
 * memory reads in flight at once.
 */
export function gatherRows(
  source: RowCodes,
  gradHess: Float64Array,
  rows: Int32Array,
  start: number,
  end: number,
  codesOut: RowCodes,
  gradHessOut: Float64Array,
): void {
  const words = source.stride / 4;
  const from = source.words;
  const to = codesOut.words;
  for (let i = start, j = 0; i < end; i++, j++) {
    const row = rows[i] ?? 0;
    gradHessOut[2 * j] = gradHess[2 * row] ?? 0;
    gradHessOut[2 * j + 1] = gradHess[2 * row + 1] ?? 0;
    const src = row * words;
    const dst = j * words;
    let w = 0;
    for (; w + 3 < words; w += 4) {
      to[dst + w] = from[src + w] ?? 0;
      to[dst + w + 1] = from[src + w + 1] ?? 0;
      to[dst + w + 2] = from[src + w + 2] ?? 0;
      to[dst + w + 3] = from[src + w + 3] ?? 0;
    }
    for (; w < words; w++) to[dst + w] = from[src + w] ?? 0;
  }
}
