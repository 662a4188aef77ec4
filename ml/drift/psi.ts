/** The smallest fraction a bin counts as, so that an empty bin does not make the index infinite. */
export const PSI_FLOOR = 1e-4;

/**
 * The population stability index of two binned samples:
 *   Σ_bins (current fraction − reference fraction) · ln(current fraction / reference fraction),
 * each fraction the bin's count over its side's total, raised to `floor` when below it on either
 * side. The floored fractions are not renormalised (drift-case.json's "how": "fractions floored at
 * psi_eps_floor", and Evidently does the same).
 */
export function populationStabilityIndex(
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
  floor: number = PSI_FLOOR,
): number {
  if (referenceCounts.length !== currentCounts.length)
    throw new Error(
      `PSI needs the same bins on both sides, got ${referenceCounts.length} and ${currentCounts.length}`,
    );
  const referenceTotal = sum(referenceCounts);
  const currentTotal = sum(currentCounts);
  if (referenceTotal <= 0 || currentTotal <= 0) throw new Error('PSI needs at least one value on each side');
  let index = 0;
  for (let bin = 0; bin < referenceCounts.length; bin++) {
    const expected = Math.max((referenceCounts[bin] ?? 0) / referenceTotal, floor);
    const actual = Math.max((currentCounts[bin] ?? 0) / currentTotal, floor);
    index += (actual - expected) * Math.log(actual / expected);
  }
  return index;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
