import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from './linear/ridge';
import { permutationImportance } from './permutation';

describe('permutationImportance', () => {
  it('scores a feature the model uses above one it ignores, and leaves the data as it was', () => {
    // y = first column; the second column is noise the "model" never reads.
    const rows = 200;
    const values = Float64Array.from({ length: rows * 2 }, (_, index) =>
      index % 2 === 0 ? Math.floor(index / 2) : (index * 7919) % 13,
    );
    const x: FeatureMatrix = { values, rows, cols: 2 };
    const before = Float64Array.from(values);
    const score = (matrix: FeatureMatrix) => {
      let correct = 0;
      for (let row = 0; row < matrix.rows; row++) if (matrix.values[row * 2] === row) correct++;
      return correct / matrix.rows;
    };
    const drops = permutationImportance(x, score);
    expect(drops[0]).toBeGreaterThan(0.9);
    expect(drops[1]).toBe(0);
    expect(values).toEqual(before);
  });
});
