/**
 * Splits the byte stream of `COPY … TO STDOUT (FORMAT binary)` into tuples. The binary format needs
 * no unescaping (each field is its length and its bytes; jsonb is a version byte and its text) and
 * sends numbers as IEEE doubles, so reading a large table into columns costs little more than
 * the bytes. PostgreSQL sends one message per tuple; a tuple split across chunks is put together
 * from a small carry-over.
 *
 * The visitor gets each tuple's buffer and the start and length of its fields (length −1 for NULL),
 * reused from one tuple to the next: it reads them at once and keeps nothing.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Signature, flags (int32) and the header extension's length (int32). */
const HEADER_BYTES = SIGNATURE.length + 8;

export type TupleVisitor = (buffer: Buffer, starts: Int32Array, lengths: Int32Array) => void;

export class BinaryCopyTuples {
  private carry: Buffer | null = null;
  private headerRead = false;
  private finished = false;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  tuples = 0;

  constructor(
    private readonly fields: number,
    private readonly visit: TupleVisitor,
  ) {
    this.starts = new Int32Array(fields);
    this.lengths = new Int32Array(fields);
  }

  push(chunk: Buffer): void {
    const buffer = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    let at = 0;
    if (!this.headerRead) {
      if (buffer.length < HEADER_BYTES) {
        this.carry = Buffer.from(buffer);
        return;
      }
      if (buffer.compare(SIGNATURE, 0, SIGNATURE.length, 0, SIGNATURE.length) !== 0)
        throw new Error('The COPY stream is not in PostgreSQL binary format');
      const extension = buffer.readInt32BE(SIGNATURE.length + 4);
      if (buffer.length < HEADER_BYTES + extension) {
        this.carry = Buffer.from(buffer);
        return;
      }
      at = HEADER_BYTES + extension;
      this.headerRead = true;
    }
    while (at < buffer.length && !this.finished) {
      const next = this.tupleEnd(buffer, at);
      if (next < 0) {
        // Copied: the chunk's memory belongs to the connection and is reused for later messages.
        this.carry = Buffer.from(buffer.subarray(at));
        return;
      }
      at = next;
    }
  }

  /** Whether the trailer was read: the stream was whole. */
  get complete(): boolean {
    return this.finished;
  }

  /** Visits the tuple at `at` and returns the offset after it, or −1 when the buffer holds only part of it. */
  private tupleEnd(buffer: Buffer, at: number): number {
    if (at + 2 > buffer.length) return -1;
    const count = buffer.readInt16BE(at);
    if (count === -1) {
      this.finished = true;
      return at + 2;
    }
    if (count !== this.fields)
      throw new Error(`A COPY tuple has ${count} fields where ${this.fields} were expected`);
    let offset = at + 2;
    for (let field = 0; field < count; field++) {
      if (offset + 4 > buffer.length) return -1;
      const length = buffer.readInt32BE(offset);
      offset += 4;
      this.starts[field] = offset;
      this.lengths[field] = length;
      if (length > 0) offset += length;
      if (offset > buffer.length) return -1;
    }
    this.visit(buffer, this.starts, this.lengths);
    this.tuples += 1;
    return offset;
  }
}
