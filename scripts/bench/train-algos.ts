import type { Algorithm } from '../../nodes/_model/algorithms';
import type { SklearnAlgo } from './train-sklearn';

/** The benchmark's short names for the algorithms, as `--algos` takes them. */
export const benchAlgos = ['hgb', 'rf', 'tree', 'linear'] as const;
export type BenchAlgo = (typeof benchAlgos)[number];

/** Our train node's algorithm, and the scikit-learn model sklearn_ref.py compares it with. */
export const algoInfo: Record<
  BenchAlgo,
  { algorithm: Algorithm; sklearn: (task: 'classification' | 'regression') => SklearnAlgo; label: string }
> = {
  hgb: { algorithm: 'gradient_boosting', sklearn: () => 'hgb', label: 'gradient boosting' },
  rf: { algorithm: 'random_forest', sklearn: () => 'rf', label: 'random forest' },
  tree: { algorithm: 'decision_tree', sklearn: () => 'tree', label: 'decision tree' },
  linear: {
    algorithm: 'linear',
    sklearn: (task) => (task === 'classification' ? 'logreg' : 'ridge'),
    label: 'linear',
  },
};

/** "logistic regression" or "ridge": what `linear` is on this task. */
export function algoLabel(algo: BenchAlgo, task: 'classification' | 'regression'): string {
  if (algo !== 'linear') return algoInfo[algo].label;
  return task === 'classification' ? 'logistic regression' : 'ridge';
}
