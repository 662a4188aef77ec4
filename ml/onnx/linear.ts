import type { LogisticModel } from '../linear/logistic';
import type { LinearModel } from '../linear/ridge';
import { OnnxExportError } from './errors';
import type { GraphBuilder } from './graph';

/**
 * Linear models as MatMul and Add in double (ai.onnx.ml LinearRegressor and LinearClassifier give
 * float32 only, which moves a regression value of a few hundred by about 1e-5).
 */

/** intercept + x · coefficients: [N, 1]. */
export function linearValue(graph: GraphBuilder, x: string, features: number, model: LinearModel): string {
  if (model.coefficients.length !== features)
    throw new OnnxExportError(
      `The linear model has ${model.coefficients.length} coefficients for ${features} features`,
    );
  const weights = graph.constant('double', model.coefficients, [features, 1]);
  return graph.one('Add', [graph.one('MatMul', [x, weights]), graph.double(model.intercept)]);
}

/** The logits, intercepts + x · weightsᵀ: [N, 1] for two classes, [N, classes] for more. */
export function logisticLogits(
  graph: GraphBuilder,
  x: string,
  features: number,
  model: LogisticModel,
): string {
  const outputs = model.classes === 2 ? 1 : model.classes;
  if (model.cols !== features || model.weights.length !== outputs * features)
    throw new OnnxExportError(
      `The logistic model has ${model.cols} weights per class for ${features} features`,
    );
  // weights are row-major (outputs × cols); MatMul wants (cols × outputs).
  const transposed = Array.from({ length: features * outputs }, (_, index) => {
    const j = Math.floor(index / outputs);
    const k = index % outputs;
    return model.weights[k * features + j] ?? 0;
  });
  const product = graph.one('MatMul', [x, graph.constant('double', transposed, [features, outputs])]);
  return graph.one('Add', [product, graph.constant('double', model.intercepts, [1, outputs])]);
}
