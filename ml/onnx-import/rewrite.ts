import type { onnx as Onnx } from 'onnx-proto';
import onnxProto from 'onnx-proto';
import { decodeModel, type GraphDescription, type GraphLabels } from './describe';
import { ModelImportError } from './import-error';
import type { ImportPlan } from './plan';

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;

/** The names Pipewright's own graphs give their outputs (ml/onnx/types.ts OUTPUT_NAMES). */
export const SERVED_OUTPUTS = { label: 'label', probabilities: 'probabilities', value: 'value' } as const;

/** Every name of the uploaded graph is moved under this prefix, so no column name can collide with one. */
const PREFIX = 'imported/';
const FEATURES = 'pipewright/features';

/** One column of the rewritten graph's signature, in graph order. */
export interface ImportedColumn {
  name: string;
  type: 'number' | 'boolean' | 'string';
}

/**
 * The uploaded graph rewritten into the house's form, so serving, batch scoring and monitoring take
 * it like a trained one: one [N, 1] input per named column (doubles for numbers, strings for text)
 * in front of the original graph (a Concat, and a Cast, feed a [N, F] matrix input), and tensor
 * outputs `label` [N] and `probabilities` [N, classes] float, or `value` [N, 1] double. A ZipMap
 * (a sequence of maps, which onnxruntime-node does not return) is dropped: its input, the
 * probabilities tensor, is exposed instead.
 */
export function rewriteForServing(
  bytes: Uint8Array,
  description: GraphDescription,
  plan: ImportPlan,
): { onnx: Uint8Array; columns: ImportedColumn[] } {
  const { columns: columnNames, labels } = plan;
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (!graph) throw new ModelImportError('The file is not an ONNX model');
  refuseExternalData(graph);
  // Copies: prefixGraph renames the graph's own value infos.
  const originalInputs = (graph.input ?? [])
    .filter((input) => description.inputs.some((described) => described.name === input.name))
    .map((input) => onnx.ValueInfoProto.create({ name: input.name, type: input.type }));
  const inputNames = new Set(originalInputs.map((input) => prefixed(input.name)));
  const originalOutputs = (graph.output ?? []).map((output) => output.name);
  prefixGraph(graph);
  const front = frontNodes(description, originalInputs, columnNames);
  const back = backNodes(graph, description, originalOutputs, plan.labelsOverridden ? labels : null);
  graph.input = [
    ...front.inputs,
    // Inputs that are initializers (older exporters list them) stay, under their new names.
    ...(graph.input ?? []).filter((input) => !inputNames.has(input.name ?? '')),
  ];
  graph.node = [
    ...front.nodes,
    ...(graph.node ?? []).filter((node) => node.opType !== 'ZipMap'),
    ...back.nodes,
  ];
  graph.output = back.outputs;
  ensureDefaultOpset(model);
  model.metadataProps = [
    ...model.metadataProps.filter((prop) => !prop.key?.startsWith('pipewright.')),
    onnx.StringStringEntryProto.create({ key: 'pipewright.task', value: description.task }),
    onnx.StringStringEntryProto.create({ key: 'pipewright.imported', value: 'true' }),
    ...(labels
      ? [onnx.StringStringEntryProto.create({ key: 'pipewright.labels', value: JSON.stringify(labels) })]
      : []),
  ];
  return { onnx: onnx.ModelProto.encode(model).finish(), columns: front.columns };
}

function refuseExternalData(graph: Onnx.IGraphProto): void {
  const external = graph.initializer?.find(
    (tensor) => tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL,
  );
  if (external)
    throw new ModelImportError(
      `The model keeps its weights (${external.name}) in a separate file: save it as one ONNX file (onnx.save with save_as_external_data=False)`,
    );
}

function prefixed(name: string | null | undefined): string {
  return name ? `${PREFIX}${name}` : '';
}

/** Moves every value name of the graph and its subgraphs under PREFIX ("" stays: an omitted input). */
function prefixGraph(graph: Onnx.IGraphProto): void {
  for (const value of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])])
    value.name = prefixed(value.name);
  for (const tensor of graph.initializer ?? []) tensor.name = prefixed(tensor.name);
  for (const sparse of graph.sparseInitializer ?? [])
    if (sparse.values) sparse.values.name = prefixed(sparse.values.name);
  for (const node of graph.node ?? []) {
    node.input = (node.input ?? []).map(prefixed);
    node.output = (node.output ?? []).map(prefixed);
    if (node.name) node.name = prefixed(node.name);
    for (const attribute of node.attribute ?? []) {
      if (attribute.g) prefixGraph(attribute.g);
      for (const sub of attribute.graphs ?? []) prefixGraph(sub);
    }
  }
}

const attribute = {
  int: (name: string, value: number) =>
    onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value }),
};

function node(opType: string, input: string[], output: string[], attributes: Onnx.IAttributeProto[] = []) {
  return onnx.NodeProto.create({
    opType,
    input,
    output,
    attribute: attributes,
    name: `pipewright/${output[0]}`,
  });
}

/** A Cast to `to`, or an Identity when the value already has that type. */
function castOrIdentity(from: number, to: number, input: string, output: string): Onnx.INodeProto {
  return from === to
    ? node('Identity', [input], [output])
    : node('Cast', [input], [output], [attribute.int('to', to)]);
}

function tensorInput(name: string, elemType: number, shape: (number | string)[]): Onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) },
      },
    },
  });
}

const NUMERIC_TYPES = new Set<number>([
  DataType.FLOAT,
  DataType.DOUBLE,
  DataType.INT64,
  DataType.INT32,
  DataType.INT16,
  DataType.INT8,
  DataType.UINT8,
  DataType.FLOAT16,
]);

/** Where the columns come in: one [N, 1] input each, fed to the original inputs. */
function frontNodes(
  description: GraphDescription,
  originals: readonly Onnx.IValueInfoProto[],
  columnNames: readonly string[],
): { inputs: Onnx.ValueInfoProto[]; nodes: Onnx.INodeProto[]; columns: ImportedColumn[] } {
  const form = description.inputForm;
  if (form.kind === 'matrix') {
    const original = originals[0];
    const elemType = original?.type?.tensorType?.elemType ?? DataType.FLOAT;
    if (!NUMERIC_TYPES.has(elemType))
      throw new ModelImportError(
        `The input ${form.input} is not a tensor of numbers: it cannot take the columns`,
      );
    return {
      inputs: columnNames.map((name) => tensorInput(name, DataType.DOUBLE, ['N', 1])),
      nodes: [
        node('Concat', [...columnNames], [FEATURES], [attribute.int('axis', 1)]),
        castOrIdentity(DataType.DOUBLE, elemType, FEATURES, prefixed(form.input)),
      ],
      columns: columnNames.map((name) => ({ name, type: 'number' })),
    };
  }
  const inputs: Onnx.ValueInfoProto[] = [];
  const nodes: Onnx.INodeProto[] = [];
  const columns: ImportedColumn[] = [];
  originals.forEach((original, index) => {
    const name = columnNames[index] ?? original.name ?? '';
    const tensor = original.type?.tensorType;
    const dims = tensor?.shape?.dim ?? [];
    const width = dims[1]?.dimValue;
    if (!tensor || dims.length !== 2 || (width != null && Number(width) > 1))
      throw new ModelImportError(
        `The input ${original.name} is not one column (a tensor [N, 1]): Pipewright imports graphs with one [N, F] tensor of numbers or one [N, 1] input per column`,
      );
    const elemType = tensor.elemType ?? DataType.FLOAT;
    if (elemType === DataType.STRING) {
      inputs.push(tensorInput(name, DataType.STRING, ['N', 1]));
      nodes.push(node('Identity', [name], [prefixed(original.name)]));
      columns.push({ name, type: 'string' });
      return;
    }
    if (elemType !== DataType.BOOL && !NUMERIC_TYPES.has(elemType))
      throw new ModelImportError(
        `The input ${original.name} is neither numbers nor text: it cannot take a column`,
      );
    inputs.push(tensorInput(name, DataType.DOUBLE, ['N', 1]));
    nodes.push(castOrIdentity(DataType.DOUBLE, elemType, name, prefixed(original.name)));
    columns.push({ name, type: elemType === DataType.BOOL ? 'boolean' : 'number' });
  });
  return { inputs, nodes, columns };
}

/** The outputs in the house's names and types, taken from the (prefixed) original graph. */
function backNodes(
  graph: Onnx.IGraphProto,
  description: GraphDescription,
  originalOutputs: readonly (string | null | undefined)[],
  /** Labels given in place of the graph's: the label output is rebuilt from the probabilities. */
  givenLabels: GraphLabels | null,
): { nodes: Onnx.INodeProto[]; outputs: Onnx.ValueInfoProto[] } {
  const tensorOutputs = description.outputs.filter((output) => output.kind === 'tensor');
  const elemTypeOf = (name: string) =>
    graph.output?.find((output) => output.name === prefixed(name))?.type?.tensorType?.elemType ??
    DataType.FLOAT;
  if (description.task === 'regression') {
    const value = tensorOutputs.find((output) => output.elementType !== 'string');
    if (!value || !originalOutputs.includes(value.name))
      throw new ModelImportError('The model has no output of numbers to serve as its predicted value');
    return {
      nodes: [
        castOrIdentity(elemTypeOf(value.name), DataType.DOUBLE, prefixed(value.name), SERVED_OUTPUTS.value),
      ],
      outputs: [tensorInput(SERVED_OUTPUTS.value, DataType.DOUBLE, ['N', 1])],
    };
  }
  const label = tensorOutputs.find(
    (output) => output.elementType === 'string' || output.elementType === 'int64',
  );
  if (!label)
    throw new ModelImportError(
      'The classifier has no label output (a tensor of strings or int64): it cannot be served',
    );
  const zipMap = (graph.node ?? []).find((candidate) => candidate.opType === 'ZipMap');
  const zipped = zipMap?.input?.[0];
  const probabilities = zipped
    ? { name: zipped, elemType: DataType.FLOAT }
    : (() => {
        const found = tensorOutputs.find(
          (output) => output !== label && (output.elementType === 'float' || output.elementType === 'double'),
        );
        return found && { name: prefixed(found.name), elemType: elemTypeOf(found.name) };
      })();
  if (!probabilities)
    throw new ModelImportError(
      'The classifier has no probabilities output (a ZipMap or a float tensor [N, classes]): it cannot be served',
    );
  const probabilityNode = castOrIdentity(
    probabilities.elemType,
    DataType.FLOAT,
    probabilities.name,
    SERVED_OUTPUTS.probabilities,
  );
  const probabilitiesOutput = tensorInput(SERVED_OUTPUTS.probabilities, DataType.FLOAT, ['N', 'classes']);
  if (givenLabels)
    return {
      nodes: [probabilityNode, ...labelFromProbabilities(givenLabels)],
      outputs: [tensorInput(SERVED_OUTPUTS.label, DataType.STRING, ['N']), probabilitiesOutput],
    };
  const labelType = label.elementType === 'string' ? DataType.STRING : DataType.INT64;
  return {
    nodes: [node('Identity', [prefixed(label.name)], [SERVED_OUTPUTS.label]), probabilityNode],
    outputs: [tensorInput(SERVED_OUTPUTS.label, labelType, ['N']), probabilitiesOutput],
  };
}

/** label = labels[argmax(probabilities)], for labels the importer gave in place of the graph's. */
function labelFromProbabilities(labels: GraphLabels): Onnx.INodeProto[] {
  const utf8 = new TextEncoder();
  const names = onnx.TensorProto.create({
    name: 'pipewright/labels',
    dataType: DataType.STRING,
    dims: [labels.length],
    stringData: labels.map((label) => utf8.encode(String(label))),
  });
  return [
    onnx.NodeProto.create({
      opType: 'Constant',
      output: ['pipewright/labels'],
      name: 'pipewright/labels',
      attribute: [
        onnx.AttributeProto.create({
          name: 'value',
          type: onnx.AttributeProto.AttributeType.TENSOR,
          t: names,
        }),
      ],
    }),
    node(
      'ArgMax',
      [SERVED_OUTPUTS.probabilities],
      ['pipewright/best'],
      [attribute.int('axis', 1), attribute.int('keepdims', 0)],
    ),
    node(
      'Gather',
      ['pipewright/labels', 'pipewright/best'],
      [SERVED_OUTPUTS.label],
      [attribute.int('axis', 0)],
    ),
  ];
}

/** The Concat, Cast and Identity nodes added are of the default domain: the graph must import it. */
function ensureDefaultOpset(model: Onnx.ModelProto): void {
  const standard = model.opsetImport.find((opset) => (opset.domain ?? '') === '');
  if (!standard) {
    model.opsetImport.push(onnx.OperatorSetIdProto.create({ domain: '', version: 13 }));
    return;
  }
  if (Number(standard.version) < 6)
    throw new ModelImportError(
      `The model uses ONNX opset ${standard.version}: Pipewright imports opset 6 or later (convert it with a newer exporter)`,
    );
}
