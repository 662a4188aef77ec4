/** A probability clipped into [0, 1], as scipy clips each Kolmogorov result (rounding can overshoot). */
export function clampProbability(p: number): number {
  return Math.min(1, Math.max(0, p));
}
