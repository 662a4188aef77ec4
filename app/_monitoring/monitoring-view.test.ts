import { describe, expect, it } from 'vitest';
import {
  type Check,
  duration,
  type FeatureCell,
  featureNames,
  openAlertsText,
  performanceSeries,
  psiSeries,
  sliceNames,
  sliceNote,
  thresholdsOf,
  worstFeature,
} from './monitoring-view';

function cell(feature: string, psi: number | null, state: FeatureCell['state']): FeatureCell {
  return {
    feature,
    kind: 'numeric',
    state,
    psi,
    pValue: null,
    jensenShannon: null,
    wasserstein: null,
    missingChange: null,
    thresholds: state === 'unknown' ? null : { psiWarn: 0.1, psiAlert: psi === 0.5 ? 0.4 : 0.2 },
  };
}

function check(id: string, day: number, features: FeatureCell[], accuracy?: number): Check {
  return {
    id,
    runId: null,
    createdAt: new Date(Date.UTC(2026, 11, day)),
    version: 1,
    window: null,
    referenceRows: 100,
    currentRows: 50,
    state: 'ok',
    features,
    unreadableFeatures: 0,
    volume: null,
    latencyMs: null,
    predictionDrift: null,
    performance:
      accuracy === undefined
        ? null
        : {
            task: 'classification',
            labelled: day * 10,
            checks: [{ metric: 'accuracy', value: accuracy, test: 0.9, threshold: 0.85, state: 'ok' }],
            state: 'ok',
            slices: [
              { name: 'older', labelled: day * 4, metrics: { accuracy: accuracy - 0.1 } },
              day === 1
                ? { name: 'by region', labelled: 0, metrics: {}, note: 'Not measured: column "region" …' }
                : { name: 'by region', labelled: day, metrics: { accuracy: 0.5 } },
            ],
          },
  };
}

const checks = [
  check('a', 1, [cell('age', 0.02, 'ok'), cell('old', 0.3, 'alert')], 0.9),
  check('b', 2, [cell('age', 0.15, 'warn'), cell('income', 0.12, 'warn'), cell('zip', null, 'unknown')]),
  check('c', 3, [cell('age', 0.5, 'alert'), cell('income', 0.11, 'warn')], 0.8),
];

describe('monitoring view', () => {
  it("orders features as the latest check does, then the older checks' others", () => {
    expect(featureNames(checks)).toEqual(['age', 'income', 'zip', 'old']);
    expect(featureNames([])).toEqual([]);
  });

  it("picks the worst feature by its latest state, then PSI; an old alert does not outrank today's", () => {
    expect(worstFeature(checks)).toBe('age');
    expect(worstFeature(checks.slice(0, 2))).toBe('age');
    const calm = [check('x', 1, [cell('a', 0.01, 'ok'), cell('b', 0.05, 'ok')])];
    expect(worstFeature(calm)).toBe('b');
    expect(worstFeature([])).toBeUndefined();
  });

  it('draws a point per check, null where the feature was not measured, with the latest thresholds', () => {
    expect(psiSeries(checks, 'income').map((point) => [point.psi, point.state])).toEqual([
      [null, 'unknown'],
      [0.12, 'warn'],
      [0.11, 'warn'],
    ]);
    expect(thresholdsOf(checks, 'age')).toEqual({ psiWarn: 0.1, psiAlert: 0.4 });
    expect(thresholdsOf(checks, 'zip')).toBeNull();
  });

  it('gives each metric measured on feedback its points with the labelled counts', () => {
    expect(performanceSeries(checks)).toEqual([
      {
        metric: 'accuracy',
        test: 0.9,
        threshold: 0.85,
        judged: true,
        points: [
          { t: Date.UTC(2026, 11, 1), value: 0.9, labelled: 10, state: 'ok' },
          { t: Date.UTC(2026, 11, 3), value: 0.8, labelled: 30, state: 'ok' },
        ],
      },
    ]);
    expect(performanceSeries([checks[1]].flatMap((each) => each ?? []))).toEqual([]);
  });

  it("draws a slice's figures with its own labelled counts, unjudged, skipping checks that could not measure it", () => {
    expect(sliceNames(checks)).toEqual(['older', 'by region']);
    expect(performanceSeries(checks, 'older')).toEqual([
      {
        metric: 'accuracy',
        test: null,
        threshold: null,
        judged: false,
        points: [
          { t: Date.UTC(2026, 11, 1), value: expect.closeTo(0.8, 12), labelled: 4, state: 'unknown' },
          { t: Date.UTC(2026, 11, 3), value: expect.closeTo(0.7, 12), labelled: 12, state: 'unknown' },
        ],
      },
    ]);
    expect(performanceSeries(checks, 'by region')[0]?.points.map((point) => point.labelled)).toEqual([3]);
    expect(sliceNote(checks, 'by region')).toBeUndefined();
    expect(sliceNote(checks.slice(0, 1), 'by region')).toBe('Not measured: column "region" …');
  });

  it('writes durations and counts in words', () => {
    expect(duration(60_000)).toBe('1 minute');
    expect(duration(3 * 3600_000)).toBe('3 hours');
    expect(duration(5 * 24 * 3600_000)).toBe('5 days');
    expect(openAlertsText(1)).toBe('1 open alert');
    expect(openAlertsText(3)).toBe('3 open alerts');
  });
});
