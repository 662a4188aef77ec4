import { describe, expect, it } from 'vitest';
import { argmaxRows, fitLogistic, predictLogisticProba } from './logistic';

describe('logistic regression', () => {
  it('fits a symmetric binary problem: zero intercept, mirrored probabilities', () => {
    const x = { values: Float64Array.from([-2, -1, 1, 2]), rows: 4, cols: 1 };
    const model = fitLogistic(x, [0, 0, 1, 1], 2);
    expect(model.converged).toBe(true);
    expect(model.intercepts[0]).toBeCloseTo(0, 6);
    expect(model.weights[0]).toBeGreaterThan(0);
    const proba = predictLogisticProba(model, x);
    expect(proba[1]).toBeCloseTo(1 - (proba[7] ?? 0), 6);
    expect(Array.from(argmaxRows(proba, 2))).toEqual([0, 0, 1, 1]);
  });

  it('orders softmax weights by class position and separates three classes on a line', () => {
    // Three classes on a line: softmax weights ordered by class position.
    const x = { values: Float64Array.from([-3, -2.5, -2, 0, 0.5, -0.5, 2, 2.5, 3]), rows: 9, cols: 1 };
    const y = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const model = fitLogistic(x, y, 3, { c: 10 });
    expect(model.converged).toBe(true);
    const [w0 = 0, w1 = 0, w2 = 0] = model.weights;
    expect(w0).toBeLessThan(w1);
    expect(w1).toBeLessThan(w2);
    expect(Array.from(argmaxRows(predictLogisticProba(model, x), 3))).toEqual(y);
  });

  it('refuses a target with one class', () => {
    expect(() => fitLogistic({ values: Float64Array.from([1, 2]), rows: 2, cols: 1 }, [0, 0], 1)).toThrow(
      'at least two classes',
    );
  });
});
