import { describe, expect, it } from 'vitest';
import type { DriftState } from '../../ml/drift';
import { alertSubjects, assessDrift, topFeatures } from './assessment';
import type { FeatureCheck } from './report-schema';

const defaults = { psiWarn: 0.1, psiAlert: 0.2 };
const steady = Float64Array.from({ length: 1000 }, (_, index) => index % 100);
/** Every value moved up by 30 of a range of 100: PSI far above 0.2. */
const moved = Float64Array.from(steady, (value) => value + 30);
const colours = (red: number) => Array.from({ length: 1000 }, (_, index) => (index < red ? 'red' : 'blue'));

describe('assessDrift', () => {
  it('is ok when no feature moves, and says so for every subject', () => {
    const assessment = assessDrift(
      [
        { feature: 'x', reference: steady, current: steady, thresholds: defaults },
        { feature: 'colour', reference: colours(500), current: colours(500), thresholds: defaults },
      ],
      0.5,
    );
    expect(assessment.state).toBe('ok');
    expect(assessment.dataset).toEqual({
      drifted: false,
      driftedFeatures: 0,
      features: 2,
      driftedShare: 0.5,
    });
    expect(alertSubjects(assessment)).toEqual([
      { subject: 'dataset', kind: 'drift', state: 'ok' },
      { subject: 'x', kind: 'drift', state: 'ok' },
      { subject: 'colour', kind: 'drift', state: 'ok' },
    ]);
  });

  it('warns when a feature alerts short of the drift share, and alerts at it', () => {
    const sides = [
      { feature: 'x', reference: steady, current: moved, thresholds: defaults },
      { feature: 'colour', reference: colours(500), current: colours(500), thresholds: defaults },
      { feature: 'y', reference: steady, current: steady, thresholds: defaults },
    ];
    const short = assessDrift(sides, 0.5);
    expect(short.features.map((feature) => [feature.feature, feature.state])).toEqual([
      ['x', 'alert'],
      ['colour', 'ok'],
      ['y', 'ok'],
    ]);
    expect(short.state).toBe('warn');
    expect(assessDrift(sides, 0.3).state).toBe('alert');
  });

  it('judges each feature by its own thresholds and keeps them with its figures', () => {
    const [feature] = assessDrift(
      [{ feature: 'x', reference: steady, current: moved, thresholds: { psiWarn: 5, psiAlert: 10 } }],
      0.5,
    ).features;
    expect(feature?.state).toBe('ok');
    expect(feature?.thresholds).toEqual({ psiWarn: 5, psiAlert: 10 });
    expect(feature?.psi).toBeGreaterThan(0.2);
  });

  it('lists the features by PSI, largest first, those without one last', () => {
    expect(
      topFeatures(
        [check('a', 0.05, 'ok'), check('b', null, 'ok'), check('c', 0.4, 'alert'), check('d', 0.15, 'warn')],
        3,
      ),
    ).toEqual([
      { feature: 'c', psi: 0.4, state: 'alert' },
      { feature: 'd', psi: 0.15, state: 'warn' },
      { feature: 'a', psi: 0.05, state: 'ok' },
    ]);
  });
});

/** A categorical feature check with the figures topFeatures reads; the rest empty. */
function check(feature: string, psi: number | null, state: DriftState): FeatureCheck {
  return {
    feature,
    psi,
    state,
    kind: 'categorical',
    thresholds: defaults,
    categories: [],
    referenceCounts: [],
    currentCounts: [],
    chiSquare: null,
    jensenShannon: null,
    missing: { reference: 0, current: 0, change: 0 },
    referenceValues: 0,
    currentValues: 0,
  };
}
