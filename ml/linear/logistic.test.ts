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

  it('matches scikit-learn LogisticRegression (C = 1) on the same rows, two and three classes', () => {
    // 303 rows: the four-row blocks and the three rows after them.
    const { x, score } = waves(303);
    const binary = fitLogistic(
      x,
      Array.from(score, (value) => (value > 0 ? 1 : 0)),
      2,
      { tolerance: 1e-10 },
    );
    // LogisticRegression(tol=1e-10).fit on the same rows (scikit-learn 1.9.1).
    expectClose(binary.weights, [2.55444436, 1.60550207, -0.06745996]);
    expectClose(binary.intercepts, [-0.16083729]);
    const three = Array.from(score, (value) => (value < -0.5 ? 0 : value < 0.5 ? 1 : 2));
    const softmax = fitLogistic(x, three, 3, { tolerance: 1e-10 });
    expectClose(
      softmax.weights,
      [
        -2.4033419, -1.10882753, -0.01837831, 0.03636644, -0.03694697, -0.00980939, 2.36697546, 1.1457745,
        0.02818771,
      ],
    );
    expectClose(softmax.intercepts, [-0.41080904, 0.7274003, -0.31659126]);
  });

  it('stops where scikit-learn does: largest gradient component of the loss per row under tol', () => {
    const { x, score } = waves(300);
    const y = Array.from(score, (value) => (value > 0 ? 1 : 0));
    const model = fitLogistic(x, y, 2);
    // Gradient of mean log loss + ‖w‖² / (2·C·n), computed here independently of the fit.
    const gradient = new Float64Array(x.cols + 1);
    const proba = predictLogisticProba(model, x);
    for (let r = 0; r < x.rows; r++) {
      const error = (proba[r * 2 + 1] ?? 0) - (y[r] ?? 0);
      for (let j = 0; j < x.cols; j++)
        gradient[j] = (gradient[j] ?? 0) + (error * (x.values[r * x.cols + j] ?? 0)) / x.rows;
      gradient[x.cols] = (gradient[x.cols] ?? 0) + error / x.rows;
    }
    for (let j = 0; j < x.cols; j++) gradient[j] = (gradient[j] ?? 0) + (model.weights[j] ?? 0) / x.rows;
    expect(Math.max(...Array.from(gradient, Math.abs))).toBeLessThan(1e-4);
    // Looser than a tight fit (scikit-learn takes 6 iterations at tol 1e-4, 11 at 1e-10), still close to it.
    const tight = fitLogistic(x, y, 2, { tolerance: 1e-10 });
    expect(model.iterations).toBeLessThan(tight.iterations);
    expectClose(model.weights, Array.from(tight.weights), 1e-2);
  });

  it('refuses zero rows', () => {
    expect(() => fitLogistic({ values: new Float64Array(0), rows: 0, cols: 2 }, [], 2)).toThrow('zero rows');
  });

  it('refuses a target with one class', () => {
    expect(() => fitLogistic({ values: Float64Array.from([1, 2]), rows: 2, cols: 1 }, [0, 0], 1)).toThrow(
      'at least two classes',
    );
  });
});

/** Three smooth features of the row index, and a score of them with a hidden wave: reproducible in NumPy. */
function waves(rows: number) {
  const values = new Float64Array(rows * 3);
  const score = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    values.set([Math.sin(i), Math.cos(1.7 * i), Math.sin(0.37 * i)], i * 3);
    score[i] = Math.sin(i) + 0.5 * Math.cos(1.7 * i) + 0.8 * Math.sin(3.1 * i);
  }
  return { x: { values, rows, cols: 3 }, score };
}

function expectClose(actual: Float64Array, expected: number[], within = 1e-4): void {
  expected.forEach((value, index) => {
    expect(Math.abs((actual[index] ?? Number.NaN) - value)).toBeLessThan(within);
  });
}
