import { castTo } from './columns';
import type { GraphBuilder } from './graph';

/** Small node patterns the transforms and models share. */

export function isMissing(graph: GraphBuilder, x: string): string {
  return graph.one('IsNaN', [x]);
}

export function where(graph: GraphBuilder, condition: string, whenTrue: string, whenFalse: string): string {
  return graph.one('Where', [condition, whenTrue, whenFalse]);
}

export function toDouble(graph: GraphBuilder, x: string): string {
  return graph.one('Cast', [x], castTo('double'));
}

export function toFloat(graph: GraphBuilder, x: string): string {
  return graph.one('Cast', [x], castTo('float'));
}

/** [N, 1] tensors side by side: [N, k]. */
export function concatColumns(graph: GraphBuilder, columns: readonly string[]): string {
  if (columns.length === 1) return columns[0] ?? '';
  return graph.one('Concat', columns, { axis: { type: 'int', value: 1 } });
}

/** An [N, k] tensor as k tensors of [N, 1]. */
export function splitColumns(graph: GraphBuilder, x: string, count: number): string[] {
  if (count === 1) return [x];
  return graph.op(
    'Split',
    [x, graph.constant('int64', new Array(count).fill(1))],
    { axis: { type: 'int', value: 1 } },
    {
      outputs: count,
    },
  );
}
