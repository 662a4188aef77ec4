import type { FittedModel } from './model';

/**
 * Built-in feature importances, normalised to sum to 1: total split gain for trees, forests and
 * boosting; mean absolute coefficient for linear models (comparable across features only when
 * they share a scale, e.g. after standardising).
 */
export function modelImportances(fitted: FittedModel, cols: number): Float64Array {
  const raw = new Float64Array(cols);
  const add = (values: ArrayLike<number>) => {
    for (let c = 0; c < cols; c++) raw[c] = (raw[c] ?? 0) + Math.abs(values[c] ?? 0);
  };
  switch (fitted.algorithm) {
    case 'linear':
      add(fitted.model.coefficients);
      break;
    case 'logistic':
      for (let k = 0; k < fitted.model.intercepts.length; k++)
        add(fitted.model.weights.subarray(k * cols, (k + 1) * cols));
      break;
    case 'decision_tree':
      add(fitted.model.gain);
      break;
    case 'random_forest':
      for (const tree of fitted.model.trees) add(tree.gain);
      break;
    case 'gradient_boosting':
      add(fitted.model.gain);
      break;
  }
  const total = raw.reduce((sum, value) => sum + value, 0);
  return total > 0 ? raw.map((value) => value / total) : raw;
}
