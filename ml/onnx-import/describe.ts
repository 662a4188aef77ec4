import type { onnx as Onnx } from 'onnx-proto';
import onnxProto from 'onnx-proto';
import { ModelImportError } from './import-error';

// onnx-proto is CommonJS; Node's ESM loader (tsx, the worker) sees only its default export.
const { onnx } = onnxProto;

/** An element type's name as the dialog and errors show it. */
const ELEMENT_NAMES: Record<number, string> = {
  1: 'float',
  2: 'uint8',
  3: 'int8',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'double',
};

/** One graph input or output: a tensor with its element type and shape (null dimension: any size). */
export interface GraphValue {
  name: string;
  /** tensor, or what onnxruntime-node cannot return: a sequence or a map (skl2onnx's ZipMap). */
  kind: 'tensor' | 'sequence' | 'map' | 'other';
  elementType: string;
  /** Dimensions; a named or unknown one is null. Null when the graph declares no shape. */
  shape: (number | null)[] | null;
}

/** The labels a classifier graph names, in the order of its probabilities. */
export type GraphLabels = string[] | number[];

/** What an uploaded graph takes and gives, and what an import can make of it. */
export interface GraphDescription {
  producer: string;
  inputs: GraphValue[];
  outputs: GraphValue[];
  /**
   * `matrix`: one float tensor [N, F] (skl2onnx from a DataFrame or numpy), the columns to be named;
   * `columns`: one [N, 1] input per column, named by the graph.
   */
  inputForm: { kind: 'matrix'; features: number | null; input: string } | { kind: 'columns' };
  task: 'classification' | 'regression';
  /** From the ZipMap or the classifier node; null when the graph does not say. */
  labels: GraphLabels | null;
  /** Every operator the graph uses, once each. */
  operators: { opType: string; domain: string }[];
}

const CLASSIFIER_OPS = new Set(['LinearClassifier', 'TreeEnsembleClassifier', 'SVMClassifier', 'ZipMap']);

/** The model in the file; a file that is not ONNX is refused with a sentence saying so. */
export function decodeModel(bytes: Uint8Array): Onnx.ModelProto {
  let model: Onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    throw new ModelImportError('The file is not an ONNX model (it cannot be read as one)');
  }
  const graph = model.graph;
  if (!graph || Number(model.irVersion) <= 0 || !graph.node?.length || !graph.input?.length)
    throw new ModelImportError('The file is not an ONNX model (it has no graph with inputs and operators)');
  return model;
}

/** Inputs, outputs, input form, task, labels and operators of an uploaded graph. */
export function describeOnnx(bytes: Uint8Array): GraphDescription {
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (!graph) throw new ModelImportError('The file is not an ONNX model');
  const initializers = new Set((graph.initializer ?? []).map((tensor) => tensor.name));
  // Old exporters list initializers among the inputs too: they are weights, not inputs.
  const inputs = (graph.input ?? []).filter((input) => !initializers.has(input.name)).map(graphValue);
  const outputs = (graph.output ?? []).map(graphValue);
  const operators = new Map<string, { opType: string; domain: string }>();
  for (const node of allNodes(graph))
    operators.set(`${node.domain ?? ''}:${node.opType}`, {
      opType: node.opType ?? '',
      domain: node.domain ?? '',
    });
  const classifier =
    [...operators.values()].some((op) => CLASSIFIER_OPS.has(op.opType)) ||
    outputs.some((output) => output.kind !== 'tensor');
  return {
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    inputs,
    outputs,
    inputForm: inputFormOf(inputs),
    task: classifier ? 'classification' : 'regression',
    labels: classifier ? labelsOf(graph) : null,
    operators: [...operators.values()],
  };
}

function inputFormOf(inputs: GraphValue[]): GraphDescription['inputForm'] {
  const [only] = inputs;
  const features = only?.shape?.[1];
  // [N, F] with F > 1, or [N, ?]: a width the graph does not declare is the columns' count.
  if (inputs.length === 1 && only && only.shape?.length === 2 && (features === null || (features ?? 0) > 1))
    return { kind: 'matrix', features: features ?? null, input: only.name };
  return { kind: 'columns' };
}

/** Every node of the graph and of its subgraphs (an If's branches, a Loop's body). */
export function allNodes(graph: Onnx.IGraphProto): Onnx.INodeProto[] {
  const nodes: Onnx.INodeProto[] = [];
  for (const node of graph.node ?? []) {
    nodes.push(node);
    for (const attribute of node.attribute ?? []) {
      if (attribute.g) nodes.push(...allNodes(attribute.g));
      for (const sub of attribute.graphs ?? []) nodes.push(...allNodes(sub));
    }
  }
  return nodes;
}

function graphValue(value: Onnx.IValueInfoProto): GraphValue {
  const type = value.type;
  const name = value.name ?? '';
  if (type?.tensorType) {
    const dims = type.tensorType.shape?.dim;
    return {
      name,
      kind: 'tensor',
      elementType: ELEMENT_NAMES[type.tensorType.elemType ?? 0] ?? `type ${type.tensorType.elemType}`,
      shape: dims
        ? dims.map((dim) => (dim.dimValue != null && Number(dim.dimValue) > 0 ? Number(dim.dimValue) : null))
        : null,
    };
  }
  if (type?.sequenceType) return { name, kind: 'sequence', elementType: 'sequence', shape: null };
  if (type?.mapType) return { name, kind: 'map', elementType: 'map', shape: null };
  return { name, kind: 'other', elementType: 'unknown', shape: null };
}

const utf8 = new TextDecoder();

/** Class labels from a ZipMap, else from the classifier node (skl2onnx writes both the same). */
function labelsOf(graph: Onnx.IGraphProto): GraphLabels | null {
  const nodes = allNodes(graph);
  const ordered = [
    ...nodes.filter((node) => node.opType === 'ZipMap'),
    ...nodes.filter((node) => node.opType !== 'ZipMap' && CLASSIFIER_OPS.has(node.opType ?? '')),
  ];
  for (const node of ordered) {
    for (const attribute of node.attribute ?? []) {
      if (attribute.name === 'classlabels_strings' && attribute.strings?.length)
        return attribute.strings.map((bytes) => utf8.decode(bytes));
      if (
        (attribute.name === 'classlabels_int64s' || attribute.name === 'classlabels_ints') &&
        attribute.ints?.length
      )
        return attribute.ints.map(Number);
    }
  }
  return null;
}

/** "float [N, 4]" for the dialog and errors. */
export function describeValue(value: GraphValue): string {
  if (value.kind !== 'tensor') return `${value.name}: ${value.kind}`;
  const shape = value.shape
    ? ` [${value.shape.map((dim, index) => dim ?? (index === 0 ? 'N' : '?')).join(', ')}]`
    : '';
  return `${value.name}: ${value.elementType}${shape}`;
}
