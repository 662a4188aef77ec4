import { trapezoidArea } from '../../../ml/metrics/curves';
import type { EvaluationReport, Residual } from '../../../nodes/evaluate/report-schema';
import type { Confusion, ResidualStats, RocCurve } from './comparison-schema';

/**
 * The parts of an evaluate step's report the comparison draws: the confusion matrix, the ROC curves
 * with their AUC, and (regression) the residuals summed up. Pure.
 */
export interface EvaluationParts {
  testRows: number;
  confusion: Confusion | null;
  roc: RocCurve[] | null;
  residuals: ResidualStats | null;
}

export function evaluationParts(report: EvaluationReport): EvaluationParts {
  const classification = report.task === 'classification';
  return {
    testRows: report.rows,
    confusion: classification ? (report.confusionMatrix ?? null) : null,
    roc: classification && report.curves?.length ? rocCurves(report) : null,
    residuals: classification ? null : residualStats(report.residuals ?? []),
  };
}

/**
 * Each class's ROC curve as points, with its AUC: a binary model's is the exact roc_auc of all test
 * rows when the report has it (the stored curve is thinned to 200 points), otherwise the area under
 * the stored curve.
 */
export function rocCurves(report: EvaluationReport): RocCurve[] {
  const curves = report.curves ?? [];
  const binary = curves.length === 1;
  return curves.map((curve) => {
    const points = curve.roc.map((point) => ({ x: point.fpr, y: point.tpr }));
    const exact = binary ? report.metrics.roc_auc : undefined;
    return { class: curve.class, points, auc: exact ?? trapezoidArea(points) };
  });
}

/** Mean (the bias), standard deviation, mean and largest absolute residual; null for none. */
export function residualStats(residuals: readonly Residual[]): ResidualStats | null {
  const values = residuals.map((row) => row.residual);
  const rows = values.length;
  if (rows === 0) return null;
  const mean = values.reduce((sum, value) => sum + value, 0) / rows;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / rows;
  const absolute = values.map(Math.abs);
  return {
    rows,
    mean,
    std: Math.sqrt(variance),
    meanAbsolute: absolute.reduce((sum, value) => sum + value, 0) / rows,
    maxAbsolute: Math.max(...absolute),
  };
}
