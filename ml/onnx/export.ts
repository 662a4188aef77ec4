import type { FittedModel } from '../model';
import { assembleFeatures } from './assemble';
import { ColumnTable } from './columns';
import { OnnxExportError } from './errors';
import { GraphBuilder as Graph, type GraphOutput } from './graph';
import { linearValue, logisticLogits } from './linear';
import { concatColumns, toFloat, where } from './ops';
import { applySteps } from './transforms';
import { boostedRawScores, cartScores, forestScores } from './trees';
import { type OnnxExportInput, type OnnxTransformInput, OUTPUT_NAMES, type RawColumn } from './types';

/** The output of exportTransforms. */
const FEATURES_OUTPUT = 'features';

/**
 * A trained model and the transforms in front of it as one ONNX model (ai.onnx 21, ai.onnx.ml 5).
 * Inputs: the raw columns the features depend on, [N, 1] each, tensor(double) for numbers (NaN when
 * missing) and tensor(string) for text ("" when missing). Outputs: classification `label` [N]
 * (int64 or string) and `probabilities` [N, classes] float; regression `value` [N, 1] double.
 * Everything between runs in double, so the graph gives what training computed.
 * Throws OnnxExportError, naming the step and column, for what it cannot express exactly.
 */
export function exportOnnx(input: OnnxExportInput): Uint8Array {
  const outputs =
    input.task === 'classification' ? [OUTPUT_NAMES.label, OUTPUT_NAMES.probabilities] : [OUTPUT_NAMES.value];
  const { graph, x, inputs } = buildFeatures(input, outputs);
  const features = input.features.length;
  const declared: GraphOutput[] = [];
  if (input.task === 'classification') {
    const labels = classLabels(input.classLabels, classCount(input.model));
    const probabilities = classProbabilities(graph, x, features, input.model);
    const best = graph.one('ArgMax', [probabilities], {
      axis: { type: 'int', value: 1 },
      keepdims: { type: 'int', value: 0 },
      // Ties go to the lowest class index, as argmaxRows does.
      select_last_index: { type: 'int', value: 0 },
    });
    const label = graph.one('Gather', [graph.constant(labels.type, labels.values), best], {
      axis: { type: 'int', value: 0 },
    });
    declared.push(
      { name: OUTPUT_NAMES.label, tensor: label, type: labels.type, shape: ['N'] },
      {
        name: OUTPUT_NAMES.probabilities,
        tensor: toFloat(graph, probabilities),
        type: 'float',
        shape: ['N', labels.values.length],
      },
    );
  } else {
    declared.push({
      name: OUTPUT_NAMES.value,
      tensor: regressionValue(graph, x, features, input.model),
      type: 'double',
      shape: ['N', 1],
    });
  }
  return graph.build(
    declared,
    {
      'pipewright.task': input.task,
      'pipewright.algorithm': input.model.algorithm,
      'pipewright.inputs': JSON.stringify(inputs.map(({ name, kind }) => ({ name, kind }))),
      'pipewright.features': JSON.stringify(input.features),
      ...(input.classLabels ? { 'pipewright.labels': JSON.stringify(input.classLabels) } : {}),
    },
    `Pipewright ${input.model.algorithm} ${input.task} model with its fitted transforms`,
  );
}

/**
 * The transform part alone: the raw columns in, `features` [N, features] double out (the model's
 * input matrix, in model order). For checking the transforms against the data nodes' output.
 */
export function exportTransforms(input: OnnxTransformInput): Uint8Array {
  const { graph, x } = buildFeatures(input, [FEATURES_OUTPUT]);
  return graph.build([
    { name: FEATURES_OUTPUT, tensor: x, type: 'double', shape: ['N', input.features.length] },
  ]);
}

/**
 * The raw columns the graph takes as inputs (those the features depend on), in the given order.
 * Throws OnnxExportError as exportOnnx would for a step it cannot express.
 */
export function requiredColumns(input: OnnxTransformInput): RawColumn[] {
  return buildFeatures(input, []).inputs;
}

function buildFeatures(
  input: OnnxTransformInput,
  outputs: readonly string[],
): { graph: Graph; x: string; inputs: RawColumn[] } {
  const clash = input.columns.find((column) => outputs.includes(column.name));
  const graph = new Graph([...input.columns.map((column) => column.name), ...outputs]);
  const table = new ColumnTable(graph, input.columns);
  applySteps(table, input.steps);
  if (input.features.length === 0) throw new OnnxExportError('The model has no features');
  const columns = input.features.map((name) => {
    const column = table.get(name);
    if (!column)
      throw new OnnxExportError(`Feature "${name}" is not a column of the data after the transform steps`, {
        column: name,
      });
    if (column.kind === 'string' || column.kind === 'numeric-text')
      throw new OnnxExportError(`Feature "${name}" holds text; the model takes numbers`, { column: name });
    if (column.kind === 'unsupported')
      throw column.error ?? new OnnxExportError(`Feature "${name}" cannot be computed`, { column: name });
    return column;
  });
  const x = assembleFeatures(graph, columns);
  const inputs = input.columns.filter((column) => table.used.has(column.name));
  if (clash && table.used.has(clash.name))
    throw new OnnxExportError(
      `The raw column "${clash.name}" has the name of a model output; rename it before training`,
      { column: clash.name },
    );
  for (const column of inputs)
    graph.input(column.name, column.kind === 'string' ? 'string' : 'double', ['N', 1]);
  return { graph, x, inputs };
}

function classCount(model: FittedModel): number {
  switch (model.algorithm) {
    case 'logistic':
      return model.model.classes;
    case 'decision_tree':
      return model.model.outputs;
    case 'random_forest':
      return model.model.outputs;
    case 'gradient_boosting':
      if (model.model.task === 'regression')
        throw new OnnxExportError('The gradient boosting model is a regressor, not a classifier');
      return model.model.task === 'binary' ? 2 : model.model.outputs;
    case 'linear':
      throw new OnnxExportError('A linear (ridge) model is a regressor, not a classifier');
  }
}

function classLabels(
  labels: readonly (string | number | boolean)[] | undefined,
  classes: number,
): { type: 'int64'; values: number[] } | { type: 'string'; values: string[] } {
  if (!labels || labels.length !== classes)
    throw new OnnxExportError(
      `The model has ${classes} classes but ${labels?.length ?? 0} class labels were given`,
    );
  if (new Set(labels.map(String)).size !== labels.length)
    throw new OnnxExportError('The class labels are not distinct');
  const integers = labels.filter(
    (label): label is number => typeof label === 'number' && Number.isSafeInteger(label),
  );
  if (integers.length === labels.length) return { type: 'int64', values: integers };
  return { type: 'string', values: labels.map(String) };
}

/** Class probabilities in double, [N, classes], computed as the model's own predict does. */
function classProbabilities(graph: Graph, x: string, features: number, fitted: FittedModel): string {
  switch (fitted.algorithm) {
    case 'logistic': {
      const logits = logisticLogits(graph, x, features, fitted.model);
      if (fitted.model.classes > 2) return softmax(graph, logits);
      return binary(graph, stableSigmoid(graph, logits));
    }
    case 'decision_tree':
      return cartScores(graph, x, features, fitted.model);
    case 'random_forest':
      return forestScores(graph, x, features, fitted.model);
    case 'gradient_boosting': {
      const raw = boostedRawScores(graph, x, features, fitted.model);
      if (fitted.model.task === 'multiclass') return softmax(graph, raw);
      // 1 / (1 + e^(−raw)), as predictBoosted.
      const one = graph.double(1);
      return binary(
        graph,
        graph.one('Div', [one, graph.one('Add', [one, graph.one('Exp', [graph.one('Neg', [raw])])])]),
      );
    }
    case 'linear':
      throw new OnnxExportError('A linear (ridge) model is a regressor, not a classifier');
  }
}

function regressionValue(graph: Graph, x: string, features: number, fitted: FittedModel): string {
  switch (fitted.algorithm) {
    case 'linear':
      return linearValue(graph, x, features, fitted.model);
    case 'decision_tree':
      requireOneOutput(fitted.model.outputs, 'decision tree');
      return cartScores(graph, x, features, fitted.model);
    case 'random_forest':
      requireOneOutput(fitted.model.outputs, 'random forest');
      return forestScores(graph, x, features, fitted.model);
    case 'gradient_boosting':
      if (fitted.model.task !== 'regression')
        throw new OnnxExportError('The gradient boosting model is a classifier, not a regressor');
      return boostedRawScores(graph, x, features, fitted.model);
    case 'logistic':
      throw new OnnxExportError('A logistic regression model is a classifier, not a regressor');
  }
}

function requireOneOutput(outputs: number, name: string): void {
  if (outputs !== 1)
    throw new OnnxExportError(`The ${name} predicts ${outputs} class probabilities, not one value`);
}

/** Softmax over the classes (shifted by the row maximum, as the models' own softmax). */
function softmax(graph: Graph, logits: string): string {
  return graph.one('Softmax', [logits], { axis: { type: 'int', value: 1 } });
}

/** [1 − p, p]: the two class probabilities from the probability of class 1. */
function binary(graph: Graph, p: string): string {
  return concatColumns(graph, [graph.one('Sub', [graph.double(1), p]), p]);
}

/** The logistic model's sigmoid: 1 / (1 + e^(−z)) for z ≥ 0, e^z / (1 + e^z) below. */
function stableSigmoid(graph: Graph, z: string): string {
  const e = graph.one('Exp', [graph.one('Neg', [graph.one('Abs', [z])])]);
  const denominator = graph.one('Add', [graph.double(1), e]);
  return where(
    graph,
    graph.one('GreaterOrEqual', [z, graph.double(0)]),
    graph.one('Div', [graph.double(1), denominator]),
    graph.one('Div', [e, denominator]),
  );
}
