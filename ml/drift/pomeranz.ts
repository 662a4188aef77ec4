import { clampProbability } from './clamp-probability';
import { scaleByPowerOfTwo, TWO_POW_128, TWO_POW_MINUS_128 } from './power-of-two';

/**
 * The two-sided Kolmogorov CDF P(D_n <= x) by Pomeranz's recursion (1974, Algorithm 487), as Simard
 * & L'Ecuyer use it for n <= 140 and moderate n·x². Row i of the recursion is the previous row
 * convolved with (almost) Poisson weights; only a short window of each row is non-zero, so two
 * windows are kept and swapped. The answer is n! times the last entry, with 2^128 rescalings
 * tracked on the way.
 */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const whole = Math.floor(t);
  const fraction = t - whole;
  const g = Math.min(fraction, 1 - fraction);
  const window: Window = { whole, ceiling: fraction > 0 ? 1 : 0, rounded: fraction > 0.5 ? 1 : 0, n };
  const size = 2 * (whole + 1); // the most powers a convolution needs
  // (g/n)^m/m!, (2g/n)^m/m!, ((1 − 2g)/n)^m/m!: the Poisson weights without their normalising factor.
  const gPowers = scaledPowers(g / n, size);
  const twoGPowers = scaledPowers((2 * g) / n, size);
  const restPowers = scaledPowers((1 - 2 * g) / n, size);

  let previous = new Float64Array(size);
  let current = new Float64Array(size);
  current[0] = 1;
  let previousStart = 0;
  let currentStart = 0; // the row index each window's entry 0 stands for
  let exponent = 0;
  let [low, high] = rowBounds(0, window);
  for (let i = 1; i <= 2 * n + 1; i++) {
    const lastLow = low;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    [low, high] = rowBounds(i, window);
    const weights = i === 1 || i === 2 * n + 1 ? gPowers : i % 2 === 1 ? twoGPowers : restPowers;
    const span = high - lastLow + 1;
    if (span <= 0) continue;
    convolveWindow(previous, lastLow - previousStart, weights, span, low - lastLow, high - low + 1, current);
    let largest = 0;
    for (const value of current) if (value > largest) largest = value;
    if (largest > 0 && largest < TWO_POW_MINUS_128) {
      for (let j = 0; j < size; j++) current[j] = (current[j] ?? 0) * TWO_POW_128;
      exponent -= 128;
    }
    currentStart = previousStart + low - lastLow;
  }
  let answer = current[n - currentStart] ?? 0;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > TWO_POW_128) {
      answer *= TWO_POW_MINUS_128;
      exponent += 128;
    }
    answer *= m;
  }
  return clampProbability(scaleByPowerOfTwo(answer, exponent));
}

interface Window {
  /** floor(n·x) */
  whole: number;
  /** 1 when n·x has a fractional part, else 0. */
  ceiling: number;
  /** 1 when that fractional part exceeds one half, else 0. */
  rounded: number;
  n: number;
}

/** The first and last non-zero entry of row i of the recursion, clipped to [0, n]. */
function rowBounds(i: number, { whole, ceiling, rounded, n }: Window): [number, number] {
  let low: number;
  let high: number;
  if (i === 0) {
    low = -whole - ceiling - 1;
    high = whole + ceiling - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      // i odd
      if (half === n + 1) {
        low = n - whole - ceiling - 1;
        high = n + whole + ceiling - 1;
      } else {
        low = half - 1 - whole - rounded - 1;
        high = half + whole - 1 + ceiling - 1;
      }
    } else {
      low = half - 1 - whole - 1;
      high = half + whole + rounded - 1;
    }
  }
  return [Math.max(low + 2, 0), Math.min(high, n)];
}

/** base^m / m! for m = 0 … size − 1. */
function scaledPowers(base: number, size: number): Float64Array {
  const powers = new Float64Array(size);
  powers[0] = 1;
  for (let m = 1; m < size; m++) powers[m] = ((powers[m - 1] ?? 0) * base) / m;
  return powers;
}

/**
 * Entries [skip, skip + count) of the full convolution of source[from … from + span) with
 * weights[0 … span), written to target[0 … count). Both inputs are cut at their arrays' ends, as
 * numpy's slices are.
 */
function convolveWindow(
  source: Float64Array,
  from: number,
  weights: Float64Array,
  span: number,
  skip: number,
  count: number,
  target: Float64Array,
): void {
  const sourceLength = Math.min(span, source.length - from);
  const weightLength = Math.min(span, weights.length);
  for (let out = 0; out < count; out++) {
    const k = skip + out;
    let sum = 0;
    const first = Math.max(0, k - weightLength + 1);
    const last = Math.min(k, sourceLength - 1);
    for (let a = first; a <= last; a++) sum += (source[from + a] ?? 0) * (weights[k - a] ?? 0);
    target[out] = sum;
  }
}
