import type { ModelOutput } from '../../registry/version-schema';
import type { LoggedWindow } from '../_kit/monitoring-port';

/** The DuckDB storage type of the target for these feedback labels. */
export function targetStorage(
  task: 'classification' | 'regression',
  labels: readonly (string | number | boolean | null)[],
): 'DOUBLE' | 'BIGINT' | 'BOOLEAN' | 'VARCHAR' {
  if (task === 'regression') return 'DOUBLE';
  const present = labels.filter((label) => label !== null);
  if (present.length > 0 && present.every((label) => typeof label === 'boolean')) return 'BOOLEAN';
  if (present.length > 0 && present.every((label) => typeof label === 'number'))
    return present.every((label) => Number.isInteger(label)) ? 'BIGINT' : 'DOUBLE';
  return 'VARCHAR';
}

/**
 * The feedback as values of the target's type. The log reader gives classes as text ("1",
 * "true"): each is turned back into the signature's label it spells, so a target trained as
 * numbers or booleans comes back as numbers or booleans (and appends to the training rows); a
 * class the model never knew stays text. Regression values are numbers, NaN as missing.
 */
export function feedbackLabels(
  truth: LoggedWindow['predictions'],
  output: ModelOutput,
): (string | number | boolean | null)[] {
  if (truth.task === 'regression')
    return Array.from(truth.values, (value) => (Number.isNaN(value) ? null : value));
  const known = new Map(
    (output.task === 'classification' ? output.labels : []).map((label) => [String(label), label]),
  );
  return truth.labels.map((label) => (label === null ? null : (known.get(label) ?? label)));
}
