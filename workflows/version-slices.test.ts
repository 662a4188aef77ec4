import { describe, expect, it } from 'vitest';
import { evaluateSlicesOf } from './version-slices';

const slice = { name: 'older', condition: { column: 'age', operator: '>', value: 50 } };

function graph(evaluateConfig: unknown, evaluateType = 'evaluate') {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'train', type: 'train', config: {} },
      { id: 'check', type: evaluateType, config: evaluateConfig },
      { id: 'other', type: 'evaluate', config: { slices: [{ ...slice, name: 'not this one' }] } },
      { id: 'ship', type: 'deploy', config: {} },
    ],
    edges: [
      { id: 'a', source: { node: 'train', port: 'model' }, target: { node: 'ship', port: 'model' } },
      { id: 'b', source: { node: 'check', port: 'report' }, target: { node: 'ship', port: 'report' } },
    ],
  };
}

describe('evaluateSlicesOf', () => {
  it("reads the slices of the evaluate node whose report reaches the deploy node, not another's", () => {
    expect(evaluateSlicesOf(graph({ slices: [slice], gates: [] }), 'ship')).toEqual([slice]);
  });

  it('gives none for another deploy node, a source that is not evaluate, or a graph it cannot read', () => {
    expect(evaluateSlicesOf(graph({ slices: [slice] }), 'train')).toEqual([]);
    expect(evaluateSlicesOf(graph({ slices: [slice] }, 'filter'), 'ship')).toEqual([]);
    expect(evaluateSlicesOf(undefined, 'ship')).toEqual([]);
    expect(evaluateSlicesOf({ nodes: 'nope' }, 'ship')).toEqual([]);
  });

  it('leaves out a slice that is not plain values (a run parameter) and keeps the rest', () => {
    const fromParameter = { name: 'by parameter', condition: { $param: 'segment' } };
    expect(evaluateSlicesOf(graph({ slices: [fromParameter, slice] }), 'ship')).toEqual([slice]);
  });
});
