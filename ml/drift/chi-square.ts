import gammainc from '@stdlib/math-base-special-gammainc';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  degreesOfFreedom: number;
}

/**
 * Pearson's chi-square test of independence on the 2 × k table of reference and current counts per
 * category: scipy.stats.chi2_contingency([reference, current], correction=False). (scipy's default
 * applies Yates' correction only when there is one degree of freedom, i.e. two categories; with
 * more, the default gives the same figures.) Categories empty on both sides are left out, as they
 * add nothing and would make an expected count zero. The p-value is the chi-square survival
 * function, the regularised upper incomplete gamma Q(dof/2, statistic/2) from stdlib, which keeps
 * its relative accuracy for tiny p-values where 1 − CDF would round to 0.
 */
export function chiSquareTest(
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
): ChiSquareResult {
  if (referenceCounts.length !== currentCounts.length)
    throw new Error(
      `The chi-square test needs the same categories on both sides, got ${referenceCounts.length} and ${currentCounts.length}`,
    );
  const columns: [number, number][] = [];
  for (let c = 0; c < referenceCounts.length; c++) {
    const reference = referenceCounts[c] ?? 0;
    const current = currentCounts[c] ?? 0;
    if (reference + current > 0) columns.push([reference, current]);
  }
  const referenceTotal = columns.reduce((total, [reference]) => total + reference, 0);
  const currentTotal = columns.reduce((total, [, current]) => total + current, 0);
  if (referenceTotal <= 0 || currentTotal <= 0)
    throw new Error('The chi-square test needs at least one value on each side');
  const degreesOfFreedom = columns.length - 1;
  // One category: nothing can differ (scipy returns statistic 0, p-value 1).
  if (degreesOfFreedom === 0) return { statistic: 0, pValue: 1, degreesOfFreedom };
  const total = referenceTotal + currentTotal;
  let statistic = 0;
  for (const [reference, current] of columns) {
    const columnTotal = reference + current;
    const expectedReference = (referenceTotal * columnTotal) / total;
    const expectedCurrent = (currentTotal * columnTotal) / total;
    statistic += (reference - expectedReference) ** 2 / expectedReference;
    statistic += (current - expectedCurrent) ** 2 / expectedCurrent;
  }
  return { statistic, pValue: gammainc(statistic / 2, degreesOfFreedom / 2, true, true), degreesOfFreedom };
}
