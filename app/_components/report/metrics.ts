/** Names, descriptions and directions of the metrics a report holds, and the algorithms' names. Pure. */

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

export const algorithmLabels: Record<string, string> = {
  gradient_boosting: 'Gradient boosting',
  random_forest: 'Random forest',
  decision_tree: 'Decision tree',
  linear: 'Linear',
};
