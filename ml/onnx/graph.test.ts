import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../tests/support/ort';
import { GraphBuilder } from './graph';

const { onnx } = onnxProto;

describe('GraphBuilder', () => {
  it('writes a model onnxruntime runs, leaving out what the outputs do not need', async () => {
    const graph = new GraphBuilder(['a', 'unused', 'y']);
    graph.input('a', 'double', ['N', 1]);
    graph.input('unused', 'double', ['N', 1]);
    const two = graph.double(2);
    expect(graph.double(2)).toBe(two);
    graph.one('Mul', ['unused', graph.double(3)]);
    const y = graph.one('Add', ['a', two]);
    const bytes = graph.build([{ name: 'y', tensor: y, type: 'double', shape: ['N', 1] }], { note: 'x' });

    const model = onnx.ModelProto.decode(bytes);
    expect(model.opsetImport.map(({ domain, version }) => [domain, Number(version)])).toEqual([
      ['', 21],
      ['ai.onnx.ml', 5],
    ]);
    expect((model.graph?.input ?? []).map((input) => input.name)).toEqual(['a']);
    expect((model.graph?.node ?? []).map((node) => node.opType)).toEqual(['Add', 'Identity']);
    expect((model.graph?.initializer ?? []).map((tensor) => tensor.doubleData)).toEqual([[2]]);
    expect(model.metadataProps.map(({ key, value }) => [key, value])).toEqual([['note', 'x']]);

    const { y: out } = await runGraph(bytes, { a: [1, Number.NaN] });
    expect(out?.data).toEqual([3, Number.NaN]);
  });

  it('never generates a name that is reserved', () => {
    const graph = new GraphBuilder(['add_1', 'const_double_2']);
    expect(graph.one('Add', ['x', 'x'])).not.toBe('add_1');
    expect(graph.double(1)).not.toBe('const_double_2');
    expect(() => {
      graph.input('x', 'double', [1]);
      graph.input('x', 'double', [1]);
    }).toThrow('Input "x" is declared twice');
  });
});
