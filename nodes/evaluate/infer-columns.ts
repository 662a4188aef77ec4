import { type Condition, conditionColumns } from '../_data/condition';
import { type ColumnInference, ColumnTracker, type KnownColumns } from '../_kit/known-columns';

/** Slice conditions must name columns of the test data; gates name slices, checked at run time. */
export function inferEvaluateColumns(
  config: { slices: { name: string; condition: Condition }[] },
  inputs: Record<string, KnownColumns>,
): ColumnInference {
  const tracker = new ColumnTracker(inputs.data);
  for (const slice of config.slices) tracker.requireAll(conditionColumns(slice.condition), 'slices');
  return { outputs: {}, problems: tracker.problems };
}
