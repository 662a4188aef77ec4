import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitRidge, predictLinear } from '../ml/linear/ridge';
import { mae, r2, rmse } from '../ml/metrics/regression';

const shared = path.resolve(import.meta.dirname, '..', '..', 'shared', 'datasets');

/** A bundled numeric CSV split by the fixed test rows of ../shared/datasets/splits. */
function loadSplit(name: string) {
  const [header = '', ...lines] = readFileSync(path.join(shared, `${name}.csv`), 'utf8')
    .trim()
    .split('\n');
  const columns = header.split(',');
  const rows = lines.map((line) => line.split(',').map(Number));
  const testRows = new Set(
    readFileSync(path.join(shared, 'splits', `${name}_test_idx.txt`), 'utf8')
      .trim()
      .split('\n')
      .map(Number),
  );
  const part = (test: boolean) => {
    const picked = rows.filter((_, index) => testRows.has(index) === test);
    const cols = columns.length - 1;
    return {
      x: {
        values: Float64Array.from(picked.flatMap((row) => row.slice(0, cols))),
        rows: picked.length,
        cols,
      },
      y: picked.map((row) => row[cols] ?? 0),
    };
  };
  return { train: part(false), test: part(true) };
}

/** StandardScaler: means and population deviations of the training rows, applied to both parts. */
function standardize(
  train: { values: Float64Array; rows: number; cols: number },
  test: { values: Float64Array; rows: number; cols: number },
) {
  const { rows, cols } = train;
  const stats = Array.from({ length: cols }, (_, c) => {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += train.values[r * cols + c] ?? 0;
    mean /= rows;
    let variance = 0;
    for (let r = 0; r < rows; r++) variance += ((train.values[r * cols + c] ?? 0) - mean) ** 2;
    return { mean, std: Math.sqrt(variance / rows) || 1 };
  });
  const apply = (m: typeof train) => ({
    ...m,
    values: m.values.map(
      (value, index) => (value - (stats[index % cols]?.mean ?? 0)) / (stats[index % cols]?.std ?? 1),
    ),
  });
  return { train: apply(train), test: apply(test) };
}

describe('scikit-learn baseline figures (../shared/reference/sklearn-baseline.md)', () => {
  it('diabetes, StandardScaler + ridge(α = 1): R² ≥ 0.43 on the fixed split, and matches scikit-learn', () => {
    const { train, test } = loadSplit('diabetes');
    const scaled = standardize(train.x, test.x);
    const model = fitRidge(scaled.train, train.y, 1);
    const predicted = predictLinear(model, scaled.test);
    expect(r2(test.y, predicted)).toBeGreaterThanOrEqual(0.43);
    // scikit-learn 1.2 on the same split: rmse 53.7775, mae 42.8120, r2 0.4541.
    expect(r2(test.y, predicted)).toBeCloseTo(0.4541, 4);
    expect(rmse(test.y, predicted)).toBeCloseTo(53.7775, 3);
    expect(mae(test.y, predicted)).toBeCloseTo(42.812, 3);
  });
});
