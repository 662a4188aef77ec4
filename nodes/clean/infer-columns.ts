import { trackedSelection } from '../_data/columns';
import { conditionColumns } from '../_data/condition';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import { type ColumnInference, ColumnTracker, type KnownColumns } from '../_kit/known-columns';
import type { CleanOperation, QualityRule } from './spec';

/** Follows the operations over the known columns, flagging every reference to a missing one. */
export function inferCleanColumns(
  config: { operations: CleanOperation[]; rules: QualityRule[] },
  inputs: Record<string, KnownColumns>,
): ColumnInference {
  const tracker = new ColumnTracker(inputs.data);
  for (const [index, operation] of config.operations.entries()) {
    const field = `operations.${index}`;
    switch (operation.op) {
      case 'drop': {
        const dropped = new Set(trackedSelection(operation.columns, tracker, `${field}.columns`));
        tracker.map((columns) => columns.filter((column) => !dropped.has(column.name)));
        break;
      }
      case 'keep': {
        const kept = new Set([
          ...trackedSelection(operation.columns, tracker, `${field}.columns`),
          SPLIT_COLUMN,
        ]);
        tracker.map((columns) => columns.filter((column) => kept.has(column.name)));
        break;
      }
      case 'rename':
        if (tracker.require(operation.from, `${field}.from`)) {
          tracker.map((columns) =>
            columns.map((column) =>
              column.name === operation.from ? { ...column, name: operation.to } : column,
            ),
          );
        }
        break;
      case 'cast':
        if (tracker.require(operation.column, `${field}.column`)) {
          tracker.map((columns) =>
            columns.map((column) =>
              column.name === operation.column ? { ...column, type: operation.to } : column,
            ),
          );
        }
        break;
      case 'filter':
        tracker.requireAll(conditionColumns(operation.condition), `${field}.condition`);
        break;
      case 'drop_missing':
      case 'deduplicate':
        if (operation.columns) trackedSelection(operation.columns, tracker, `${field}.columns`);
        break;
      case 'impute':
      case 'clip':
      case 'text':
        trackedSelection(operation.columns, tracker, `${field}.columns`);
        break;
    }
  }
  for (const [index, rule] of config.rules.entries()) {
    if ('column' in rule) tracker.require(rule.column, `rules.${index}.column`);
    if ('columns' in rule) tracker.requireAll(rule.columns, `rules.${index}.columns`);
  }
  return { outputs: { data: tracker.columns }, problems: tracker.problems };
}
