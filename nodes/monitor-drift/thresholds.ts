import type { DriftThresholds } from '../../ml/drift';
import { NodeInputError } from '../_kit/errors';
import type { FeatureThreshold } from './spec';

/**
 * Each feature's PSI thresholds: its own where the config gives them, the step's otherwise. An
 * override naming a column the model does not take is a mistake (a typo would silently leave the
 * feature on the defaults), and fails naming the entry.
 */
export function thresholdsByFeature(
  config: { psiWarn: number; psiAlert: number; featureThresholds: readonly FeatureThreshold[] },
  features: readonly string[],
): Map<string, DriftThresholds> {
  const known = new Set(features);
  config.featureThresholds.forEach((entry, index) => {
    if (!known.has(entry.feature))
      throw new NodeInputError(
        `Per-feature thresholds name "${entry.feature}", which is not an input of the model (its inputs: ${features.join(', ')})`,
        { field: `featureThresholds.${index}.feature`, column: entry.feature },
      );
  });
  const own = new Map(config.featureThresholds.map((entry) => [entry.feature, entry]));
  return new Map(
    features.map((feature) => {
      const entry = own.get(feature) ?? config;
      return [feature, { psiWarn: entry.psiWarn, psiAlert: entry.psiAlert }];
    }),
  );
}
