import { describe, expect, it } from 'vitest';
import { betterOf, compareMetrics } from './metric-rows';

describe('compareMetrics', () => {
  it('gives both figures, the change from A to B and the better one by the metric’s direction', () => {
    const rows = compareMetrics(
      { accuracy: 0.9, log_loss: 0.3, f1: 0.8 },
      { accuracy: 0.93, log_loss: 0.35, f1: 0.8 },
    );
    expect(rows.map((row) => row.name)).toEqual(['accuracy', 'f1', 'log_loss']);
    const [accuracy, f1, logLoss] = rows;
    expect(accuracy).toMatchObject({ a: 0.9, b: 0.93, lowerIsBetter: false, better: 'b' });
    expect(accuracy?.delta).toBeCloseTo(0.03, 12);
    expect(f1).toMatchObject({ delta: 0, better: 'tie' });
    // Log loss rose: A is better, though B's figure is the larger.
    expect(logLoss).toMatchObject({ a: 0.3, b: 0.35, lowerIsBetter: true, better: 'a' });
    expect(logLoss?.delta).toBeCloseTo(0.05, 12);
  });

  it('reads errors as lower-is-better and R² as higher-is-better for regression', () => {
    const rows = compareMetrics({ rmse: 4.2, mae: 3.1, r2: 0.71 }, { rmse: 3.9, mae: 3.3, r2: 0.75 });
    expect(Object.fromEntries(rows.map((row) => [row.name, row.better]))).toEqual({
      r2: 'b',
      rmse: 'b',
      mae: 'a',
    });
  });

  it('keeps a metric only one version has, with no change and no winner', () => {
    const rows = compareMetrics({ accuracy: 0.8 }, { accuracy: 0.8, roc_auc: 0.91 });
    expect(rows.find((row) => row.name === 'roc_auc')).toEqual({
      name: 'roc_auc',
      a: null,
      b: 0.91,
      delta: null,
      lowerIsBetter: false,
      better: null,
    });
  });

  it('treats a non-finite figure as missing', () => {
    const [row] = compareMetrics({ accuracy: Number.NaN }, { accuracy: 0.7 });
    expect(row).toMatchObject({ a: null, delta: null, better: null });
  });
});

describe('betterOf', () => {
  it('calls rounding-sized differences a tie', () => {
    expect(betterOf(0.1 + 0.2, 0.3, false)).toBe('tie');
    expect(betterOf(1000, 1000.5, true)).toBe('a');
    expect(betterOf(2, 1, false)).toBe('a');
    expect(betterOf(null, 1, false)).toBeNull();
  });
});
