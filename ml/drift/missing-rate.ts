export interface MissingRateChange {
  /** Share of the reference's entries that are missing. */
  reference: number;
  /** Share of the current entries that are missing. */
  current: number;
  /** current − reference: positive when more values go missing than before. */
  change: number;
}

/** The missing rate on each side and its change, from the missing and total counts. */
export function missingRateChange(
  referenceMissing: number,
  referenceTotal: number,
  currentMissing: number,
  currentTotal: number,
): MissingRateChange {
  if (referenceTotal <= 0 || currentTotal <= 0)
    throw new Error('A missing rate needs at least one entry on each side');
  const reference = referenceMissing / referenceTotal;
  const current = currentMissing / currentTotal;
  return { reference, current, change: current - reference };
}
