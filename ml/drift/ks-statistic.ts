/**
 * The two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) − F_b(x)| of two sorted samples, as
 * scipy.stats.ks_2samp computes it: both empirical CDFs evaluated (right-continuous) at every pooled
 * value, one merge of the two arrays, no allocation. Each CDF level is i / n, as scipy 1.17 forms it
 * (searchsorted(…) / n), so D is the same double scipy 1.17.1 reports.
 */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0)
    throw new Error('The Kolmogorov–Smirnov statistic needs at least one value on each side');
  let i = 0;
  let j = 0;
  let largest = 0;
  let smallest = 0;
  while (i < na || j < nb) {
    // The next pooled value; step both CDFs past every copy of it.
    const value = Math.min(
      i < na ? (a[i] ?? 0) : Number.POSITIVE_INFINITY,
      j < nb ? (b[j] ?? 0) : Number.POSITIVE_INFINITY,
    );
    while (i < na && (a[i] ?? 0) <= value) i++;
    while (j < nb && (b[j] ?? 0) <= value) j++;
    const difference = i / na - j / nb;
    if (difference > largest) largest = difference;
    else if (difference < smallest) smallest = difference;
  }
  return Math.max(largest, -smallest);
}
