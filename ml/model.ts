import { type BoostedModel, predictBoosted } from './boosting/model';
import { type LogisticModel, predictLogisticProba } from './linear/logistic';
import type { FeatureMatrix } from './linear/ridge';
import { type LinearModel, predictLinear } from './linear/ridge';
import { predictTree, type Tree } from './trees/cart';
import { type Forest, predictForest } from './trees/forest';

export type Task = 'classification' | 'regression';

/** A fitted model of any algorithm, as training leaves it and export and evaluation take it. */
export type FittedModel =
  | { algorithm: 'linear'; model: LinearModel }
  | { algorithm: 'logistic'; model: LogisticModel }
  | { algorithm: 'decision_tree'; model: Tree }
  | { algorithm: 'random_forest'; model: Forest }
  | { algorithm: 'gradient_boosting'; model: BoostedModel };

/**
 * Predictions: class probabilities row-major (rows × classes) for classification, one value per
 * row for regression.
 */
export function predictModel(fitted: FittedModel, x: FeatureMatrix): Float64Array {
  switch (fitted.algorithm) {
    case 'linear':
      return predictLinear(fitted.model, x);
    case 'logistic':
      return predictLogisticProba(fitted.model, x);
    case 'decision_tree':
      return predictTree(fitted.model, x);
    case 'random_forest':
      return predictForest(fitted.model, x);
    case 'gradient_boosting':
      return predictBoosted(fitted.model, x);
  }
}
