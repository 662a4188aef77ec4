/**
 * The first Wasserstein (earth mover's) distance between two samples, sorted:
 * ∫ |F_a(x) − F_b(x)| dx, as scipy.stats.wasserstein_distance(a, b) with equal weights. Both
 * empirical CDFs are step functions, so the integral is a sum over the gaps between consecutive
 * pooled values, found by one merge of the two arrays. In the units of the values.
 */
export function wassersteinDistance(a: Float64Array, b: Float64Array): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) throw new Error('The Wasserstein distance needs at least one value on each side');
  let i = 0;
  let j = 0;
  let distance = 0;
  let value = Math.min(a[0] ?? 0, b[0] ?? 0);
  while (i < na || j < nb) {
    while (i < na && (a[i] ?? 0) <= value) i++;
    while (j < nb && (b[j] ?? 0) <= value) j++;
    if (i === na && j === nb) break;
    const next = Math.min(
      i < na ? (a[i] ?? 0) : Number.POSITIVE_INFINITY,
      j < nb ? (b[j] ?? 0) : Number.POSITIVE_INFINITY,
    );
    distance += Math.abs(i / na - j / nb) * (next - value);
    value = next;
  }
  return distance;
}
