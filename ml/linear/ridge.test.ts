import { describe, expect, it } from 'vitest';
import { fitRidge, predictLinear } from './ridge';

describe('ridge regression', () => {
  it('recovers an exact line when the penalty is negligible', () => {
    // y = 3 + 2·a − b
    const values = Float64Array.from([1, 0, 2, 1, 3, 5, 0, 2, 4, 4]);
    const y = [5, 6, 4, 1, 7];
    const model = fitRidge({ values, rows: 5, cols: 2 }, y, 1e-12);
    expect(model.coefficients[0]).toBeCloseTo(2, 9);
    expect(model.coefficients[1]).toBeCloseTo(-1, 9);
    expect(model.intercept).toBeCloseTo(3, 9);
    expect(Array.from(predictLinear(model, { values, rows: 5, cols: 2 }))).toEqual(
      y.map((value) => expect.closeTo(value, 9)),
    );
  });

  it('shrinks the slope by the penalty, leaving the intercept free (hand-checked)', () => {
    // One centred column x = [-1, 0, 1], y = [0, 1, 2]: slope = Σxy / (Σx² + α) = 2 / (2 + 2) = 0.5.
    const model = fitRidge({ values: Float64Array.from([-1, 0, 1]), rows: 3, cols: 1 }, [0, 1, 2], 2);
    expect(model.coefficients[0]).toBeCloseTo(0.5, 12);
    expect(model.intercept).toBeCloseTo(1, 12);
  });
});
