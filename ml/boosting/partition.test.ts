import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { addLeafValues, leftRowsOfSplit, partitionBuffers, partitionRows } from './partition';
import { alone, rowBlocks } from './sharing';

describe('rows ordered by node', () => {
  it.each([1, 100, 2049, 20_000])('splits %i rows stably, block by block', (m) => {
    const random = seededRandom(m);
    const rows = m + 10;
    const buffers = partitionBuffers(rows, (bytes) => new ArrayBuffer(bytes));
    // A node in the middle of the partition, its rows in a shuffled order.
    const order = Array.from({ length: rows }, (_, row) => row);
    for (let i = rows - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    buffers.partition.set(order);
    const codes = Uint8Array.from({ length: 2 * rows }, () => Math.floor(random() * 4));
    const goesLeft = Uint8Array.from({ length: 256 }, (_, code) => (code === 1 || code === 3 ? 1 : 0));
    const node = order.slice(5, 5 + m);
    const left = node.filter((row) => goesLeft[codes[rows + row] ?? 0] === 1);
    const right = node.filter((row) => goesLeft[codes[rows + row] ?? 0] === 0);

    partitionRows(buffers, codes, rows, goesLeft, 5, 5 + m, alone());
    expect(Array.from(buffers.partition)).toEqual([
      ...order.slice(0, 5),
      ...left,
      ...right,
      ...order.slice(5 + m),
    ]);
    expect(leftRowsOfSplit(buffers, m)).toBe(left.length);
    if (m > 2048) expect(rowBlocks(m)).toBeGreaterThan(1);
  });

  it('adds each leaf value to the rows of its leaf, a range of positions at a time', () => {
    const partition = Int32Array.from([3, 0, 4, 1, 2]);
    const leaves = { start: Int32Array.of(0, 2), end: Int32Array.of(2, 5), value: Float64Array.of(1, 10) };
    const raw = new Float64Array(5);
    addLeafValues(leaves, partition, raw, 0, 3);
    addLeafValues(leaves, partition, raw, 3, 5);
    expect(Array.from(raw)).toEqual([1, 10, 10, 1, 10]);
  });
});
