/**
 * The losses of histogram gradient boosting, as scikit-learn's: half squared error (regression),
 * binary log loss (one raw score, sigmoid) and multiclass log loss (one raw score per class, softmax).
 * Raw scores are class-major: output k of row i is at k · n + i. Gradients and hessians are
 * interleaved in the same order, gradient at 2 (k · n + i) and hessian right after it, so the
 * histogram loops read both from one cache line.
 */
export interface BoostingLoss {
  outputs: number;
  /** The best constant raw score per output, the ensemble's starting point. */
  baseline(y: Float64Array): Float64Array;
  /**
   * Gradients and hessians of each row's loss with respect to its raw scores, interleaved; rows
   * from..to − 1 only (threads each take a range).
   */
  gradients(y: Float64Array, raw: Float64Array, gradHess: Float64Array, from: number, to: number): void;
  /** Mean loss over the rows. */
  loss(y: Float64Array, raw: Float64Array): number;
}

/** classes: 0 for regression, 2 for binary, more for multiclass (labels are class indices). */
export function lossFor(classes: number): BoostingLoss {
  if (classes === 0) return squaredError;
  if (classes === 2) return binaryLogLoss;
  if (Number.isInteger(classes) && classes > 2) return multiclassLogLoss(classes);
  throw new Error(`classes must be 0 (regression), 2 (binary) or more, got ${classes}`);
}

// Probabilities are kept inside [ε, 1 − ε] for the baseline, as scikit-learn's fit_intercept_only.
const EPSILON = 2 ** -52;

const squaredError: BoostingLoss = {
  outputs: 1,
  baseline(y) {
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += y[i] ?? 0;
    return Float64Array.of(y.length ? sum / y.length : 0);
  },
  gradients(y, raw, gradHess, from, to) {
    for (let i = from; i < to; i++) {
      gradHess[2 * i] = (raw[i] ?? 0) - (y[i] ?? 0);
      gradHess[2 * i + 1] = 1;
    }
  },
  loss(y, raw) {
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += ((raw[i] ?? 0) - (y[i] ?? 0)) ** 2;
    return y.length ? sum / (2 * y.length) : 0;
  },
};

const binaryLogLoss: BoostingLoss = {
  outputs: 1,
  baseline(y) {
    let positives = 0;
    for (let i = 0; i < y.length; i++) positives += y[i] ?? 0;
    const p = clamp(y.length ? positives / y.length : 0.5);
    return Float64Array.of(Math.log(p / (1 - p)));
  },
  gradients(y, raw, gradHess, from, to) {
    for (let i = from; i < to; i++) {
      const p = sigmoid(raw[i] ?? 0);
      gradHess[2 * i] = p - (y[i] ?? 0);
      gradHess[2 * i + 1] = p * (1 - p);
    }
  },
  loss(y, raw) {
    let sum = 0;
    for (let i = 0; i < y.length; i++) {
      const score = raw[i] ?? 0;
      // log(1 + e^score) − y · score, without overflow.
      const softplus = score > 0 ? score + Math.log1p(Math.exp(-score)) : Math.log1p(Math.exp(score));
      sum += softplus - (y[i] ?? 0) * score;
    }
    return y.length ? sum / y.length : 0;
  },
};

function multiclassLogLoss(classes: number): BoostingLoss {
  return {
    outputs: classes,
    baseline(y) {
      const counts = new Float64Array(classes);
      for (let i = 0; i < y.length; i++) counts[y[i] ?? 0] = (counts[y[i] ?? 0] ?? 0) + 1;
      // log priors, centred (softmax does not change; scikit-learn's symmetric multinomial link).
      const logs = counts.map((count) => Math.log(clamp(y.length ? count / y.length : 1 / classes)));
      const mean = logs.reduce((sum, value) => sum + value, 0) / classes;
      return logs.map((value) => value - mean);
    },
    gradients(y, raw, gradHess, from, to) {
      const n = y.length;
      for (let i = from; i < to; i++) {
        let max = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < classes; k++) max = Math.max(max, raw[k * n + i] ?? 0);
        let sum = 0;
        for (let k = 0; k < classes; k++) {
          const e = Math.exp((raw[k * n + i] ?? 0) - max);
          gradHess[2 * (k * n + i)] = e;
          sum += e;
        }
        const label = y[i] ?? 0;
        for (let k = 0; k < classes; k++) {
          const at = 2 * (k * n + i);
          const p = (gradHess[at] ?? 0) / sum;
          gradHess[at] = p - (k === label ? 1 : 0);
          gradHess[at + 1] = p * (1 - p);
        }
      }
    },
    loss(y, raw) {
      const n = y.length;
      let total = 0;
      for (let i = 0; i < n; i++) {
        let max = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < classes; k++) max = Math.max(max, raw[k * n + i] ?? 0);
        let sum = 0;
        for (let k = 0; k < classes; k++) sum += Math.exp((raw[k * n + i] ?? 0) - max);
        total += max + Math.log(sum) - (raw[(y[i] ?? 0) * n + i] ?? 0);
      }
      return n ? total / n : 0;
    },
  };
}

/** 1 / (1 + e^−score): exp overflows to ∞ for very negative scores, giving 0 as it should. */
function sigmoid(score: number): number {
  return 1 / (1 + Math.exp(-score));
}

function clamp(p: number): number {
  return Math.min(1 - EPSILON, Math.max(EPSILON, p));
}
