/**
 * The Jensen–Shannon distance in bits between two histograms given as counts over the same bins,
 * as scipy.spatial.distance.jensenshannon(p, q, base=2): each side normalised to sum to 1, then
 * √((KL(p‖m) + KL(q‖m)) / 2) with m their average. 0 for the same shape, 1 for disjoint supports.
 * Unlike PSI it needs no floor: an empty bin on one side is well defined.
 */
export function jensenShannonDistance(
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
): number {
  if (referenceCounts.length !== currentCounts.length)
    throw new Error(
      `Jensen–Shannon needs the same bins on both sides, got ${referenceCounts.length} and ${currentCounts.length}`,
    );
  const referenceTotal = referenceCounts.reduce((total, count) => total + count, 0);
  const currentTotal = currentCounts.reduce((total, count) => total + count, 0);
  if (referenceTotal <= 0 || currentTotal <= 0)
    throw new Error('Jensen–Shannon needs at least one value on each side');
  let divergence = 0;
  for (let bin = 0; bin < referenceCounts.length; bin++) {
    const p = (referenceCounts[bin] ?? 0) / referenceTotal;
    const q = (currentCounts[bin] ?? 0) / currentTotal;
    const m = (p + q) / 2;
    divergence += relativeEntropy(p, m) + relativeEntropy(q, m);
  }
  // Rounding can leave a hair below zero for identical histograms; the distance is then 0.
  return Math.sqrt(Math.max(0, divergence / 2 / Math.LN2));
}

/** x·ln(x/y), with 0·ln 0 = 0 (scipy.special.rel_entr; y > 0 wherever x > 0 here). */
function relativeEntropy(x: number, y: number): number {
  return x > 0 ? x * Math.log(x / y) : 0;
}
