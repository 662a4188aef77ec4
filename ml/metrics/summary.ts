import { argmaxRows } from '../linear/logistic';
import {
  accuracy,
  confusionMatrix,
  logLoss,
  macroAverage,
  perClassScores,
  rocAuc,
  rocAucOvr,
  weightedAverage,
} from './classification';
import { mae, mape, r2, rmse } from './regression';

/** Metric name → value; names are lower snake case everywhere (reports, API, CLI, gates). */
export type Metrics = Record<string, number>;

/**
 * The classification metrics of a set of rows. With two classes, precision, recall and f1 are those
 * of the positive class (the second in class order); with more they are the macro averages.
 * Metrics that are undefined on these rows (ROC AUC with one class present) are left out.
 */
export function classificationMetrics(
  yTrue: ArrayLike<number>,
  probabilities: Float64Array,
  classes: number,
): Metrics {
  const predicted = argmaxRows(probabilities, classes);
  const matrix = confusionMatrix(yTrue, predicted, classes);
  const scores = perClassScores(matrix);
  // As scikit-learn: macro averages run over the classes that occur in the true or predicted labels.
  const occurs = matrix.map((_, c) => scores.support[c] !== 0 || matrix.some((row) => row[c] !== 0));
  const macro = (values: number[]) => macroAverage(values.filter((_, c) => occurs[c]));
  const binary = classes === 2;
  const positive = (values: number[]) => (binary ? (values[1] ?? 0) : macro(values));
  const auc = binary
    ? rocAuc(
        yTrue,
        Array.from({ length: yTrue.length }, (_, row) => probabilities[row * 2 + 1] ?? 0),
      )
    : rocAucOvr(yTrue, probabilities, classes);
  return definedOnly({
    accuracy: accuracy(yTrue, predicted),
    precision: positive(scores.precision),
    recall: positive(scores.recall),
    f1: positive(scores.f1),
    precision_macro: macro(scores.precision),
    recall_macro: macro(scores.recall),
    f1_macro: macro(scores.f1),
    precision_weighted: weightedAverage(scores.precision, scores.support),
    recall_weighted: weightedAverage(scores.recall, scores.support),
    f1_weighted: weightedAverage(scores.f1, scores.support),
    roc_auc: auc,
    log_loss: logLoss(yTrue, probabilities, classes),
  });
}

/** Every metric name a report can hold, classification first. */
export const metricNames = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
  'roc_auc',
  'log_loss',
  'rmse',
  'mae',
  'r2',
  'mape',
] as const;

export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Metrics {
  return definedOnly({
    rmse: rmse(yTrue, yPred),
    mae: mae(yTrue, yPred),
    r2: r2(yTrue, yPred),
    mape: mape(yTrue, yPred),
  });
}

function definedOnly(metrics: Metrics): Metrics {
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value)));
}

/** Metrics where lower is better (errors and losses); for every other metric, higher is better. */
const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['log_loss', 'rmse', 'mae', 'mape']);

export function lowerIsBetter(metric: string): boolean {
  return LOWER_IS_BETTER.has(metric);
}
