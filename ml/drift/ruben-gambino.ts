// Stirling's series for log(n!) − n·log(n): the Bernoulli terms B_2j / (2j(2j − 1)) for j = 8 down
// to 1 (highest power first, as Horner's scheme takes them).
const STIRLING_COEFFICIENTS = [
  -3617 / 122400,
  1 / 156,
  -691 / 360360,
  1 / 1188,
  -1 / 1680,
  1 / 1260,
  -1 / 360,
  1 / 12,
];

/**
 * log(n! / n^n) by Stirling's series with n·log(n) taken out first, so nothing large is subtracted
 * from something large.
 */
export function logFactorialOverPower(n: number): number {
  const reciprocal = 1 / n;
  const squared = reciprocal / n;
  let series = 0;
  for (const coefficient of STIRLING_COEFFICIENTS) series = series * squared + coefficient;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + reciprocal * series;
}

/**
 * Ruben & Gambino's closed form of the two-sided Kolmogorov CDF at its lower end, 1/(2n) < x <= 1/n:
 * P(D_n <= x) = n!/n^n · (2nx − 1)^n. The product is formed factor by factor for small n (no
 * overflow), through Stirling's series beyond 140.
 */
export function kolmogorovLowerEndCdf(n: number, x: number): number {
  const t = n * x;
  if (t <= 0.5) return 0;
  if (n <= 140) {
    let product = 1;
    for (let i = 1; i <= n; i++) product *= i * (1 / n) * (2 * t - 1);
    return product;
  }
  return Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
}

/** The upper end, x >= 1 − 1/n: P(D_n > x) = 2(1 − x)^n (Ruben & Gambino). */
export function kolmogorovUpperEndSf(n: number, x: number): number {
  return 2 * (1 - x) ** n;
}
