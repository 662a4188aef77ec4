import type { DriftState, DriftThresholds } from './drift-schemas';

/**
 * A feature's state from its PSI and thresholds. When no PSI can be taken because one side has no
 * values at all, the feature is in alert if the other side has some (every value went missing, or
 * values appeared where there were none) and ok if neither has any.
 */
export function driftStateOf(
  psi: number | null,
  thresholds: DriftThresholds,
  referenceValues: number,
  currentValues: number,
): DriftState {
  if (psi === null) return (referenceValues === 0) === (currentValues === 0) ? 'ok' : 'alert';
  if (psi >= thresholds.psiAlert) return 'alert';
  if (psi >= thresholds.psiWarn) return 'warn';
  return 'ok';
}
