import { lowerIsBetter } from '../../../ml/metrics/summary';
import { metricColumns } from '../format';
import type { Better, MetricRow } from './comparison-schema';

/**
 * Two versions' test metrics row by row: both figures, the change from A to B and which is better,
 * by each metric's direction (errors and losses: lower; scores: higher). Pure.
 */

/** Differences this small (relative to the figures) are rounding, not a better model. */
const TIE_TOLERANCE = 1e-9;

/** Every metric either version has, in the versions table's order (accuracy, F1, … then by name). */
export function compareMetrics(a: Record<string, number>, b: Record<string, number>): MetricRow[] {
  return metricColumns([{ metrics: a }, { metrics: b }], Number.POSITIVE_INFINITY).map((name) => {
    const first = finite(a[name]);
    const second = finite(b[name]);
    const lower = lowerIsBetter(name);
    return {
      name,
      a: first,
      b: second,
      delta: first === null || second === null ? null : second - first,
      lowerIsBetter: lower,
      better: betterOf(first, second, lower),
    };
  });
}

/** Which of two figures is better when lower (or higher) is better; null when either is missing. */
export function betterOf(a: number | null, b: number | null, lower: boolean): Better {
  if (a === null || b === null) return null;
  if (Math.abs(b - a) <= TIE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))) return 'tie';
  return (lower ? b < a : b > a) ? 'b' : 'a';
}

function finite(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
