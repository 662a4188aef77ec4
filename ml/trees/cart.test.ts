import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { fitTree, predictTree } from './cart';

const matrix = (rows: number[][]) => ({
  values: Float64Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0]?.length ?? 0,
});

describe('CART', () => {
  it('learns XOR with two levels of splits (gini), and gives class probabilities', () => {
    const x = matrix([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [0.1, 0.1],
      [0.1, 0.9],
      [0.9, 0.1],
      [0.9, 0.9],
    ]);
    const y = [0, 1, 1, 0, 0, 1, 1, 0];
    const tree = fitTree(x, y, { classes: 2, criterion: 'gini' });
    const proba = predictTree(tree, x);
    expect(Array.from({ length: 8 }, (_, row) => proba[row * 2 + 1])).toEqual([0, 1, 1, 0, 0, 1, 1, 0]);
    expect(tree.feature[0]).toBeGreaterThanOrEqual(0);
  });

  it('picks the split a hand count gives: entropy, one feature, threshold at the midpoint', () => {
    // Labels 0 0 0 1 1 along x = 1..5: the pure cut is between 3 and 4.
    const tree = fitTree(matrix([[1], [2], [3], [4], [5]]), [0, 0, 0, 1, 1], {
      classes: 2,
      criterion: 'entropy',
    });
    expect(tree.threshold[0]).toBe(3.5);
    expect(tree.nodeCount).toBe(3);
    // Entropy of 3:2 is 0.971 bits; times 5 rows, all of it removed by the split.
    expect(tree.gain[0]).toBeCloseTo(5 * 0.9709505944546686, 12);
  });

  it('fits a step function for regression and respects depth and leaf size', () => {
    const x = matrix([[1], [2], [3], [4], [5], [6]]);
    const y = [1, 1, 1, 10, 10, 10];
    const tree = fitTree(x, y, { classes: 0, criterion: 'squared_error' });
    expect(Array.from(predictTree(tree, x))).toEqual(y);
    const stump = fitTree(x, [1, 2, 3, 4, 5, 6], { classes: 0, criterion: 'squared_error', maxDepth: 1 });
    expect(stump.nodeCount).toBe(3);
    const bigLeaves = fitTree(x, [1, 2, 3, 4, 5, 60], {
      classes: 0,
      criterion: 'squared_error',
      minSamplesLeaf: 3,
    });
    expect(Array.from(predictTree(bigLeaves, x))).toEqual([2, 2, 2, 23, 23, 23]);
  });

  it('is deterministic for a seed when it samples features', () => {
    const x = matrix(Array.from({ length: 40 }, (_, i) => [i % 7, (i * 3) % 11, i % 5, (i * 7) % 13]));
    const y = Array.from({ length: 40 }, (_, i) => ((i % 7) + ((i * 3) % 11) > 8 ? 1 : 0));
    const a = fitTree(x, y, { classes: 2, criterion: 'gini', maxFeatures: 2, random: seededRandom(1) });
    const b = fitTree(x, y, { classes: 2, criterion: 'gini', maxFeatures: 2, random: seededRandom(1) });
    expect(Array.from(a.feature)).toEqual(Array.from(b.feature));
    expect(Array.from(a.threshold)).toEqual(Array.from(b.threshold));
  });
});
