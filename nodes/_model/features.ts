import type { ColumnSelector } from '../_data/columns';
import { resolveColumns, typedColumns } from '../_data/columns';
import type { DatasetInput } from '../_data/dataset-input';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import type { RowMatrix } from '../_data/matrix';
import { NodeInputError } from '../_kit/errors';
import type { Algorithm } from './algorithms';

/**
 * The model's input columns: the chosen ones, or every column but the target and the split. They
 * must be numbers or yes/no: text has to be encoded by a Feature step first, so the encoding is
 * learned from training rows and replayed when serving.
 */
export function chooseFeatures(
  dataset: DatasetInput,
  selector: ColumnSelector | undefined,
  target: string,
): string[] {
  const columns = typedColumns(dataset.columns);
  const chosen = selector
    ? resolveColumns(selector, columns, 'features')
    : columns.map((column) => column.name).filter((name) => name !== target && name !== SPLIT_COLUMN);
  const features = chosen.filter((name) => name !== target && name !== SPLIT_COLUMN);
  if (features.length === 0)
    throw new NodeInputError('No feature columns are left besides the target', { field: 'features' });
  for (const name of features) {
    const type = columns.find((column) => column.name === name)?.type;
    if (type !== 'numeric' && type !== 'boolean')
      throw new NodeInputError(
        `Column "${name}" is ${type ?? 'of unknown type'}: encode it in a Feature step (one-hot or ordinal) before training, or leave it out of the features`,
        { field: 'features', column: name },
      );
  }
  return features;
}

/**
 * Infinite values fail every algorithm; missing values (NaN) only gradient boosting learns to
 * route, so the others ask for an impute step with the column named.
 */
export function checkFeatureValues(
  matrix: RowMatrix,
  features: readonly string[],
  algorithm: Algorithm,
  part: 'training' | 'test' = 'training',
): void {
  for (const [col, name] of features.entries()) {
    let missing = 0;
    for (let row = 0; row < matrix.rows; row++) {
      const value = matrix.values[row * matrix.cols + col] ?? Number.NaN;
      if (Number.isNaN(value)) missing++;
      else if (!Number.isFinite(value))
        throw new NodeInputError(
          `Column "${name}" holds an infinite value (${part} row ${row + 1}): clip or filter it in a Clean step`,
          { field: 'features', column: name, row: row + 1 },
        );
    }
    if (missing > 0 && algorithm !== 'gradient_boosting')
      throw new NodeInputError(
        `Column "${name}" has ${missing} missing values in the ${part} rows: impute them in a Clean step, or choose gradient boosting, which handles missing values`,
        { field: 'features', column: name },
      );
  }
}
