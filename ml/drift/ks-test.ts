import { kolmogorovSf } from './kolmogorov-sf';
import { ksStatistic } from './ks-statistic';

export interface KsTestResult {
  /** D, the largest gap between the two empirical CDFs. */
  statistic: number;
  /** The two-sided p-value from the Kolmogorov distribution at the effective sample size. */
  pValue: number;
  /** round(n_a·n_b / (n_a + n_b)), the sample size the p-value is taken at. */
  effectiveSize: number;
}

/**
 * The two-sided two-sample Kolmogorov–Smirnov test of two sorted samples: D as
 * scipy.stats.ks_2samp, and its p-value as ks_2samp(method='asymp'), kstwo.sf(D, round(n·m/(n+m))).
 * scipy's default method='auto' computes an exact p-value instead when both samples have at most
 * 10,000 values; that lattice computation is not reproduced here, so below that size the p-value is
 * the asymptotic one (the two agree to about 0.01 at a few hundred values a side, closer as they grow).
 */
export function ksTest(a: Float64Array, b: Float64Array): KsTestResult {
  const statistic = ksStatistic(a, b);
  const larger = Math.max(a.length, b.length);
  const smaller = Math.min(a.length, b.length);
  const effectiveSize = roundHalfToEven((larger * smaller) / (larger + smaller));
  return { statistic, pValue: kolmogorovSf(effectiveSize, statistic), effectiveSize };
}

/** numpy.round: to the nearest integer, ties to the even one. */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
