/** Names, number formats and directions of the metrics a report holds. Pure. */

const labels: Record<string, string> = {
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1 score',
  precision_macro: 'Precision (macro)',
  recall_macro: 'Recall (macro)',
  f1_macro: 'F1 (macro)',
  precision_weighted: 'Precision (weighted)',
  recall_weighted: 'Recall (weighted)',
  f1_weighted: 'F1 (weighted)',
  roc_auc: 'ROC AUC',
  log_loss: 'Log loss',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
  mape: 'MAPE',
};

const descriptions: Record<string, string> = {
  accuracy: 'Share of test rows whose class was predicted right',
  precision: 'Of the rows predicted positive, the share that are',
  recall: 'Of the positive rows, the share found',
  f1: 'Harmonic mean of precision and recall',
  roc_auc: 'Chance a random positive row scores above a random negative one',
  log_loss: 'How far the predicted probabilities are from the truth (lower is better)',
  rmse: 'Root mean squared error, in the units of the target (lower is better)',
  mae: 'Mean absolute error, in the units of the target (lower is better)',
  r2: 'Share of the variance of the target the model explains (1 is perfect)',
  mape: 'Mean absolute error as a fraction of the actual value (lower is better)',
};

/** Metrics where a smaller value is the better one. */
const lowerIsBetterMetrics = new Set(['log_loss', 'rmse', 'mae', 'mape', 'mse']);

/** The first four are the headline tiles; the rest are listed under "All metrics". */
export const headlineMetrics: Record<'classification' | 'regression', string[]> = {
  classification: ['accuracy', 'f1', 'roc_auc', 'precision', 'recall', 'log_loss'],
  regression: ['rmse', 'mae', 'r2', 'mape'],
};

/** A friendly name for a lower_snake_case metric; unknown names read as words. */
export function metricLabel(name: string): string {
  const known = labels[name];
  if (known) return known;
  const words = name.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function metricDescription(name: string): string | undefined {
  return descriptions[name];
}

export function lowerIsBetter(name: string): boolean {
  return lowerIsBetterMetrics.has(name);
}

const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const significant3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const large = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 4 significant digits (3 with `short`), whole numbers from 10 000 up; null as an en dash. */
export function formatNumber(value: number | null | undefined, short = false): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 10_000) return large.format(value);
  if (value !== 0 && Math.abs(value) < 1e-6) return value.toExponential(short ? 1 : 2);
  return (short ? significant3 : significant).format(value);
}

export function formatCount(value: number): string {
  return large.format(value);
}

export function formatLabel(label: string | number | boolean): string {
  return typeof label === 'string' ? label : String(label);
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}\u00a0ms`;
  if (seconds < 60) return `${formatNumber(seconds, true)}\u00a0s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}\u00a0min ${Math.round(seconds - minutes * 60)}\u00a0s`;
}

export const algorithmLabels: Record<string, string> = {
  gradient_boosting: 'Gradient boosting',
  random_forest: 'Random forest',
  decision_tree: 'Decision tree',
  linear: 'Linear',
};

/** Roughly `count` round tick values inside [min, max]; at least two when the span allows. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  let ticks: number[] = [];
  for (let wanted = count; wanted <= count + 4 && ticks.length < Math.min(3, count); wanted++)
    ticks = ticksWithin(min, max, wanted);
  return ticks;
}

function ticksWithin(min: number, max: number, count: number): number[] {
  const span = max - min;
  const rough = span / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step)
    ticks.push(Math.abs(tick) < step * 1e-9 ? 0 : Number(tick.toPrecision(12)));
  return ticks;
}
