import type { KnownColumns } from '../nodes/_kit/known-columns';
import type { PipelineEdge, PipelineNode } from './document';
import { describeNode, type SpecLookup } from './graph-checks';
import type { CompileProblem } from './problems';

/**
 * Walks the steps in order, asking each node type what columns it will output given its inputs'
 * columns, so a misspelt column is reported on its node and field before anything runs. Returns the
 * columns known at each node's inputs, for the editor's column pickers.
 */
export function checkColumns(
  ordered: PipelineNode[],
  edgesByTarget: Map<string, PipelineEdge[]>,
  configs: Map<string, Record<string, unknown>>,
  specOf: SpecLookup,
  problems: CompileProblem[],
): Record<string, Record<string, KnownColumns>> {
  /** Each node's inferred outputs, by port. */
  const known = new Map<string, Record<string, KnownColumns>>();
  const columnsAt = (edge: PipelineEdge): KnownColumns => {
    const outputs = known.get(edge.source.node);
    return outputs && Object.hasOwn(outputs, edge.source.port) ? outputs[edge.source.port] : undefined;
  };
  /** Entries, not a Map: they only become the returned record. */
  const inputColumns: [string, Record<string, KnownColumns>][] = [];
  for (const node of ordered) {
    const spec = specOf(node.type);
    const config = configs.get(node.id);
    // fromEntries defines own properties: a port or node named "__proto__" stays a key.
    const inputs = Object.fromEntries(
      (edgesByTarget.get(node.id) ?? []).map((edge) => [edge.target.port, columnsAt(edge)]),
    );
    inputColumns.push([node.id, inputs]);
    if (!spec?.inferColumns || !config) continue;
    // The config was parsed (defaults applied) by resolveConfigs; parsing it again per node doubled the cost.
    const inferred = spec.inferColumns(config, inputs);
    known.set(node.id, inferred.outputs);
    for (const problem of inferred.problems) {
      problems.push({
        code: problem.code ?? 'unknown-column',
        severity: 'error',
        nodeId: node.id,
        field: problem.field,
        message: `${describeNode(node)}: ${problem.message}`,
      });
    }
  }
  return Object.fromEntries(inputColumns);
}
