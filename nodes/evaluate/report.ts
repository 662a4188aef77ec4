import { argmaxRows } from '../../ml/linear/logistic';
import { confusionMatrix } from '../../ml/metrics/classification';
import { precisionRecallCurve, rocCurve } from '../../ml/metrics/curves';
import { classificationMetrics, type Metrics, regressionMetrics } from '../../ml/metrics/summary';
import type { Label } from '../_model/model-artifact';

/** Curves are thinned to about this many points: enough to draw, small enough to ship to the UI. */
const CURVE_POINTS = 200;
/** Residual plots get at most this many points. */
const RESIDUAL_POINTS = 1000;

export interface Predictions {
  task: 'classification' | 'regression';
  classes: Label[];
  /** Class index or value per row. */
  y: Float64Array;
  /** Probabilities (rows × classes) or values (rows). */
  predicted: Float64Array;
}

export function metricsOf(p: Predictions, rows?: Int32Array): Metrics {
  const picked = rows ? subset(p, rows) : p;
  return picked.task === 'classification'
    ? classificationMetrics(picked.y, picked.predicted, picked.classes.length)
    : regressionMetrics(picked.y, picked.predicted);
}

/** What the UI draws: the confusion matrix and curves for classes, residuals for values. */
export function chartsOf(p: Predictions) {
  if (p.task === 'regression') {
    const step = Math.max(1, Math.ceil(p.y.length / RESIDUAL_POINTS));
    const residuals = [];
    for (let row = 0; row < p.y.length; row += step) {
      const actual = p.y[row] ?? 0;
      const predicted = p.predicted[row] ?? 0;
      residuals.push({ actual, predicted, residual: actual - predicted });
    }
    return { residuals };
  }
  const k = p.classes.length;
  const predictedClass = argmaxRows(p.predicted, k);
  const matrix = confusionMatrix(p.y, predictedClass, k);
  // Binary: curves of the positive (second) class; more classes: one-vs-rest curve per class.
  const curveClasses = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
  const curves = curveClasses.map((c) => {
    const truth = Array.from(p.y, (label) => (label === c ? 1 : 0));
    const scores = Array.from({ length: p.y.length }, (_, row) => p.predicted[row * k + c] ?? 0);
    return {
      class: p.classes[c] ?? c,
      roc: thin(rocCurve(truth, scores)).map(({ fpr, tpr }) => ({ fpr, tpr })),
      precisionRecall: thin(precisionRecallCurve(truth, scores)).map(({ precision, recall }) => ({
        precision,
        recall,
      })),
    };
  });
  return { confusionMatrix: { labels: p.classes, matrix }, curves };
}

function subset(p: Predictions, rows: Int32Array): Predictions {
  const width = p.task === 'classification' ? p.classes.length : 1;
  const predicted = new Float64Array(rows.length * width);
  for (const [index, row] of rows.entries())
    predicted.set(p.predicted.subarray(row * width, (row + 1) * width), index * width);
  return { ...p, y: Float64Array.from(rows, (row) => p.y[row] ?? 0), predicted };
}

function thin<T>(points: T[]): T[] {
  if (points.length <= CURVE_POINTS) return points;
  const step = (points.length - 1) / (CURVE_POINTS - 1);
  return Array.from({ length: CURVE_POINTS }, (_, index) => points[Math.round(index * step)]).filter(
    (point): point is T => point !== undefined,
  );
}
