import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from './lbfgs';

describe('L-BFGS', () => {
  it('finds the minimum of a convex quadratic', () => {
    // f = (a − 3)² + 10·(b + 1)² + a·b
    const result = minimizeLbfgs((w, g) => {
      const [a = 0, b = 0] = w;
      g[0] = 2 * (a - 3) + b;
      g[1] = 20 * (b + 1) + a;
      return (a - 3) ** 2 + 10 * (b + 1) ** 2 + a * b;
    }, new Float64Array(2));
    // Solving the gradient equations: 2a + b = 6, a + 20b = −20.
    expect(result.converged).toBe(true);
    expect(result.w[0]).toBeCloseTo(140 / 39, 6);
    expect(result.w[1]).toBeCloseTo(-46 / 39, 6);
  });

  it('minimises the Rosenbrock function from the usual start', () => {
    const result = minimizeLbfgs(
      (w, g) => {
        const [x = 0, y = 0] = w;
        g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
        g[1] = 200 * (y - x * x);
        return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      { tolerance: 1e-8 },
    );
    expect(result.w[0]).toBeCloseTo(1, 5);
    expect(result.w[1]).toBeCloseTo(1, 5);
  });
});
