import { featureDrift } from '../../ml/drift';
import { linearQuantile } from '../../ml/drift/quantile';
import type { LoggedWindow } from '../_kit/monitoring-port';
import type { ModelStats, PredictionStats } from './report-schema';

/** The model as a whole over a logged window: its answers, how many, how fast. */

export function modelStatsOf(
  current: LoggedWindow,
  previous: LoggedWindow | undefined,
  window: { from: Date; to: Date },
): ModelStats {
  const hours = (window.to.getTime() - window.from.getTime()) / 3_600_000;
  return {
    volume: { predictions: current.rows, perHour: hours > 0 ? current.rows / hours : null },
    latencyMs: latencyPercentiles(current.latencyMs),
    prediction: current.rows === 0 ? null : predictionStats(current.predictions, previous),
  };
}

export function latencyPercentiles(latency: Float64Array): ModelStats['latencyMs'] {
  const sorted = latency.filter(Number.isFinite).sort();
  if (sorted.length === 0) return null;
  return {
    p50: linearQuantile(sorted, 0.5),
    p95: linearQuantile(sorted, 0.95),
    p99: linearQuantile(sorted, 0.99),
  };
}

function predictionStats(
  predictions: LoggedWindow['predictions'],
  previous: LoggedWindow | undefined,
): PredictionStats {
  const before = previous && previous.rows > 0 ? previous.predictions : undefined;
  if (predictions.task === 'classification') {
    const drift =
      before?.task === 'classification' && before.labels.length > 0 && predictions.labels.length > 0
        ? featureDrift(before.labels, predictions.labels)
        : null;
    return {
      task: 'classification',
      distribution: labelShares(predictions.labels),
      drift,
      previousPredictions: previous?.rows ?? 0,
    };
  }
  const drift =
    before?.task === 'regression' && before.values.length > 0 && predictions.values.length > 0
      ? featureDrift(before.values, predictions.values)
      : null;
  const sorted = predictions.values.filter(Number.isFinite).sort();
  return {
    task: 'regression',
    distribution:
      sorted.length === 0
        ? null
        : {
            quartiles: [
              linearQuantile(sorted, 0.25),
              linearQuantile(sorted, 0.5),
              linearQuantile(sorted, 0.75),
            ],
          },
    drift,
    previousPredictions: previous?.rows ?? 0,
  };
}

/** Each label's share of the answers that have one. */
export function labelShares(labels: readonly (string | null)[]): { labels: Record<string, number> } | null {
  const counts = new Map<string, number>();
  let total = 0;
  for (const label of labels) {
    if (label === null) continue;
    counts.set(label, (counts.get(label) ?? 0) + 1);
    total += 1;
  }
  if (total === 0) return null;
  // No prototype: a class may be named "__proto__".
  const shares: Record<string, number> = Object.create(null);
  for (const [label, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    shares[label] = count / total;
  return { labels: shares };
}
