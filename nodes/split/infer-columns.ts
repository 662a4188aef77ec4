import { SPLIT_COLUMN } from '../_data/dataset-schema';
import { type ColumnInference, ColumnTracker, type KnownColumns } from '../_kit/known-columns';

export function inferSplitColumns(
  config: { method: 'random' | 'stratified' | 'time'; stratifyBy?: string; timeColumn?: string },
  inputs: Record<string, KnownColumns>,
): ColumnInference {
  const tracker = new ColumnTracker(inputs.data);
  if (config.method === 'stratified' && config.stratifyBy) tracker.require(config.stratifyBy, 'stratifyBy');
  if (config.method === 'time' && config.timeColumn) tracker.require(config.timeColumn, 'timeColumn');
  tracker.map((columns) => [
    ...columns.filter((column) => column.name !== SPLIT_COLUMN),
    { name: SPLIT_COLUMN, type: 'categorical' },
  ]);
  return { outputs: { data: tracker.columns }, problems: tracker.problems };
}
