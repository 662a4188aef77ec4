import type { Label } from './model-artifact';

/**
 * The target of measured rows as the model's classes (rows whose class never occurred in training,
 * or with no value, are left out and listed by `keep`) or as values for regression.
 */
export function encodeTruth(
  task: 'classification' | 'regression',
  classes: readonly Label[],
  target: readonly (Label | null)[],
): { keep: Int32Array; y: Float64Array } {
  if (task === 'regression')
    return { keep: Int32Array.from(target.keys()), y: Float64Array.from(target, (value) => Number(value)) };
  const index = new Map(classes.map((label, position) => [label, position]));
  const keep: number[] = [];
  const y: number[] = [];
  target.forEach((value, row) => {
    const position = value === null ? undefined : index.get(value);
    if (position === undefined) return;
    keep.push(row);
    y.push(position);
  });
  return { keep: Int32Array.from(keep), y: Float64Array.from(y) };
}
