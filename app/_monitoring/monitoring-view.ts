import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../_server/root';

/**
 * How the Monitoring tab reads a model's checks: the features as heat map rows, the worst feature
 * (the chart's default), each series the charts draw, and how states and times are written. Pure.
 */

type Outputs = inferRouterOutputs<AppRouter>['monitoring'];
export type ChecksAnswer = Outputs['checks'];
export type Check = ChecksAnswer['checks'][number];
export type FeatureCell = Check['features'][number];
export type CellState = FeatureCell['state'];
export type AlertsAnswer = Outputs['alerts'];
export type Alert = AlertsAnswer['alerts'][number];

export const STATE_LABELS: Record<CellState, string> = {
  ok: 'OK',
  warn: 'Warning',
  alert: 'Alert',
  unknown: 'Unknown',
};

const RANK: Record<CellState, number> = { unknown: 0, ok: 1, warn: 2, alert: 3 };

/**
 * The features, as rows: in the latest check's order (the model's input order), then any that only
 * older checks had.
 */
export function featureNames(checks: readonly Check[]): string[] {
  const names: string[] = [];
  for (const check of [...checks].reverse()) {
    for (const cell of check.features) if (!names.includes(cell.feature)) names.push(cell.feature);
  }
  return names;
}

/** Each check's cell for a feature, by check id (a check without the feature has none). */
export function cellsOf(checks: readonly Check[], feature: string): Map<string, FeatureCell> {
  const cells = new Map<string, FeatureCell>();
  for (const check of checks) {
    const cell = check.features.find((each) => each.feature === feature);
    if (cell) cells.set(check.id, cell);
  }
  return cells;
}

/**
 * The feature to chart first: the worst state in the latest check, then the highest PSI there; a
 * feature the latest check no longer has (the model changed) comes after those it has.
 */
export function worstFeature(checks: readonly Check[]): string | undefined {
  const latest = checks.at(-1);
  const scored = featureNames(checks).map((name) => {
    const cell = latest?.features.find((each) => each.feature === name);
    return { name, rank: cell ? RANK[cell.state] : -1, psi: cell?.psi ?? -1 };
  });
  scored.sort((a, b) => b.rank - a.rank || b.psi - a.psi);
  return scored[0]?.name;
}

export interface PsiPoint {
  t: number;
  psi: number | null;
  state: CellState;
}

/** One feature's PSI per check (null where the check lacks it or could not take it). */
export function psiSeries(checks: readonly Check[], feature: string): PsiPoint[] {
  return checks.map((check) => {
    const cell = check.features.find((each) => each.feature === feature);
    return { t: check.createdAt.getTime(), psi: cell?.psi ?? null, state: cell?.state ?? 'unknown' };
  });
}

/** The thresholds the latest check used for a feature (they can be edited, so the newest is what counts). */
export function thresholdsOf(checks: readonly Check[], feature: string) {
  for (const check of [...checks].reverse()) {
    const cell = check.features.find((each) => each.feature === feature);
    if (cell?.thresholds) return cell.thresholds;
  }
  return null;
}

export interface TrafficPoint {
  t: number;
  predictions: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export function trafficSeries(checks: readonly Check[]): TrafficPoint[] {
  return checks.map((check) => ({
    t: check.createdAt.getTime(),
    predictions: check.volume?.predictions ?? null,
    p50: check.latencyMs?.p50 ?? null,
    p95: check.latencyMs?.p95 ?? null,
    p99: check.latencyMs?.p99 ?? null,
  }));
}

export interface MetricPoint {
  t: number;
  value: number | null;
  labelled: number;
  state: CellState;
}

export interface MetricSeries {
  metric: string;
  /** The version's test figure and the worst value still ok, as the latest check gave them. */
  test: number | null;
  threshold: number | null;
  /** Whether the points were judged (the overall figures); a slice's are measured only. */
  judged: boolean;
  points: MetricPoint[];
}

/** The slices the checks measured performance on, in the order the latest check lists them. */
export function sliceNames(checks: readonly Check[]): string[] {
  const names: string[] = [];
  for (const check of [...checks].reverse())
    for (const slice of check.performance?.slices ?? [])
      if (!names.includes(slice.name)) names.push(slice.name);
  return names;
}

/** Why the latest check that has the slice could not measure it; undefined when it could. */
export function sliceNote(checks: readonly Check[], name: string): string | undefined {
  for (const check of [...checks].reverse()) {
    const slice = check.performance?.slices.find((each) => each.name === name);
    if (slice) return slice.note;
  }
  return undefined;
}

/**
 * Each metric the checks measured on feedback, with a point per check that measured it: overall,
 * or on one slice (the same metrics, on the slice's labelled predictions, with no thresholds).
 */
export function performanceSeries(checks: readonly Check[], slice?: string): MetricSeries[] {
  return slice === undefined ? overallSeries(checks) : sliceSeries(checks, slice);
}

function sliceSeries(checks: readonly Check[], name: string): MetricSeries[] {
  const series = new Map<string, MetricSeries>();
  for (const check of checks) {
    const performance = check.performance;
    const slice = performance?.slices.find((each) => each.name === name);
    if (!performance || !slice || slice.note !== undefined) continue;
    for (const { metric } of performance.checks) {
      const entry = series.get(metric) ?? { metric, test: null, threshold: null, judged: false, points: [] };
      entry.points.push({
        t: check.createdAt.getTime(),
        value: slice.metrics[metric] ?? null,
        labelled: slice.labelled,
        state: 'unknown',
      });
      series.set(metric, entry);
    }
  }
  return [...series.values()];
}

function overallSeries(checks: readonly Check[]): MetricSeries[] {
  const series = new Map<string, MetricSeries>();
  for (const check of checks) {
    const performance = check.performance;
    if (!performance) continue;
    for (const metricCheck of performance.checks) {
      const entry = series.get(metricCheck.metric) ?? {
        metric: metricCheck.metric,
        test: null,
        threshold: null,
        judged: true,
        points: [],
      };
      entry.test = metricCheck.test ?? entry.test;
      entry.threshold = metricCheck.threshold ?? entry.threshold;
      entry.points.push({
        t: check.createdAt.getTime(),
        value: metricCheck.value,
        labelled: performance.labelled,
        state: metricCheck.state,
      });
      series.set(metricCheck.metric, entry);
    }
  }
  return [...series.values()];
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "Dec 5": a heat map column's label. */
export function shortDay(date: Date): string {
  return dayFormat.format(date);
}

/** "Dec 5, 09:00". */
export function dayAndTime(date: Date): string {
  return `${dayFormat.format(date)}, ${timeFormat.format(date)}`;
}

export function fullDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}

/** "3 days", "5 hours", "20 minutes": how long ago or how long, roughly. */
export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** "3 open alerts", "1 open alert". */
export function openAlertsText(count: number): string {
  return `${count} open alert${count === 1 ? '' : 's'}`;
}
