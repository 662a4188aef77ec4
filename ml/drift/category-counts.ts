export interface CategoryCounts {
  /** Every category seen on either side, in code-unit order (the JSON reference lists them so). */
  categories: string[];
  referenceCounts: number[];
  currentCounts: number[];
  /** Entries that are null (missing), per side. */
  referenceMissing: number;
  currentMissing: number;
}

/** One bin per category over the union of both sides' categories; null is missing, not a category. */
export function countCategories(
  reference: readonly (string | null)[],
  current: readonly (string | null)[],
): CategoryCounts {
  const referenceTally = tally(reference);
  const currentTally = tally(current);
  const categories = [...new Set([...referenceTally.counts.keys(), ...currentTally.counts.keys()])].sort();
  return {
    categories,
    referenceCounts: categories.map((category) => referenceTally.counts.get(category) ?? 0),
    currentCounts: categories.map((category) => currentTally.counts.get(category) ?? 0),
    referenceMissing: referenceTally.missing,
    currentMissing: currentTally.missing,
  };
}

function tally(values: readonly (string | null)[]): { counts: Map<string, number>; missing: number } {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const value of values) {
    if (value === null) missing++;
    else counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return { counts, missing };
}
