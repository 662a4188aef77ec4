import { allocate } from './sharing';

/**
 * Bin codes row-major, beside the column-major codes: a node's rows are copied (gathered) into a
 * contiguous buffer before its histogram is summed in order. With hundreds of thousands of rows, a
 * node's rows are scattered over memory and this gather is what keeps histogram building from
 * waiting on memory. The training rows' records hold each row's gradients next to its codes, so a
 * row is one cache line to fetch rather than two or three.
 */

/** Rows of codes, as gathered: row r's code for feature c at bytes[r · stride + c]. */
export interface RowCodes {
  bytes: Uint8Array;
  /** The same memory as 32-bit words, for copying rows. */
  words: Uint32Array;
  /** Bytes per row: cols rounded up to a multiple of 4. */
  stride: number;
}

/**
 * The training rows' records: row r's codes at bytes[r · recordBytes + c], then its gradient and
 * hessian for each output k at values[r · recordBytes / 8 + gradientsAt + 2k] (and + 1).
 */
export interface RowRecords {
  bytes: Uint8Array;
  words: Uint32Array;
  values: Float64Array;
  recordBytes: number;
  /** Words of codes at the start of a record: what a gather copies. */
  codeWords: number;
  /** Where a record's gradients start, in 8-byte values. */
  gradientsAt: number;
  outputs: number;
}

/** Room for `rows` rows of `cols` codes, in shared memory when `shared` (see sharing.ts). */
export function rowCodesLike(rows: number, cols: number, shared = false): RowCodes {
  const stride = Math.ceil(cols / 4) * 4;
  const words = new Uint32Array(allocate(rows * stride, shared));
  return { bytes: new Uint8Array(words.buffer), words, stride };
}

/**
 * The records of column-major codes (feature c of row r at c · n + r), gradients still zero. A
 * record is 16, 32 or 64 bytes when it fits, so it never spans more cache lines than it must.
 */
export function toRowRecords(
  codes: Uint8Array,
  n: number,
  cols: number,
  outputs: number,
  shared = false,
): RowRecords {
  const codeBytes = Math.ceil(cols / 8) * 8;
  const size = codeBytes + 16 * outputs;
  const recordBytes = size <= 16 ? 16 : size <= 32 ? 32 : Math.ceil(size / 64) * 64;
  const buffer = allocate(n * recordBytes, shared);
  const bytes = new Uint8Array(buffer);
  // In blocks of rows, so the block being written stays in cache while each column is read.
  for (let first = 0; first < n; first += 4096) {
    const last = Math.min(n, first + 4096);
    for (let c = 0; c < cols; c++) {
      const column = c * n;
      for (let r = first; r < last; r++) bytes[r * recordBytes + c] = codes[column + r] ?? 0;
    }
  }
  return {
    bytes,
    words: new Uint32Array(buffer),
    values: new Float64Array(buffer),
    recordBytes,
    codeWords: Math.ceil(cols / 4),
    gradientsAt: codeBytes / 8,
    outputs,
  };
}

/**
 * Copies rows from..to − 1 of the gradients (class-major and interleaved, as loss.ts writes them:
 * output k of row r at 2 (k · n + r)) into the records.
 */
export function storeGradients(records: RowRecords, gradHess: Float64Array, from: number, to: number): void {
  const { values, recordBytes, gradientsAt, outputs } = records;
  const n = gradHess.length / (2 * outputs);
  const perRecord = recordBytes / 8;
  for (let k = 0; k < outputs; k++) {
    const source = 2 * k * n;
    const slot = gradientsAt + 2 * k;
    for (let r = from; r < to; r++) {
      values[r * perRecord + slot] = gradHess[source + 2 * r] ?? 0;
      values[r * perRecord + slot + 1] = gradHess[source + 2 * r + 1] ?? 0;
    }
  }
}

/**
 * Rows per block of a gather, and how far apart on average a block's rows may lie (in records) for
 * the records they span to be read ahead: reading one word per cache line in order costs about
 * what fetching one scattered row does every 30 lines or so (measured here on 720,000 rows).
 */
const GATHER_BLOCK = 256;
const MAX_SPAN_PER_ROW = 32;
/** Where reads ahead leave their words, so that the compiler does not drop them as unused. */
const readAhead = { sum: 0 };

/**
 * Copies the codes and output `output`'s gradient/hessian pairs of rows[start..end) to `codesOut`
 * and `gradHessOut` from row `at` on (0: the front), in that order. Threads sharing a node's
 * gather each copy their own slice of rows[start..end) to their own `at`. A node's rows are in
 * increasing order (splits keep the order), so a block of them spans rows[first]..rows[last − 1].
 */
export function gatherRows(
  records: RowRecords,
  output: number,
  rows: Int32Array,
  start: number,
  end: number,
  codesOut: RowCodes,
  gradHessOut: Float64Array,
  at = 0,
): void {
  if (codesOut.stride !== 4 * records.codeWords)
    throw new Error('Gathered rows and records hold different features');
  for (let first = start; first < end; first += GATHER_BLOCK) {
    const last = Math.min(end, first + GATHER_BLOCK);
    const low = rows[first] ?? 0;
    const high = rows[last - 1] ?? 0;
    if (high - low < MAX_SPAN_PER_ROW * (last - first)) readAheadRecords(records, low, high);
    gatherBlock(records, output, rows, first, last, codesOut, gradHessOut, at + first - start);
  }
}

/**
 * Reads records low..high in order, one word per cache line: the CPU fetches lines read in order
 * ahead of need, so the gather that follows finds them in cache instead of waiting on memory for
 * each scattered row in turn.
 */
function readAheadRecords(records: RowRecords, low: number, high: number): void {
  const { words, recordBytes } = records;
  const perLine = Math.max(1, 64 / recordBytes);
  const perRecord = recordBytes / 4;
  let sum = 0;
  for (let r = low; r <= high; r += perLine) sum ^= words[r * perRecord] ?? 0;
  readAhead.sum ^= sum;
}

/** One block of gatherRows: a short loop per row, so the CPU keeps several rows' reads in flight. */
function gatherBlock(
  records: RowRecords,
  output: number,
  rows: Int32Array,
  start: number,
  end: number,
  codesOut: RowCodes,
  gradHessOut: Float64Array,
  at: number,
): void {
  const { words: from, values, codeWords: words } = records;
  const perRecordWords = records.recordBytes / 4;
  const perRecordValues = records.recordBytes / 8;
  const slot = records.gradientsAt + 2 * output;
  const to = codesOut.words;
  for (let i = start, j = at; i < end; i++, j++) {
    const row = rows[i] ?? 0;
    const gradient = row * perRecordValues + slot;
    gradHessOut[2 * j] = values[gradient] ?? 0;
    gradHessOut[2 * j + 1] = values[gradient + 1] ?? 0;
    const src = row * perRecordWords;
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
