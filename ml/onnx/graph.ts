import type { onnx as Onnx } from 'onnx-proto';
import onnxProto from 'onnx-proto';

// onnx-proto is CommonJS; Node's ESM loader (tsx, the worker) sees only its default export.
const { onnx } = onnxProto;

/** The element types the exporter uses. */
export type ElementType = 'float' | 'double' | 'int64' | 'string' | 'bool' | 'uint8';

const DATA_TYPE: Record<ElementType, Onnx.TensorProto.DataType> = {
  float: onnx.TensorProto.DataType.FLOAT,
  double: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64,
  string: onnx.TensorProto.DataType.STRING,
  bool: onnx.TensorProto.DataType.BOOL,
  uint8: onnx.TensorProto.DataType.UINT8,
};

/** One dimension of a declared shape: a size, or a name for a size known at run time ("N"). */
export type Dimension = number | string;

/** An operator attribute, tagged with its ONNX type (a JavaScript number alone is ambiguous). */
export type Attribute =
  | { type: 'int'; value: number }
  /** Not copied into the protobuf message: a forest's node lists are tens of millions long. */
  | { type: 'ints'; value: number[] }
  | { type: 'float'; value: number }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: readonly string[] }
  | { type: 'tensor'; value: Onnx.ITensorProto };

export const attr = {
  int: (value: number): Attribute => ({ type: 'int', value }),
  ints: (value: number[]): Attribute => ({ type: 'ints', value }),
  float: (value: number): Attribute => ({ type: 'float', value }),
  floats: (value: readonly number[]): Attribute => ({ type: 'floats', value }),
  string: (value: string): Attribute => ({ type: 'string', value }),
  strings: (value: readonly string[]): Attribute => ({ type: 'strings', value }),
  tensor: (type: ElementType, values: ArrayLike<number> | readonly string[], dims?: number[]): Attribute => ({
    type: 'tensor',
    value: tensorProto('', type, values, dims ?? [values.length]),
  }),
};

const utf8 = new TextEncoder();

/** A TensorProto with its values in the typed field for its element type (never hand-packed bytes). */
export function tensorProto(
  name: string,
  type: ElementType,
  values: ArrayLike<number> | readonly string[],
  dims: number[],
): Onnx.ITensorProto {
  const tensor: Onnx.ITensorProto = { name, dataType: DATA_TYPE[type], dims };
  // One pass and one list each: a forest's tensors hold tens of millions of values.
  const numbers = () => Array.from<number | string, number>(values, Number);
  switch (type) {
    case 'double':
      tensor.doubleData = numbers();
      break;
    case 'float':
      tensor.floatData = numbers();
      break;
    case 'int64':
      tensor.int64Data = numbers();
      break;
    case 'bool':
      tensor.int32Data = Array.from<number | string, number>(values, (value) => (value ? 1 : 0));
      break;
    case 'uint8':
      // ONNX keeps 8-bit values in int32_data.
      tensor.int32Data = numbers();
      break;
    case 'string':
      tensor.stringData = Array.from<number | string, Uint8Array>(values, (value) =>
        utf8.encode(String(value)),
      );
      break;
  }
  return tensor;
}

function attributeProto(name: string, attribute: Attribute): Onnx.IAttributeProto {
  const kind = onnx.AttributeProto.AttributeType;
  switch (attribute.type) {
    case 'int':
      return { name, type: kind.INT, i: attribute.value };
    case 'ints':
      return { name, type: kind.INTS, ints: attribute.value };
    case 'float':
      return { name, type: kind.FLOAT, f: attribute.value };
    case 'floats':
      return { name, type: kind.FLOATS, floats: [...attribute.value] };
    case 'string':
      return { name, type: kind.STRING, s: utf8.encode(attribute.value) };
    case 'strings':
      return { name, type: kind.STRINGS, strings: attribute.value.map((value) => utf8.encode(value)) };
    case 'tensor':
      return { name, type: kind.TENSOR, t: attribute.value };
  }
}

function valueInfo(name: string, type: ElementType, shape: readonly Dimension[]): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[type],
        shape: {
          dim: shape.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })),
        },
      },
    },
  };
}

export const ML_DOMAIN = 'ai.onnx.ml';
/** ONNX 1.16's operator sets: ai.onnx 21 and ai.onnx.ml 5 (the unified TreeEnsemble), IR version 10. */
export const OPSET = 21;
export const ML_OPSET = 5;
const IR_VERSION = 10;

export interface GraphOutput {
  name: string;
  tensor: string;
  type: ElementType;
  shape: Dimension[];
}

/**
 * Builds one ONNX graph: inputs, constants (initializers, shared when equal), nodes in topological
 * order (each added after its inputs exist), then outputs. Tensor names are generated so they never
 * clash with an input or output name. Whatever the outputs do not depend on, inputs included, is
 * left out of the model.
 */
export class GraphBuilder {
  private readonly nodes: Onnx.INodeProto[] = [];
  private readonly initializers = new Map<string, Onnx.ITensorProto>();
  private readonly constants = new Map<string, string>();
  private readonly inputs: Onnx.IValueInfoProto[] = [];
  private readonly used: Set<string>;
  private count = 0;

  /** `reserved`: names generated ones must avoid (the input and output names). */
  constructor(reserved: readonly string[] = []) {
    this.used = new Set(reserved);
  }

  /**
   * Declares a graph input under exactly this name (reserve it in the constructor, so no generated
   * name takes it). Nodes may refer to an input before it is declared.
   */
  input(name: string, type: ElementType, shape: readonly Dimension[]): string {
    if (this.inputs.some((input) => input.name === name))
      throw new Error(`Input "${name}" is declared twice`);
    this.used.add(name);
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** A constant tensor (an initializer); equal constants are stored once. */
  constant(type: ElementType, values: ArrayLike<number> | readonly string[], dims?: number[]): string {
    const shape = dims ?? [values.length];
    const list = Array.from<number | string>(values);
    // Object.is keeps -0 apart from 0; JSON would not.
    const key = `${type}|${shape.join(',')}|${list.map((value) => (Object.is(value, -0) ? '-0' : JSON.stringify(value))).join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.fresh(`const_${type}`);
    this.initializers.set(name, tensorProto(name, type, values, shape));
    this.constants.set(key, name);
    return name;
  }

  /** A double scalar constant of shape [1], which broadcasts against [N, k]. */
  double(value: number): string {
    return this.constant('double', [value], [1]);
  }

  /** Adds a node and returns its output tensor names. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, Attribute> = {},
    options: { domain?: string; outputs?: number; hint?: string } = {},
  ): string[] {
    const outputs = Array.from({ length: options.outputs ?? 1 }, () =>
      this.fresh(options.hint ?? opType.toLowerCase()),
    );
    this.nodes.push({
      name: `${outputs[0]}_node`,
      opType,
      domain: options.domain ?? '',
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attributes).map(([name, value]) => attributeProto(name, value)),
    });
    return outputs;
  }

  /** Adds a node with one output and returns its name. */
  one(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, Attribute> = {},
    options: { domain?: string; hint?: string } = {},
  ): string {
    const [output = ''] = this.op(opType, inputs, attributes, options);
    return output;
  }

  /** The serialized model; nodes, constants and inputs the outputs do not need are left out. */
  build(outputs: readonly GraphOutput[], metadata: Record<string, string> = {}, doc = ''): Uint8Array {
    const nodes = [...this.nodes];
    for (const output of outputs)
      nodes.push({
        name: `${output.name}_output`,
        opType: 'Identity',
        domain: '',
        input: [output.tensor],
        output: [output.name],
      });
    const needed = new Set(outputs.map((output) => output.name));
    const kept: Onnx.INodeProto[] = [];
    for (const node of [...nodes].reverse()) {
      if (!(node.output ?? []).some((name) => needed.has(name))) continue;
      kept.push(node);
      for (const name of node.input ?? []) if (name) needed.add(name);
    }
    const graph: Onnx.IGraphProto = {
      name: 'pipewright',
      docString: doc,
      node: kept.reverse(),
      input: this.inputs.filter((input) => needed.has(input.name ?? '')),
      initializer: [...this.initializers.values()].filter((tensor) => needed.has(tensor.name ?? '')),
      output: outputs.map((output) => valueInfo(output.name, output.type, output.shape)),
    };
    const model: Onnx.IModelProto = {
      irVersion: IR_VERSION,
      producerName: 'pipewright',
      producerVersion: '1',
      opsetImport: [
        { domain: '', version: OPSET },
        { domain: ML_DOMAIN, version: ML_OPSET },
      ],
      graph,
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }

  private fresh(hint: string): string {
    let name: string;
    do name = `${hint}_${++this.count}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }
}
