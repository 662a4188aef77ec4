import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/** A linear model: prediction = intercept + Σ coefficients[j] · x[j]. */
export interface LinearModel {
  coefficients: Float64Array;
  intercept: number;
}

/** Rows of a feature matrix stored row-major in one typed array. */
export interface FeatureMatrix {
  values: Float64Array;
  rows: number;
  cols: number;
}

/**
 * Ridge regression (L2, intercept not penalised), solved exactly: centre the columns, then solve
 * (XᵀX + αI) w = Xᵀy by Cholesky. Same estimator as scikit-learn's Ridge(fit_intercept=True).
 */
export function fitRidge(x: FeatureMatrix, y: ArrayLike<number>, alpha = 1): LinearModel {
  const { rows, cols, values } = x;
  if (rows === 0) throw new Error('Cannot fit a model on zero rows');
  const means = new Float64Array(cols);
  let yMean = 0;
  for (let r = 0; r < rows; r++) {
    yMean += y[r] ?? 0;
    for (let c = 0; c < cols; c++) means[c] = (means[c] ?? 0) + (values[r * cols + c] ?? 0);
  }
  yMean /= rows;
  for (let c = 0; c < cols; c++) means[c] = (means[c] ?? 0) / rows;

  // Accumulated in flat typed arrays (upper triangle, row-major): ml-matrix's get/set per cell
  // cost several times the arithmetic itself on many rows.
  const gramValues = new Float64Array(cols * cols);
  const xtyValues = new Float64Array(cols);
  const centred = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) centred[c] = (values[r * cols + c] ?? 0) - (means[c] ?? 0);
    const target = (y[r] ?? 0) - yMean;
    for (let i = 0; i < cols; i++) {
      const xi = centred[i] ?? 0;
      xtyValues[i] = (xtyValues[i] ?? 0) + xi * target;
      for (let j = i; j < cols; j++)
        gramValues[i * cols + j] = (gramValues[i * cols + j] ?? 0) + xi * (centred[j] ?? 0);
    }
  }
  const gram = Matrix.zeros(cols, cols);
  const xty = Matrix.zeros(cols, 1);
  for (let i = 0; i < cols; i++) {
    xty.set(i, 0, xtyValues[i] ?? 0);
    gram.set(i, i, (gramValues[i * cols + i] ?? 0) + alpha);
    for (let j = i + 1; j < cols; j++) {
      gram.set(i, j, gramValues[i * cols + j] ?? 0);
      gram.set(j, i, gramValues[i * cols + j] ?? 0);
    }
  }
  const solution = new CholeskyDecomposition(gram).solve(xty);
  const coefficients = Float64Array.from({ length: cols }, (_, c) => solution.get(c, 0));
  const intercept = yMean - coefficients.reduce((sum, weight, c) => sum + weight * (means[c] ?? 0), 0);
  return { coefficients, intercept };
}

export function predictLinear(model: LinearModel, x: FeatureMatrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let sum = model.intercept;
    for (let c = 0; c < x.cols; c++) sum += (model.coefficients[c] ?? 0) * (x.values[r * x.cols + c] ?? 0);
    out[r] = sum;
  }
  return out;
}
