import { clampProbability } from './clamp-probability';
import { scaleByPowerOfTwo, TWO_POW_128, TWO_POW_MINUS_128 } from './power-of-two';

/**
 * The two-sided Kolmogorov CDF P(D_n <= d) by Durbin's matrix formula, computed as Marsaglia, Tsang
 * & Wang (2003) do: write d = (k − h)/n with k a positive integer and 0 <= h < 1, build the
 * (2k − 1)² matrix H, and P = n!/n^n · (H^n)[k−1, k−1]. H^n is formed by repeated squaring, with H
 * and the final product rescaled by 2^128 whenever they would leave the range of doubles; the
 * exponents are tracked and applied at the end. Cost O(k³ log n): meant for small n·d.
 */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  let power: Float64Array = identity(m);
  let square = durbinMatrix(m, h);
  let exponent = 0; // power = true power · 2^-exponent
  let squareExponent = 0; // likewise for square
  const centre = (k - 1) * m + (k - 1);
  for (let left = n; left > 0; left = Math.floor(left / 2)) {
    if (left % 2 === 1) {
      power = multiply(power, square, m);
      exponent += squareExponent;
    }
    square = multiply(square, square, m);
    squareExponent *= 2;
    if (Math.abs(square[centre] ?? 0) > TWO_POW_128) {
      for (let i = 0; i < square.length; i++) square[i] = (square[i] ?? 0) / TWO_POW_128;
      squareExponent += 128;
    }
  }
  let p = power[centre] ?? 0;
  // Multiply by n!/n^n one factor at a time, lifting p back up whenever it gets small.
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < TWO_POW_MINUS_128) {
      p *= TWO_POW_128;
      exponent -= 128;
    }
  }
  return clampProbability(scaleByPowerOfTwo(p, exponent));
}

/**
 * Durbin's H for d = (k − h)/n, m = 2k − 1: ones on and 1/j! below the diagonal band (column i holds
 * 1, 1/1!, 1/2!, … from row i − 1 down), the first column (1 − h^j)/j!, the last row the first column
 * reversed, and its corner (1 − 2h^m + max(0, 2h − 1)^m)/m!.
 */
function durbinMatrix(m: number, h: number): Float64Array {
  const firstColumn = new Float64Array(m);
  const inverseFactorials = new Float64Array(m); // 1/0!, 1/1!, …, 1/(m−1)!
  let factor = 1;
  for (let j = 1; j <= m; j++) {
    inverseFactorials[j - 1] = factor;
    factor /= j; // may underflow for large m, harmlessly
    firstColumn[j - 1] = (1 - h ** j) * factor;
  }
  firstColumn[m - 1] = (1 + (Math.max(2 * h - 1, 0) ** m - 2 * h ** m)) * factor;
  const matrix = new Float64Array(m * m);
  for (let column = 1; column < m; column++)
    for (let row = column - 1; row < m; row++)
      matrix[row * m + column] = inverseFactorials[row - column + 1] ?? 0;
  for (let row = 0; row < m; row++) matrix[row * m] = firstColumn[row] ?? 0;
  for (let column = 0; column < m; column++) matrix[(m - 1) * m + column] = firstColumn[m - 1 - column] ?? 0;
  return matrix;
}

function identity(m: number): Float64Array {
  const matrix = new Float64Array(m * m);
  for (let i = 0; i < m; i++) matrix[i * m + i] = 1;
  return matrix;
}

/** The product of two m×m row-major matrices, into a new one. */
function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const product = new Float64Array(m * m);
  for (let row = 0; row < m; row++) {
    const out = row * m;
    for (let inner = 0; inner < m; inner++) {
      const factor = a[out + inner] ?? 0;
      if (factor === 0) continue;
      const from = inner * m;
      for (let column = 0; column < m; column++)
        product[out + column] = (product[out + column] ?? 0) + factor * (b[from + column] ?? 0);
    }
  }
  return product;
}
