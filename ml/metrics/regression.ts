/** Regression metrics, defined as scikit-learn defines them. */

export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += ((yTrue[i] ?? 0) - (yPred[i] ?? 0)) ** 2;
  return Math.sqrt(sum / yTrue.length);
}

export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += Math.abs((yTrue[i] ?? 0) - (yPred[i] ?? 0));
  return sum / yTrue.length;
}

/** 1 − residual / total sum of squares; a constant target gives 1 for a perfect fit, else 0. */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i] ?? 0;
  mean /= yTrue.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    residual += ((yTrue[i] ?? 0) - (yPred[i] ?? 0)) ** 2;
    total += ((yTrue[i] ?? 0) - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

/** Mean absolute percentage error as a fraction; a zero target divides by machine epsilon, as scikit-learn does. */
export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const actual = yTrue[i] ?? 0;
    sum += Math.abs(actual - (yPred[i] ?? 0)) / Math.max(Math.abs(actual), Number.EPSILON);
  }
  return sum / yTrue.length;
}
