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
