import { describe, expect, it } from 'vitest';
import { Lru } from './lru';

describe('Lru', () => {
  it('forgets the least recently used entry beyond its size, and says which', () => {
    const evicted: string[] = [];
    const lru = new Lru<string, number>(2, (key) => evicted.push(key));
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect([...lru.keys()]).toEqual(['a', 'c']);
    expect(evicted).toEqual(['b']);
    // peek is not a use: a stays the oldest.
    expect(lru.peek('a')).toBe(1);
    lru.set('d', 4);
    expect([...lru.keys()]).toEqual(['c', 'd']);
    expect(evicted).toEqual(['b', 'a']);
    // A deletion is not an eviction.
    lru.delete('c');
    expect(evicted).toEqual(['b', 'a']);
    expect(lru.size).toBe(1);
  });
});
