import { describe, expect, it } from 'vitest';
import { fitForest, predictForest } from './forest';

describe('random forest', () => {
  const rows = Array.from({ length: 60 }, (_, i) => [i % 10, (i * 7) % 13, (i * 3) % 5]);
  const x = { values: Float64Array.from(rows.flat()), rows: rows.length, cols: 3 };
  const y = rows.map(([a = 0, b = 0]) => (a + b > 10 ? 1 : 0));

  it('averages its trees into probabilities and is reproducible for a seed', () => {
    const first = predictForest(fitForest(x, y, { classes: 2, trees: 15, seed: 7 }), x);
    const again = predictForest(fitForest(x, y, { classes: 2, trees: 15, seed: 7 }), x);
    const other = predictForest(fitForest(x, y, { classes: 2, trees: 15, seed: 8 }), x);
    expect(Array.from(first)).toEqual(Array.from(again));
    expect(Array.from(first)).not.toEqual(Array.from(other));
    for (let row = 0; row < x.rows; row++)
      expect((first[row * 2] ?? 0) + (first[row * 2 + 1] ?? 0)).toBeCloseTo(1, 12);
    const correct = y.filter((label, row) => ((first[row * 2 + 1] ?? 0) > 0.5 ? 1 : 0) === label).length;
    expect(correct / y.length).toBeGreaterThan(0.9);
  });

  it('reports progress tree by tree', () => {
    const done: number[] = [];
    fitForest(x, y, { classes: 2, trees: 3, onTree: (count) => done.push(count) });
    expect(done).toEqual([1, 2, 3]);
  });
});
