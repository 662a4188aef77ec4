/**
 * The prediction log's queue: records in arrival order, each with its weight in bytes. Written
 * records leave from the front by moving an index, so taking a batch off a long queue (PostgreSQL
 * was down, or writing falls behind) costs the batch, not a copy of everything behind it; the
 * array is compacted once the written part is large.
 */
export class RecordQueue<T> {
  private items: T[] = [];
  private weights: number[] = [];
  private head = 0;
  private weight = 0;

  /** Records waiting. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Their weight in bytes, as given to push. */
  get bytes(): number {
    return this.weight;
  }

  push(item: T, bytes: number): void {
    this.items.push(item);
    this.weights.push(bytes);
    this.weight += bytes;
  }

  /** The first `count` records waiting (fewer if there are fewer), still queued. */
  peek(count: number): T[] {
    return this.items.slice(this.head, this.head + count);
  }

  /** Removes the first `count` records waiting (they were written, or dropped). */
  remove(count: number): void {
    const end = Math.min(this.items.length, this.head + count);
    for (let index = this.head; index < end; index++) this.weight -= this.weights[index] ?? 0;
    this.head = end;
    if (this.head === this.items.length) this.clear();
    else if (this.head >= COMPACT_AFTER) this.compact();
  }

  /** Removes every record waiting; returns how many there were. */
  clear(): number {
    const removed = this.size;
    this.items = [];
    this.weights = [];
    this.head = 0;
    this.weight = 0;
    return removed;
  }

  private compact(): void {
    this.items = this.items.slice(this.head);
    this.weights = this.weights.slice(this.head);
    this.head = 0;
  }
}

/** Written records kept at the front before the array is copied without them. */
const COMPACT_AFTER = 4_096;
