import type { Node } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { keepUnchanged } from './stable-nodes';

const card = (id: string, x: number, problems: string[] = []): Node => ({
  id,
  type: 'step',
  position: { x, y: 0 },
  data: { label: id, problems },
});

describe('keepUnchanged', () => {
  it('keeps the old object of unchanged cards and takes the new one of changed cards', () => {
    const first = keepUnchanged([card('a', 0), card('b', 0, ['x'])], new Map());
    const second = keepUnchanged([card('a', 0), card('b', 10, ['x'])], first);
    expect(second.get('a')).toBe(first.get('a'));
    expect(second.get('b')).not.toBe(first.get('b'));
    const third = keepUnchanged([card('a', 0), card('b', 10, ['y'])], second);
    expect(third.get('b')?.data.problems).toEqual(['y']);
    expect(keepUnchanged([card('a', 0), card('b', 10, ['y'])], third).get('b')).toBe(third.get('b'));
  });
});
