import { describe, expect, it } from 'vitest';
import { bucketOf, inCanary } from './canary';

describe('inCanary', () => {
  it('routes a request id to the same side every time, and spreads ids evenly', () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => `request-${index}`);
    const first = ids.map((id) => inCanary(id, 30));
    const again = ids.map((id) => inCanary(id, 30));
    expect(again).toEqual(first);
    const share = first.filter(Boolean).length / ids.length;
    expect(share).toBeGreaterThan(0.28);
    expect(share).toBeLessThan(0.32);
    expect(ids.every((id) => bucketOf(id) >= 0 && bucketOf(id) < 100)).toBe(true);
  });

  it('draws requests without an id at random, near the share', () => {
    let chosen = 0;
    for (let draw = 0; draw < 20_000; draw++) if (inCanary(undefined, 10)) chosen += 1;
    expect(chosen / 20_000).toBeGreaterThan(0.08);
    expect(chosen / 20_000).toBeLessThan(0.12);
  });
});
