import { formatNumber } from '../_components/format';
import { metricLabel } from '../_components/report/metrics';

/**
 * How the Models pages name metrics and versions. Pure.
 */

/** Metrics in the order the versions table prefers them; others follow alphabetically. */
const PREFERRED = ['accuracy', 'f1', 'precision', 'recall', 'roc_auc', 'log_loss', 'r2', 'rmse', 'mae'];

/** The report's own names ("F1 (macro)"), so a metric reads the same on every page. */
export function metricName(name: string): string {
  return metricLabel(name);
}

export function metricValue(value: number | undefined): string {
  return formatNumber(value);
}

/** The metric columns for these versions: at most `limit`, preferred ones first. */
export function metricColumns(
  versions: ReadonlyArray<{ metrics: Record<string, number> }>,
  limit = 4,
): string[] {
  const present = new Set(versions.flatMap((version) => Object.keys(version.metrics)));
  const ranked = [
    ...PREFERRED.filter((name) => present.has(name)),
    ...[...present].filter((name) => !PREFERRED.includes(name)).sort(),
  ];
  return ranked.slice(0, limit);
}

/** "3 minutes ago"-style times would drift in screenshots and tests; a date and time reads fine. */
export function when(date: Date): string {
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
