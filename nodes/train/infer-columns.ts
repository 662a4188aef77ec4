import type { ColumnSelector } from '../_data/columns';
import { trackedSelection } from '../_data/columns';
import { type ColumnInference, ColumnTracker, type KnownColumns } from '../_kit/known-columns';

/** The target and any named features must exist upstream; a model has no columns of its own. */
export function inferTrainColumns(
  config: { target: string; features?: ColumnSelector },
  inputs: Record<string, KnownColumns>,
): ColumnInference {
  const tracker = new ColumnTracker(inputs.data);
  if (config.target) tracker.require(config.target, 'target');
  if (config.features) trackedSelection(config.features, tracker, 'features');
  return { outputs: {}, problems: tracker.problems };
}
