import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { datasetDrift } from './dataset-drift';
import { driftThresholdsSchema, featureDriftSchema } from './drift-schemas';
import { featureDrift } from './feature-drift';
import { prepareNumericReference } from './numeric-reference';

/** n standard-normal-ish values (sum of uniforms), shifted by `shift`, with every `gap`-th one NaN. */
function numbers(n: number, seed: number, shift = 0, gap = 0): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: n }, (_, i) =>
    gap > 0 && i % gap === 0 ? Number.NaN : random() + random() + random() - 1.5 + shift,
  );
}

function categories(counts: Record<string, number>, missing = 0): (string | null)[] {
  return [
    ...Object.entries(counts).flatMap(([value, count]) => Array(count).fill(value)),
    ...Array(missing).fill(null),
  ];
}

describe('featureDrift on numbers', () => {
  it('is ok for the same distribution and alerts for a shifted one, with every statistic valid for the schema', () => {
    const reference = numbers(20_000, 1);
    const same = featureDrift(reference, numbers(20_000, 2));
    const shifted = featureDrift(reference, numbers(20_000, 3, 0.5));
    expect(featureDriftSchema.parse(same)).toEqual(same);
    expect(same.state).toBe('ok');
    expect(same.psi).toBeLessThan(0.01);
    expect(shifted.state).toBe('alert');
    expect(shifted.psi).toBeGreaterThan(0.2);
    if (same.kind !== 'numeric' || shifted.kind !== 'numeric') throw new Error('expected numeric drift');
    expect(same.ks?.pValue).toBeGreaterThan(0.01);
    expect(shifted.ks?.pValue).toBe(0);
    expect(shifted.wasserstein).toBeCloseTo(0.5, 1);
    expect(shifted.jensenShannon).toBeGreaterThan(same.jensenShannon ?? 1);
    expect(same.bins?.innerEdges).toHaveLength(9);
    expect(same.bins?.referenceCounts).toEqual(Array(10).fill(2000));
  });

  it('leaves NaN out of the bins and the tests, and reports the change in missing rate', () => {
    const reference = numbers(10_000, 4, 0, 100); // 1% missing
    const current = numbers(10_000, 5, 0, 4); // 25% missing
    const drift = featureDrift(reference, current);
    if (drift.kind !== 'numeric') throw new Error('expected numeric drift');
    expect(drift.missing.reference).toBeCloseTo(0.01, 12);
    expect(drift.missing.current).toBeCloseTo(0.25, 12);
    expect(drift.missing.change).toBeCloseTo(0.24, 12);
    expect(drift.referenceValues).toBe(9_900);
    expect(drift.currentValues).toBe(7_500);
    expect(drift.bins?.currentCounts.reduce((a, b) => a + b, 0)).toBe(7_500);
    expect(drift.state).toBe('ok'); // the values themselves did not move
  });

  it('warns between the thresholds, and takes thresholds edited per feature', () => {
    const reference = numbers(20_000, 6);
    const current = numbers(20_000, 7, 0.2);
    const drift = featureDrift(reference, current);
    expect(drift.psi).toBeGreaterThan(0.1);
    expect(drift.psi).toBeLessThan(0.2);
    expect(drift.state).toBe('warn');
    expect(featureDrift(reference, current, { psiWarn: 0.3, psiAlert: 0.5 }).state).toBe('ok');
    expect(featureDrift(reference, current, { psiWarn: 0.05, psiAlert: 0.1 }).state).toBe('alert');
  });

  it('takes a reference prepared once, with edges from elsewhere (the registry’s deciles)', () => {
    const reference = numbers(5_000, 8);
    const current = numbers(5_000, 9);
    expect(featureDrift(prepareNumericReference(reference), current)).toEqual(
      featureDrift(reference, current),
    );
    const edges = Float64Array.from([-0.5, 0, 0.5]);
    const drift = featureDrift(prepareNumericReference(reference, edges), current);
    if (drift.kind !== 'numeric') throw new Error('expected numeric drift');
    expect(drift.bins?.innerEdges).toEqual([-0.5, 0, 0.5]);
    expect(drift.bins?.referenceCounts).toHaveLength(4);
    expect(() => prepareNumericReference(reference, Float64Array.from([1, 0]))).toThrow('increasing order');
    expect(() => prepareNumericReference(reference, Float64Array.from([0, Number.NaN]))).toThrow('finite');
  });

  it('alerts when every current value goes missing, with no statistics to show but the missing rate', () => {
    const drift = featureDrift(numbers(100, 10), Float64Array.from([Number.NaN, Number.NaN]));
    expect(drift).toMatchObject({ state: 'alert', psi: null, bins: null, ks: null, wasserstein: null });
    expect(drift.missing.change).toBe(1);
    const bothEmpty = featureDrift(Float64Array.from([Number.NaN]), Float64Array.from([Number.NaN]));
    expect(bothEmpty.state).toBe('ok');
  });

  it('gives no KS p-value for one value against one, where the effective size rounds to 0 (scipy: NaN)', () => {
    const drift = featureDrift(Float64Array.from([1]), Float64Array.from([2]));
    if (drift.kind !== 'numeric') throw new Error('expected numeric drift');
    expect(drift.ks).toEqual({ statistic: 1, pValue: null, effectiveSize: 0 });
    expect(featureDriftSchema.parse(drift)).toEqual(drift);
  });

  it('refuses an empty column and columns of different kinds', () => {
    expect(() => featureDrift(numbers(10, 11), new Float64Array(0))).toThrow('current column has no rows');
    expect(() => featureDrift(new Float64Array(0), numbers(10, 12))).toThrow('reference column has no rows');
    expect(() => featureDrift(['a'], numbers(10, 13))).toThrow(
      'holds text where the current one holds numbers',
    );
    expect(() => featureDrift(numbers(10, 14), ['a'])).toThrow(
      'holds numbers where the current one holds text',
    );
  });
});

describe('featureDrift on categories', () => {
  it('bins each category of either side, floors a new one, and tests the counts by chi-square', () => {
    const reference = categories({ a: 500, b: 300, c: 200 }, 10);
    const current = categories({ a: 300, b: 300, c: 200, d: 200 }, 0);
    const drift = featureDrift(reference, current);
    expect(featureDriftSchema.parse(drift)).toEqual(drift);
    if (drift.kind !== 'categorical') throw new Error('expected categorical drift');
    expect(drift.categories).toEqual(['a', 'b', 'c', 'd']);
    expect(drift.referenceCounts).toEqual([500, 300, 200, 0]);
    expect(drift.currentCounts).toEqual([300, 300, 200, 200]);
    const expectedPsi = (0.3 - 0.5) * Math.log(0.3 / 0.5) + 0 + 0 + (0.2 - 1e-4) * Math.log(0.2 / 1e-4); // d floored in the reference
    expect(drift.psi).toBeCloseTo(expectedPsi, 12);
    expect(drift.state).toBe('alert');
    expect(drift.chiSquare?.degreesOfFreedom).toBe(3);
    expect(drift.chiSquare?.pValue).toBeLessThan(1e-10);
    expect(drift.missing.reference).toBeCloseTo(10 / 1010, 15);
    expect(drift.missing.current).toBe(0);
    expect(drift.referenceValues).toBe(1000);
  });

  it('is ok for the same shares', () => {
    const drift = featureDrift(categories({ x: 10, y: 30 }), categories({ x: 100, y: 300 }));
    expect(drift.psi).toBe(0);
    expect(drift.state).toBe('ok');
    if (drift.kind !== 'categorical') throw new Error('expected categorical drift');
    expect(drift.chiSquare?.pValue).toBeCloseTo(1, 12);
    expect(drift.jensenShannon).toBe(0);
  });
});

describe('datasetDrift', () => {
  const states = (...list: ('ok' | 'warn' | 'alert')[]) => list.map((state) => ({ state }));

  it('has drifted when at least half the features are in alert (warnings do not count)', () => {
    expect(datasetDrift(states('alert', 'alert', 'ok', 'warn'))).toEqual({
      drifted: true,
      driftedFeatures: 2,
      features: 4,
      driftedShare: 0.5,
    });
    expect(datasetDrift(states('alert', 'warn', 'warn', 'ok')).drifted).toBe(false);
    expect(datasetDrift([]).drifted).toBe(false);
  });

  it('takes the share as configured', () => {
    expect(datasetDrift(states('alert', 'ok', 'ok', 'ok'), 0.25).drifted).toBe(true);
    expect(datasetDrift(states('alert', 'alert', 'alert', 'ok'), 1).drifted).toBe(false);
    expect(() => datasetDrift(states('ok'), 1.5)).toThrow('between 0 and 1');
  });
});

describe('driftThresholdsSchema', () => {
  it('defaults to 0.1 and 0.2 and refuses a warning above the alert', () => {
    expect(driftThresholdsSchema.parse({})).toEqual({ psiWarn: 0.1, psiAlert: 0.2 });
    const refused = driftThresholdsSchema.safeParse({ psiWarn: 0.3, psiAlert: 0.2 });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('psiWarn must not be above psiAlert');
    expect(driftThresholdsSchema.safeParse({ psiWarn: -1 }).success).toBe(false);
  });
});
