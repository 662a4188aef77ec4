/** Below this length the built-in sort is as fast and allocates nothing. */
const SMALL = 4096;
const BUCKETS = 65536;

/**
 * Sorts doubles in place in the order Float64Array.prototype.sort gives (−Infinity … −0, +0 …
 * +Infinity, NaN last), by a least-significant-digit radix sort on their bits: two to three times
 * as fast as the built-in comparison sort on a million values, which matters because drift sorts
 * every current column. Each double's bits are mapped to an unsigned 64-bit key of the same order
 * (flip every bit of a negative number, only the sign bit of a positive one), sorted by four
 * 16-bit digits through one scratch buffer (a digit all keys share is skipped), and mapped back.
 * Every NaN comes out as the canonical quiet NaN.
 */
export function sortDoubles(values: Float64Array): void {
  const n = values.length;
  if (n < SMALL) {
    values.sort();
    return;
  }
  // A NaN with its sign bit set would otherwise sort first.
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i] ?? 0)) values[i] = Number.NaN;
  const original = new Uint32Array(values.buffer, values.byteOffset, 2 * n); // [low, high] words per value
  const counts = toKeysCountingDigits(original, n);
  let words = original;
  let scratch: Uint32Array = new Uint32Array(2 * n);
  for (let digit = 0; digit < 4; digit++) {
    const offsets = counts.subarray(digit * BUCKETS, (digit + 1) * BUCKETS);
    if (offsets.includes(n)) continue; // every key has the same digit here: nothing moves
    let start = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const size = offsets[bucket] ?? 0;
      offsets[bucket] = start;
      start += size;
    }
    scatter(words, scratch, n, digit, offsets);
    [words, scratch] = [scratch, words];
  }
  if (words !== original) original.set(words);
  fromKeys(original, n);
}

/**
 * Turns each double's words into its key, in place, and counts every 16-bit digit of every key in
 * the same pass: counts[d·65536 + v] is how many keys have value v in digit d (0 the lowest).
 */
function toKeysCountingDigits(words: Uint32Array, n: number): Uint32Array {
  const counts = new Uint32Array(4 * BUCKETS);
  for (let i = 0; i < n; i++) {
    let low = words[2 * i] ?? 0;
    let high = words[2 * i + 1] ?? 0;
    if (high >>> 31 === 1) {
      low = ~low >>> 0;
      high = ~high >>> 0;
    } else {
      high = (high ^ 0x80000000) >>> 0;
    }
    words[2 * i] = low;
    words[2 * i + 1] = high;
    increment(counts, low & 0xffff);
    increment(counts, BUCKETS + (low >>> 16));
    increment(counts, 2 * BUCKETS + (high & 0xffff));
    increment(counts, 3 * BUCKETS + (high >>> 16));
  }
  return counts;
}

function increment(counts: Uint32Array, index: number): void {
  counts[index] = (counts[index] ?? 0) + 1;
}

/** One stable pass on 16-bit digit `digit`: each key to the next free place of its bucket. */
function scatter(from: Uint32Array, to: Uint32Array, n: number, digit: number, offsets: Uint32Array): void {
  const inHigh = digit >= 2;
  const shift = (digit % 2) * 16;
  for (let i = 0; i < n; i++) {
    const low = from[2 * i] ?? 0;
    const high = from[2 * i + 1] ?? 0;
    const bucket = ((inHigh ? high : low) >>> shift) & 0xffff;
    const place = offsets[bucket] ?? 0;
    offsets[bucket] = place + 1;
    to[2 * place] = low;
    to[2 * place + 1] = high;
  }
}

/** Keys back to doubles, in place. */
function fromKeys(words: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const high = words[2 * i + 1] ?? 0;
    if (high >>> 31 === 1) {
      words[2 * i + 1] = high ^ 0x80000000;
    } else {
      words[2 * i] = ~(words[2 * i] ?? 0);
      words[2 * i + 1] = ~high;
    }
  }
}
