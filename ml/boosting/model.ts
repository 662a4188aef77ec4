import type { FeatureMatrix } from '../linear/ridge';

/**
 * One tree of a boosted ensemble in flat arrays (node 0 is the root; a leaf has feature −1). A row
 * goes left when `x[feature] <= threshold`, and a missing value (NaN) goes the way the training
 * learned for that node: `missingLeft[node] === 1` means left. Leaf values are raw scores, already
 * multiplied by the learning rate. This is the shape ONNX's TreeEnsemble operators take.
 */
export interface BoostedTree {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  nodeCount: number;
}

/**
 * A histogram gradient boosting model. Raw score of output k = baseline[k] + Σ leaf values of
 * trees[iteration * outputs + k]. Binary: one output, probability of class 1 = sigmoid(raw).
 * Multiclass: one output per class, probabilities = softmax(raw). Regression: one output, the value.
 */
export interface BoostedModel {
  task: 'binary' | 'multiclass' | 'regression';
  /** 2 for binary, the class count for multiclass, 0 for regression. */
  classes: number;
  outputs: number;
  baseline: Float64Array;
  trees: BoostedTree[];
  iterations: number;
  /** Total split gain per feature, for importances. */
  gain: Float64Array;
  /** Validation loss per iteration when early stopping ran, for the training report. */
  validationLoss: number[];
}

/** Raw scores, row-major (rows × outputs). */
export function boostedRawScores(model: BoostedModel, x: FeatureMatrix): Float64Array {
  const { outputs } = model;
  const out = new Float64Array(x.rows * outputs);
  for (let r = 0; r < x.rows; r++)
    for (let k = 0; k < outputs; k++) out[r * outputs + k] = model.baseline[k] ?? 0;
  for (const [index, tree] of model.trees.entries()) {
    const k = index % outputs;
    for (let r = 0; r < x.rows; r++) out[r * outputs + k] = (out[r * outputs + k] ?? 0) + leafOf(tree, x, r);
  }
  return out;
}

/** Class probabilities (rows × classes) for classification, values (rows) for regression. */
export function predictBoosted(model: BoostedModel, x: FeatureMatrix): Float64Array {
  const raw = boostedRawScores(model, x);
  if (model.task === 'regression') return raw;
  if (model.task === 'binary') {
    const out = new Float64Array(x.rows * 2);
    for (let r = 0; r < x.rows; r++) {
      const p = 1 / (1 + Math.exp(-(raw[r] ?? 0)));
      out[r * 2] = 1 - p;
      out[r * 2 + 1] = p;
    }
    return out;
  }
  const k = model.outputs;
  const out = new Float64Array(x.rows * k);
  for (let r = 0; r < x.rows; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) max = Math.max(max, raw[r * k + c] ?? 0);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp((raw[r * k + c] ?? 0) - max);
      out[r * k + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) out[r * k + c] = (out[r * k + c] ?? 0) / sum;
  }
  return out;
}

function leafOf(tree: BoostedTree, x: FeatureMatrix, row: number): number {
  let node = 0;
  for (;;) {
    const feature = tree.feature[node] ?? -1;
    if (feature < 0) return tree.value[node] ?? 0;
    const value = x.values[row * x.cols + feature] ?? Number.NaN;
    const goLeft = Number.isNaN(value) ? tree.missingLeft[node] === 1 : value <= (tree.threshold[node] ?? 0);
    node = (goLeft ? tree.left[node] : tree.right[node]) ?? 0;
  }
}
