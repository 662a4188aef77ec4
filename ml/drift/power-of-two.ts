/** 2^128 and 2^-128: the step by which the exact Kolmogorov algorithms rescale to stay within doubles. */
export const TWO_POW_128 = 2 ** 128;
export const TWO_POW_MINUS_128 = 2 ** -128;

/**
 * value · 2^exponent (C's ldexp), applied in steps so that a large exponent neither overflows nor
 * underflows the factor itself before the product is formed.
 */
export function scaleByPowerOfTwo(value: number, exponent: number): number {
  let result = value;
  let left = exponent;
  while (left > 1000) {
    result *= 2 ** 1000;
    left -= 1000;
  }
  while (left < -1000) {
    result *= 2 ** -1000;
    left += 1000;
  }
  return result * 2 ** left;
}
