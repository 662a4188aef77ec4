import type { ColumnSelector } from '../_data/columns';
import { trackedSelection } from '../_data/columns';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import { parseExpression } from '../_data/expression';
import { NodeInputError } from '../_kit/errors';
import { type ColumnInference, ColumnTracker, type KnownColumns } from '../_kit/known-columns';
import type { FeatureOperation } from './spec';

/** Follows the operations over the known columns; after a one-hot encoding the names depend on the data. */
export function inferFeatureColumns(
  config: { operations: FeatureOperation[]; features?: ColumnSelector; target?: string },
  inputs: Record<string, KnownColumns>,
): ColumnInference {
  const tracker = new ColumnTracker(inputs.data);
  if (config.target) tracker.require(config.target, 'target');
  for (const [index, operation] of config.operations.entries()) {
    const field = `operations.${index}`;
    switch (operation.op) {
      case 'one_hot':
        trackedSelection(operation.columns, tracker, `${field}.columns`);
        tracker.forget();
        break;
      case 'ordinal': {
        const encoded = new Set(trackedSelection(operation.columns, tracker, `${field}.columns`));
        tracker.map((columns) =>
          columns.map((column) => (encoded.has(column.name) ? { ...column, type: 'numeric' } : column)),
        );
        break;
      }
      case 'standardize':
      case 'min_max':
      case 'log':
      case 'sqrt':
        trackedSelection(operation.columns, tracker, `${field}.columns`);
        break;
      case 'bin':
        tracker.require(operation.column, `${field}.column`);
        break;
      case 'date_parts':
        if (tracker.require(operation.column, `${field}.column`)) {
          tracker.map((columns) => [
            ...columns,
            ...operation.parts.map((part) => ({
              name: `${operation.column}_${part}`,
              type: 'numeric' as const,
            })),
          ]);
        }
        break;
      case 'derive':
        if (tracker.columns) {
          try {
            parseExpression(
              operation.expression,
              tracker.columns.map((column) => column.name),
              `${field}.expression`,
            );
          } catch (error) {
            if (!(error instanceof NodeInputError)) throw error;
            // A missing column is reported like any other; anything else is the expression itself.
            const { column } = error.details;
            tracker.problems.push({
              code: column === undefined ? 'invalid-expression' : 'unknown-column',
              field: `${field}.expression`,
              column,
              message: error.message,
            });
          }
        }
        tracker.map((columns) => [...columns, { name: operation.name, type: 'numeric' }]);
        break;
    }
  }
  if (config.features) {
    const features = new Set(trackedSelection(config.features, tracker, 'features'));
    tracker.map((columns) =>
      columns.filter(
        (column) =>
          features.has(column.name) || column.name === config.target || column.name === SPLIT_COLUMN,
      ),
    );
  }
  return { outputs: { data: tracker.columns }, problems: tracker.problems };
}
