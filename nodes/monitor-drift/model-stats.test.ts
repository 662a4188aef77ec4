import { describe, expect, it } from 'vitest';
import type { LoggedWindow } from '../_kit/monitoring-port';
import { labelShares, latencyPercentiles, modelStatsOf } from './model-stats';

const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-01T02:00:00Z') };

function classified(labels: (string | null)[], latency = labels.map(() => 10)): LoggedWindow {
  return {
    rows: labels.length,
    versions: [1],
    columns: new Map(),
    latencyMs: Float64Array.from(latency),
    predictions: { task: 'classification', labels },
  };
}

describe('model stats', () => {
  it("takes numpy's linear percentiles of the latency, leaving out what is not a number", () => {
    // The doubles numpy gives: its virtual index (n − 1)·q is 2.8499999999999996 for the 95th.
    expect(latencyPercentiles(Float64Array.from([4, 1, 3, 2, Number.NaN]))).toEqual({
      p50: 2.5,
      p95: 3.8499999999999996,
      p99: 3.9699999999999998,
    });
    expect(latencyPercentiles(new Float64Array())).toBeNull();
  });

  it('counts the share of each label among the answers that have one', () => {
    expect(labelShares(['yes', 'no', 'yes', null, 'yes'])).toEqual({ labels: { no: 0.25, yes: 0.75 } });
    expect(labelShares([null])).toBeNull();
  });

  it('gives the volume per hour, and the answers against the window before', () => {
    const current = classified(['yes', 'yes', 'yes', 'no']);
    const stats = modelStatsOf(current, classified(['yes', 'no']), window);
    expect(stats.volume).toEqual({ predictions: 4, perHour: 2 });
    expect(stats.latencyMs).toEqual({ p50: 10, p95: 10, p99: 10 });
    expect(stats.prediction?.distribution).toEqual({ labels: { no: 0.25, yes: 0.75 } });
    expect(stats.prediction?.previousPredictions).toBe(2);
    // 50/50 → 25/75: 0.25·ln 2 + 0.25·ln 1.5.
    expect(stats.prediction?.drift?.psi).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 12);
    expect(modelStatsOf(current, classified([]), window).prediction?.drift).toBeNull();
  });

  it("gives a regression model's quartiles and the drift of its values", () => {
    const values = (list: number[]): LoggedWindow => ({
      rows: list.length,
      versions: [1],
      columns: new Map(),
      latencyMs: new Float64Array(list.length),
      predictions: { task: 'regression', values: Float64Array.from(list) },
    });
    const stats = modelStatsOf(values([1, 2, 3, 4, 5]), values([1, 2, 3, 4, 5]), window);
    expect(stats.prediction?.distribution).toEqual({ quartiles: [2, 3, 4] });
    expect(stats.prediction?.drift?.kind).toBe('numeric');
    expect(stats.prediction?.drift?.psi).toBe(0);
  });
});
