import { endianness } from 'node:os';
import { z } from 'zod';

/**
 * A model's large typed arrays (a forest's trees) go to a binary file beside model.json instead of
 * into it as number lists. A 100-tree forest grown on a million rows holds some 12 million tree
 * nodes: as JSON text it passes V8's longest string (about 536 million characters) and cannot be
 * written, read or parsed at all; as bytes it is ~40 bytes a node, written and read without a
 * string. Arrays up to INLINE_MAX values stay lists in the JSON, so a linear model's coefficients
 * remain readable there. Bytes are in the machine's order, checked to be little-endian.
 */

/** Arrays with at most this many values stay in the JSON as lists. */
export const INLINE_MAX = 1000;

const kinds = { f64: Float64Array, i32: Int32Array, u8: Uint8Array } as const;
type Kind = keyof typeof kinds;

/** Where an array sits in the binary file, in its place in the JSON. */
const arrayRefSchema = z.object({
  $array: z.enum(['f64', 'i32', 'u8']),
  /** Byte offset in the file, a multiple of 8. */
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
});
type ArrayRef = z.infer<typeof arrayRefSchema>;

/** Collects the large arrays of a value being written as JSON (see `replacer`), in order. */
export class ArrayCollector {
  readonly arrays: Uint8Array[] = [];
  private bytes = 0;

  /** JSON.stringify replacer: large typed arrays become references, small ones lists. */
  readonly replacer = (_key: string, value: unknown): unknown => {
    if (!isModelArray(value)) return value;
    if (value.length <= INLINE_MAX) return Array.from(value);
    checkLittleEndian();
    const ref: ArrayRef = { $array: kindOf(value), offset: this.bytes, length: value.length };
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    this.arrays.push(bytes);
    // Padding keeps every array 8-byte aligned in the file.
    const padding = (8 - (bytes.byteLength % 8)) % 8;
    if (padding) this.arrays.push(new Uint8Array(padding));
    this.bytes += bytes.byteLength + padding;
    return ref;
  };
}

/** Whether writing `value` puts any array in the binary file. */
export function hasLargeArrays(value: unknown): boolean {
  if (isModelArray(value)) return value.length > INLINE_MAX;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(hasLargeArrays);
}

/** JSON.parse reviver turning references back into typed arrays read from `file`'s bytes. */
export function arrayReviver(bytes: Uint8Array, fileName: string) {
  return (_key: string, value: unknown): unknown => {
    const ref = arrayRefSchema.safeParse(value);
    if (!ref.success) return value;
    checkLittleEndian();
    const { $array: kind, offset, length } = ref.data;
    const end = offset + length * kinds[kind].BYTES_PER_ELEMENT;
    if (end > bytes.byteLength) throw new Error(`${fileName} is shorter than the model needs`);
    // A copy, so the array owns aligned memory and the file's bytes can be let go. (Not slice():
    // on a Buffer it is a view of the same memory.)
    const own = new Uint8Array(end - offset);
    own.set(bytes.subarray(offset, end));
    return new kinds[kind](own.buffer, 0, length);
  };
}

type ModelArray = Float64Array | Int32Array | Uint8Array;

function isModelArray(value: unknown): value is ModelArray {
  return value instanceof Float64Array || value instanceof Int32Array || value instanceof Uint8Array;
}

function kindOf(value: ModelArray): Kind {
  if (value instanceof Float64Array) return 'f64';
  return value instanceof Int32Array ? 'i32' : 'u8';
}

function checkLittleEndian(): void {
  if (endianness() !== 'LE')
    throw new Error('Model files are written and read on little-endian machines only');
}
