import { countBelow } from './sorted-values';

/**
 * How many sorted values fall in each of the bins the inner edges cut: bin 0 is everything below
 * edges[0] (open below), bin i holds edges[i−1] <= v < edges[i], and the last bin everything from the
 * last edge up (open above). A value equal to an edge goes to the upper bin, as
 * numpy.searchsorted(edges, v, side='right') places it. One binary search per edge, none per value.
 */
export function countInBins(sorted: Float64Array, innerEdges: Float64Array): number[] {
  const counts: number[] = [];
  let below = 0;
  for (const edge of innerEdges) {
    const next = countBelow(sorted, edge);
    counts.push(next - below);
    below = next;
  }
  counts.push(sorted.length - below);
  return counts;
}
