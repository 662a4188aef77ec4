import { minimizeLbfgs } from '../optim/lbfgs';
import type { FeatureMatrix } from './ridge';

/**
 * Logistic regression with an L2 penalty, fitted by L-BFGS: one weight vector for two classes
 * (sigmoid), one per class for more (softmax). The objective is scikit-learn's:
 * C · Σ log loss + ½‖W‖², intercepts not penalised.
 */
export interface LogisticModel {
  classes: number;
  cols: number;
  /** Row-major (outputs × cols): outputs = 1 for two classes, else one per class. */
  weights: Float64Array;
  intercepts: Float64Array;
  iterations: number;
  converged: boolean;
}

export function fitLogistic(
  x: FeatureMatrix,
  y: ArrayLike<number>,
  classes: number,
  options: { c?: number; maxIterations?: number } = {},
): LogisticModel {
  if (classes < 2) throw new Error('Logistic regression needs at least two classes in the target');
  const c = options.c ?? 1;
  const outputs = classes === 2 ? 1 : classes;
  const size = outputs * (x.cols + 1);
  const objective = classes === 2 ? binaryObjective(x, y, c) : softmaxObjective(x, y, classes, c);
  const result = minimizeLbfgs(objective, new Float64Array(size), {
    maxIterations: options.maxIterations ?? 1000,
    tolerance: 1e-5,
  });
  const weights = new Float64Array(outputs * x.cols);
  const intercepts = new Float64Array(outputs);
  for (let k = 0; k < outputs; k++) {
    for (let j = 0; j < x.cols; j++) weights[k * x.cols + j] = result.w[k * (x.cols + 1) + j] ?? 0;
    intercepts[k] = result.w[k * (x.cols + 1) + x.cols] ?? 0;
  }
  return {
    classes,
    cols: x.cols,
    weights,
    intercepts,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/** Class probabilities, row-major (rows × classes). */
export function predictLogisticProba(model: LogisticModel, x: FeatureMatrix): Float64Array {
  const { classes, cols } = model;
  const out = new Float64Array(x.rows * classes);
  const logits = new Float64Array(classes === 2 ? 1 : classes);
  for (let r = 0; r < x.rows; r++) {
    for (let k = 0; k < logits.length; k++) {
      let z = model.intercepts[k] ?? 0;
      for (let j = 0; j < cols; j++)
        z += (model.weights[k * cols + j] ?? 0) * (x.values[r * x.cols + j] ?? 0);
      logits[k] = z;
    }
    if (classes === 2) {
      const p = sigmoid(logits[0] ?? 0);
      out[r * 2] = 1 - p;
      out[r * 2 + 1] = p;
    } else {
      softmaxInto(logits, out, r * classes);
    }
  }
  return out;
}

/** The most probable class of each row (ties to the lower index). */
export function argmaxRows(probabilities: Float64Array, classes: number): Int32Array {
  const rows = probabilities.length / classes;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++)
      if ((probabilities[r * classes + k] ?? 0) > (probabilities[r * classes + best] ?? 0)) best = k;
    out[r] = best;
  }
  return out;
}

function binaryObjective(x: FeatureMatrix, y: ArrayLike<number>, c: number) {
  const { rows, cols, values } = x;
  return (w: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      let z = w[cols] ?? 0;
      for (let j = 0; j < cols; j++) z += (w[j] ?? 0) * (values[r * cols + j] ?? 0);
      const label = y[r] === 1 ? 1 : 0;
      // log(1 + e^z) − label·z, computed without overflow.
      loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - label * z;
      const error = sigmoid(z) - label;
      for (let j = 0; j < cols; j++) gradient[j] = (gradient[j] ?? 0) + error * (values[r * cols + j] ?? 0);
      gradient[cols] = (gradient[cols] ?? 0) + error;
    }
    let penalty = 0;
    for (let j = 0; j <= cols; j++) gradient[j] = c * (gradient[j] ?? 0);
    for (let j = 0; j < cols; j++) {
      penalty += (w[j] ?? 0) ** 2;
      gradient[j] = (gradient[j] ?? 0) + (w[j] ?? 0);
    }
    return c * loss + 0.5 * penalty;
  };
}

function softmaxObjective(x: FeatureMatrix, y: ArrayLike<number>, classes: number, c: number) {
  const { rows, cols, values } = x;
  const stride = cols + 1;
  const logits = new Float64Array(classes);
  const probabilities = new Float64Array(classes);
  return (w: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < classes; k++) {
        let z = w[k * stride + cols] ?? 0;
        for (let j = 0; j < cols; j++) z += (w[k * stride + j] ?? 0) * (values[r * cols + j] ?? 0);
        logits[k] = z;
      }
      softmaxInto(logits, probabilities, 0);
      const label = y[r] ?? 0;
      loss -= Math.log(Math.max(probabilities[label] ?? 0, 1e-300));
      for (let k = 0; k < classes; k++) {
        const error = (probabilities[k] ?? 0) - (k === label ? 1 : 0);
        for (let j = 0; j < cols; j++)
          gradient[k * stride + j] = (gradient[k * stride + j] ?? 0) + error * (values[r * cols + j] ?? 0);
        gradient[k * stride + cols] = (gradient[k * stride + cols] ?? 0) + error;
      }
    }
    let penalty = 0;
    for (let i = 0; i < gradient.length; i++) gradient[i] = c * (gradient[i] ?? 0);
    for (let k = 0; k < classes; k++) {
      for (let j = 0; j < cols; j++) {
        const weight = w[k * stride + j] ?? 0;
        penalty += weight * weight;
        gradient[k * stride + j] = (gradient[k * stride + j] ?? 0) + weight;
      }
    }
    return c * loss + 0.5 * penalty;
  };
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Softmax of `logits` written into `out` at `offset`, shifted by the maximum for stability. */
function softmaxInto(logits: Float64Array, out: Float64Array, offset: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const z of logits) max = Math.max(max, z);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    const e = Math.exp((logits[k] ?? 0) - max);
    out[offset + k] = e;
    sum += e;
  }
  for (let k = 0; k < logits.length; k++) out[offset + k] = (out[offset + k] ?? 0) / sum;
}
