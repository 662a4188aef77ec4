import { describe, expect, it } from 'vitest';
import { RecordQueue } from './record-queue';

describe('RecordQueue', () => {
  it('hands out records in arrival order and keeps count of what waits and what it weighs', () => {
    const queue = new RecordQueue<string>();
    for (const [index, name] of ['a', 'b', 'c', 'd', 'e'].entries()) queue.push(name, 10 + index);
    expect(queue.peek(2)).toEqual(['a', 'b']);
    queue.remove(2);
    expect([queue.size, queue.bytes]).toEqual([3, 12 + 13 + 14]);
    expect(queue.peek(10)).toEqual(['c', 'd', 'e']);
    queue.remove(10);
    expect([queue.size, queue.bytes, queue.peek(1)]).toEqual([0, 0, []]);
  });

  it('stays in order across compactions of a long queue', () => {
    const queue = new RecordQueue<number>();
    for (let index = 0; index < 20_000; index++) queue.push(index, 1);
    const seen: number[] = [];
    while (queue.size > 0) {
      const batch = queue.peek(500);
      seen.push(...batch);
      queue.remove(batch.length);
      // Records keep arriving while earlier ones are written.
      if (seen.length < 10_000) queue.push(20_000 + seen.length, 1);
    }
    expect(seen.slice(0, 3)).toEqual([0, 1, 2]);
    // One arrival after each of the first 19 batches (until 10,000 were seen).
    expect(seen).toHaveLength(20_000 + 19);
    expect(seen.every((value, index) => index === 0 || value > (seen[index - 1] ?? -1))).toBe(true);
    expect(queue.bytes).toBe(0);
  });

  it('clear says how many records it removed', () => {
    const queue = new RecordQueue<string>();
    queue.push('a', 5);
    queue.push('b', 5);
    queue.remove(1);
    expect(queue.clear()).toBe(1);
    expect([queue.size, queue.bytes]).toEqual([0, 0]);
  });
});
