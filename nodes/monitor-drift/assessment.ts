import {
  type DatasetDrift,
  type DriftColumn,
  type DriftThresholds,
  datasetDrift,
  featureDrift,
  type NumericReference,
} from '../../ml/drift';
import type { AlertSubject, CheckState } from '../_kit/monitoring-port';
import type { FeatureCheck } from './report-schema';

export interface DriftAssessment {
  features: FeatureCheck[];
  dataset: DatasetDrift;
  /**
   * The check's state, which is also the dataset's: alert when at least the drift share of the
   * features is in alert; warn when some feature warns or alerts, short of that; ok otherwise.
   */
  state: CheckState;
}

export interface FeatureSides {
  feature: string;
  reference: DriftColumn | NumericReference;
  current: DriftColumn;
  thresholds: DriftThresholds;
}

/** Every feature's drift, in the model's input order, and the verdict on the inputs as a whole. */
export function assessDrift(sides: readonly FeatureSides[], driftShare: number): DriftAssessment {
  const features = sides.map(
    (side): FeatureCheck => ({
      feature: side.feature,
      thresholds: side.thresholds,
      ...featureDrift(side.reference, side.current, side.thresholds),
    }),
  );
  const dataset = datasetDrift(features, driftShare);
  const state: CheckState = dataset.drifted
    ? 'alert'
    : features.some((feature) => feature.state !== 'ok')
      ? 'warn'
      : 'ok';
  return { features, dataset, state };
}

/** The subjects an alert can be about: the inputs as a whole ('dataset'), and each feature. */
export function alertSubjects(assessment: DriftAssessment): AlertSubject[] {
  return [
    { subject: 'dataset', kind: 'drift', state: assessment.state },
    ...assessment.features.map(
      (feature): AlertSubject => ({ subject: feature.feature, kind: 'drift', state: feature.state }),
    ),
  ];
}

/** The features by PSI, largest first (a feature without one last), at most `count`. */
export function topFeatures(
  features: readonly FeatureCheck[],
  count: number,
): { feature: string; psi: number | null; state: CheckState }[] {
  return [...features]
    .sort((a, b) => (a.psi === null ? (b.psi === null ? 0 : 1) : b.psi === null ? -1 : b.psi - a.psi))
    .slice(0, count)
    .map(({ feature, psi, state }) => ({ feature, psi, state }));
}
