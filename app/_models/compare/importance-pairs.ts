import type { FeatureImportance } from '../../../nodes/evaluate/report-schema';
import type { ImportancePair } from './comparison-schema';

/** Features shown side by side at most. */
export const TOP_PAIRED_FEATURES = 15;

/**
 * Two versions' feature importances paired by feature, sorted by the larger of the two (so a
 * feature only one version leans on still shows), then by name; cut to the top `limit`. A feature
 * one version lacks has null on that side. Pure.
 */
export function pairImportances(
  a: readonly FeatureImportance[],
  b: readonly FeatureImportance[],
  limit = TOP_PAIRED_FEATURES,
): { pairs: ImportancePair[]; features: number } {
  const byFeature = new Map<string, ImportancePair>();
  const entry = (feature: string) => {
    const found = byFeature.get(feature) ?? { feature, a: null, b: null };
    byFeature.set(feature, found);
    return found;
  };
  for (const item of a) entry(item.feature).a = item.importance;
  for (const item of b) entry(item.feature).b = item.importance;
  const larger = (pair: ImportancePair) =>
    Math.max(pair.a ?? Number.NEGATIVE_INFINITY, pair.b ?? Number.NEGATIVE_INFINITY);
  const sorted = [...byFeature.values()].sort(
    (left, right) => larger(right) - larger(left) || left.feature.localeCompare(right.feature),
  );
  return { pairs: sorted.slice(0, limit), features: sorted.length };
}
