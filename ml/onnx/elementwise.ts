import type { GraphBuilder } from './graph';
import { isMissing, where } from './ops';

/**
 * The numeric steps that work value by value with constants of their own: a column's chain of them
 * is kept symbolic, so that columns going through the same kinds of steps (impute then standardize,
 * say) are computed together on one [N, k] tensor, with a [1, k] constant per step, instead of a
 * few nodes per column. Element by element the operations are the same, so are the results.
 */
export type Elementwise =
  /** coalesce(x, value). */
  | { op: 'fill'; value: number }
  /**
   * greatest(least(x, upper), lower). DuckDB's least and greatest skip NULL, so a missing value
   * comes out as greatest(upper, lower): the SQL fills it with the upper bound, and so does this.
   */
  | { op: 'clip'; lower: number; upper: number }
  /** (x − subtract) / divide: standardize, min-max. */
  | { op: 'scale'; subtract: number; divide: number }
  /** ln(1 + x). The data node refuses x <= −1 (DuckDB fails on them); the graph gives −inf or NaN. */
  | { op: 'log1p' }
  /** √x. The data node refuses x < 0 (DuckDB fails on them); the graph gives NaN. */
  | { op: 'sqrt' };

/** The kinds of steps in a chain: chains with the same signature are computed together. */
export function signature(chain: readonly Elementwise[]): string {
  return chain.map((step) => step.op).join('>');
}

/**
 * Applies the chains to x ([N, k], column j going through chains[j]); every chain has the same
 * signature. Returns [N, k].
 */
export function applyChains(
  graph: GraphBuilder,
  x: string,
  chains: readonly (readonly Elementwise[])[],
): string {
  const [first = []] = chains;
  let current = x;
  for (const [position, step] of first.entries()) {
    const steps = chains.map((chain) => chain[position] ?? step);
    /** One constant per column: a scalar for one column, else [1, k]. */
    const constant = <S extends Elementwise>(value: (step: S) => number) =>
      steps.length === 1
        ? graph.double(value(steps[0] as S))
        : graph.constant(
            'double',
            steps.map((s) => value(s as S)),
            [1, steps.length],
          );
    switch (step.op) {
      case 'fill':
        current = where(
          graph,
          isMissing(graph, current),
          constant<Extract<Elementwise, { op: 'fill' }>>((s) => s.value),
          current,
        );
        break;
      case 'clip': {
        type Clip = Extract<Elementwise, { op: 'clip' }>;
        const clipped = graph.one('Max', [
          graph.one('Min', [current, constant<Clip>((s) => s.upper)]),
          constant<Clip>((s) => s.lower),
        ]);
        // A missing value stays missing, as the clean node's SQL leaves it.
        current = where(graph, isMissing(graph, current), current, clipped);
        break;
      }
      case 'scale': {
        type Scale = Extract<Elementwise, { op: 'scale' }>;
        current = graph.one('Div', [
          graph.one('Sub', [current, constant<Scale>((s) => s.subtract)]),
          constant<Scale>((s) => s.divide),
        ]);
        break;
      }
      case 'log1p':
        current = graph.one('Log', [graph.one('Add', [graph.double(1), current])]);
        break;
      case 'sqrt':
        current = graph.one('Sqrt', [current]);
        break;
    }
  }
  return current;
}
