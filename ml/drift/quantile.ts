/**
 * numpy.quantile(values, q) with its default method, 'linear' (Hyndman & Fan type 7), on values
 * already sorted: the value at virtual index (n − 1)·q, interpolated between its two neighbours the
 * way numpy's _lerp does it (from the lower neighbour below the midpoint, from the upper one at or
 * above it), so the result is the same double numpy gives.
 */
export function linearQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('A quantile needs at least one value');
  if (!(q >= 0 && q <= 1)) throw new Error(`A quantile must be between 0 and 1, got ${q}`);
  const virtualIndex = (n - 1) * q;
  if (virtualIndex >= n - 1) return sorted[n - 1] ?? 0;
  const below = Math.floor(virtualIndex);
  const t = virtualIndex - below;
  const a = sorted[below] ?? 0;
  const b = sorted[below + 1] ?? 0;
  const difference = b - a;
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}

/**
 * The inner edges of `bins` equal-frequency bins: the quantiles at 1/bins, 2/bins, …, taken as
 * numpy.linspace(0, 1, bins + 1) spells them (i · (1/bins), so the 3rd decile is 0.30000000000000004,
 * not 0.3), which is how the reference figures in drift-case.json were made.
 */
export function quantileEdges(sorted: Float64Array, bins: number): Float64Array {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`bins must be a positive integer, got ${bins}`);
  const step = 1 / bins;
  const edges = new Float64Array(bins - 1);
  for (let i = 1; i < bins; i++) edges[i - 1] = linearQuantile(sorted, i * step);
  return edges;
}
