import { accuracy, confusionMatrix, macroAverage, perClassScores } from '../../ml/metrics/classification';
import { lowerIsBetter, type Metrics, regressionMetrics } from '../../ml/metrics/summary';
import type { AlertSubject, CheckState, LabelledWindow, MonitoredVersion } from '../_kit/monitoring-port';
import type { MetricCheck, Performance } from './report-schema';

/**
 * The model's quality on the predictions that came back with feedback, against the figures its
 * version scored on the test rows when it was evaluated. Pure: the step reads the pairs, this
 * measures and judges them.
 */

/** Predictions with their true answers, in the same order. */
export type LabelledPairs =
  | {
      task: 'classification';
      labels: readonly string[];
      predicted: readonly string[];
      truth: readonly string[];
    }
  | { task: 'regression'; predicted: Float64Array; truth: Float64Array };

export interface PerformanceRules {
  /** Metrics watched; those the version has no test figure for are measured but not judged. */
  metrics: readonly string[];
  /** Higher-is-better metrics: alert below test − drop, warn below test − drop / 2 (absolute). */
  maxDrop: number;
  /** Errors (RMSE, MAE…): alert above test × (1 + rise), warn above test × (1 + rise / 2). */
  maxRise: number;
  /** Fewer labelled predictions than this are reported but judge nothing (ok). */
  minLabelled: number;
}

export const DEFAULT_WATCHED: Record<LabelledPairs['task'], string[]> = {
  classification: ['accuracy', 'f1'],
  regression: ['rmse', 'mae'],
};

/**
 * The pairs of a labelled window, rows without an answer on either side left out. Labels are
 * compared as the log spells them: numbers and booleans as text, so the signature's are too.
 */
export function labelledPairs(
  window: Pick<LabelledWindow, 'predictions' | 'truth'>,
  version: Pick<MonitoredVersion, 'signature'>,
): LabelledPairs {
  const { predictions, truth } = window;
  const output = version.signature.output;
  if (
    predictions.task === 'classification' &&
    truth.task === 'classification' &&
    output.task === 'classification'
  ) {
    const keep = predictions.labels.flatMap((label, row) => {
      const answer = truth.labels[row];
      return label === null || answer === null || answer === undefined ? [] : [[label, answer] as const];
    });
    return {
      task: 'classification',
      labels: output.labels.map(String),
      predicted: keep.map(([label]) => label),
      truth: keep.map(([, answer]) => answer),
    };
  }
  if (predictions.task === 'regression' && truth.task === 'regression') {
    const rows = Array.from(predictions.values.keys()).filter(
      (row) => Number.isFinite(predictions.values[row]) && Number.isFinite(truth.values[row]),
    );
    return {
      task: 'regression',
      predicted: Float64Array.from(rows, (row) => predictions.values[row] ?? Number.NaN),
      truth: Float64Array.from(rows, (row) => truth.values[row] ?? Number.NaN),
    };
  }
  throw new Error('The log and its feedback disagree on the task');
}

export function measurePerformance(
  pairs: LabelledPairs,
  testMetrics: Metrics,
  rules: PerformanceRules,
): Performance {
  const metrics = pairMetrics(pairs);
  const labelled = pairs.truth.length;
  const judged = labelled >= rules.minLabelled;
  const checks = rules.metrics.map((metric) =>
    checkMetric(metric, metrics[metric] ?? null, testMetrics[metric] ?? null, rules, judged),
  );
  return {
    task: pairs.task,
    labelled,
    judged,
    window: null,
    metrics,
    checks,
    slices: [],
    state: worstState(checks),
  };
}

/** The pairs' figures: accuracy, precision, recall and F1, or RMSE, MAE and the rest. */
export function pairMetrics(pairs: LabelledPairs): Metrics {
  return pairs.task === 'classification'
    ? labelMetrics(pairs)
    : regressionMetrics(pairs.truth, pairs.predicted);
}

/**
 * Accuracy, precision, recall and F1 from labels alone (the log keeps the answer, not the
 * probabilities). Two classes: precision, recall and F1 of the positive (second) class, as the
 * evaluate step reports them; more: macro averages. A true label the model does not know counts
 * as a class of its own, which the model never predicts.
 */
function labelMetrics(pairs: Extract<LabelledPairs, { task: 'classification' }>): Metrics {
  const index = new Map(pairs.labels.map((label, position) => [label, position]));
  const code = (label: string) => {
    let position = index.get(label);
    if (position === undefined) {
      position = index.size;
      index.set(label, position);
    }
    return position;
  };
  const truth = Int32Array.from(pairs.truth, code);
  const predicted = Int32Array.from(pairs.predicted, code);
  if (truth.length === 0) return {};
  const scores = perClassScores(confusionMatrix(truth, predicted, index.size));
  const binary = pairs.labels.length === 2 && index.size === 2;
  const right = accuracy(truth, predicted);
  // With two classes and no positive answer on either side (a slice of negatives, say), precision,
  // recall and F1 of the positive class are undefined: scikit-learn prints 0 with a warning, which
  // reads as a model that fails. They are left out (shown as —).
  if (binary && !truth.includes(1) && !predicted.includes(1)) return { accuracy: right };
  const pick = (values: number[]) => (binary ? (values[1] ?? 0) : macroAverage(values));
  return {
    accuracy: right,
    precision: pick(scores.precision),
    recall: pick(scores.recall),
    f1: pick(scores.f1),
  };
}

function checkMetric(
  metric: string,
  value: number | null,
  test: number | null,
  rules: PerformanceRules,
  judged: boolean,
): MetricCheck {
  if (test === null || value === null) return { metric, value, test, threshold: null, state: 'ok' };
  const lower = lowerIsBetter(metric);
  const threshold = lower ? test * (1 + rules.maxRise) : test - rules.maxDrop;
  const warnAt = lower ? test * (1 + rules.maxRise / 2) : test - rules.maxDrop / 2;
  const worse = (limit: number) => (lower ? value > limit : value < limit);
  const state: CheckState = !judged ? 'ok' : worse(threshold) ? 'alert' : worse(warnAt) ? 'warn' : 'ok';
  return { metric, value, test, threshold, state };
}

function worstState(checks: readonly MetricCheck[]): CheckState {
  if (checks.some((check) => check.state === 'alert')) return 'alert';
  return checks.some((check) => check.state === 'warn') ? 'warn' : 'ok';
}

/**
 * Each watched metric is an alert subject of its own (kind performance); none when the check could
 * not judge (too few labels), whose performance alerts then stay as they are.
 */
export function performanceSubjects(performance: Performance): AlertSubject[] {
  if (!performance.judged) return [];
  return performance.checks.map((check) => ({
    subject: check.metric,
    kind: 'performance',
    state: check.state,
  }));
}
