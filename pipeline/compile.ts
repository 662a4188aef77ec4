import type { KnownColumns } from '../nodes/_kit/known-columns';
import { nodeSpec } from '../nodes/specs';
import { type BuiltInValues, builtInParameters, resolveBuiltIns, splitBuiltIns } from './built-in-parameters';
import { checkColumns } from './column-checks';
import { resolveConfigs, resolveParameterValues } from './config-checks';
import type { PipelineDocument, PipelineEdge, PipelineNode } from './document';
import {
  checkCycles,
  checkEdges,
  checkNodeTypes,
  checkRequiredInputs,
  indexNodes,
  type SpecLookup,
  warnDisconnected,
} from './graph-checks';
import { hashValue } from './hash';
import type { Plan, PlanStep } from './plan';
import { type CompileProblem, hasErrors } from './problems';

export interface CompileOptions {
  /** Values for pipeline parameters; defaults fill the rest. */
  parameterValues?: Record<string, unknown>;
  /** Starting a run: every parameter must then have a value. */
  requireValues?: boolean;
  /**
   * Built-in parameters known to the caller ($scheduledTime: the run's scheduled or start time). A
   * value for one in parameterValues wins: a re-run passes its run's stored values back.
   */
  builtInValues?: BuiltInValues;
  /** Steps that may run at once. */
  maxParallel?: number;
  specOf?: SpecLookup;
}

export interface CompileResult {
  problems: CompileProblem[];
  /** Per node and input port, the columns known to arrive there (undefined where unknown). */
  inputColumns: Record<string, Record<string, KnownColumns>>;
  /** Present only when there is no error (warnings allowed). */
  plan?: Plan;
}

/** Checks a pipeline and turns it into a plan. Pure: the API, the CLI, the editor and the worker share it. */
export function compilePipeline(document: PipelineDocument, options: CompileOptions = {}): CompileResult {
  const specOf = options.specOf ?? nodeSpec;
  const problems: CompileProblem[] = [];
  const nodes = indexNodes(document, problems);
  checkNodeTypes(nodes, specOf, problems);
  const edgesByTarget = checkEdges(document, nodes, specOf, problems);
  checkRequiredInputs(nodes, edgesByTarget, specOf, problems);
  const ordered = orderSteps(nodes, edgesByTarget);
  // Only nodes on or after a loop stay unordered: a pipeline without one skips the search.
  if (ordered.length < nodes.size) checkCycles(nodes, edgesByTarget, problems);
  const given = splitBuiltIns(options.parameterValues ?? {});
  const requireValues = options.requireValues ?? false;
  const values = resolveParameterValues(document, given.declared, requireValues, problems);
  resolveBuiltIns(
    nodes.values(),
    given.builtIns,
    options.builtInValues ?? {},
    requireValues,
    values,
    problems,
  );
  const declared = new Set([...document.parameters.map((parameter) => parameter.name), ...builtInParameters]);
  const configs = resolveConfigs(nodes, declared, values, specOf, problems);
  const inputColumns = checkColumns(ordered, edgesByTarget, configs, specOf, problems);
  warnDisconnected(document, nodes, problems);
  if (hasErrors(problems)) return { problems, inputColumns };
  // In order, so each step's inputs are hashed before it: a step's hash covers its upstream's.
  const hashes = new Map<string, string>();
  const planSteps = ordered.map((node) => {
    const edges = edgesByTarget.get(node.id) ?? [];
    const step = buildStep(node, edges, configs.get(node.id) ?? {}, hashes, specOf);
    hashes.set(node.id, step.hash);
    return step;
  });
  return { problems, inputColumns, plan: { steps: planSteps, maxParallel: options.maxParallel ?? 4 } };
}

/**
 * Kahn's algorithm in rounds: each round takes every node whose inputs are all done, in document
 * order, so the same pipeline gives the same plan. Counting remaining inputs per node (instead of
 * rescanning every node each round) keeps it linear in nodes plus edges.
 */
function orderSteps(
  nodes: Map<string, PipelineNode>,
  edgesByTarget: Map<string, PipelineEdge[]>,
): PipelineNode[] {
  // Nodes by their place in the document, and everything below in arrays by that place: sorting a
  // round by place is then sorting numbers, and no step looks an id up more than once.
  const list = [...nodes.values()];
  const place = new Map(list.map((node, index) => [node.id, index]));
  // Counted per edge, not per upstream node: two edges from one node are two inputs to wait for,
  // and each is ticked off once when that node is done.
  const waitingOn = list.map((node) => edgesByTarget.get(node.id)?.length ?? 0);
  const dependents: number[][] = list.map(() => []);
  list.forEach((node, index) => {
    for (const edge of edgesByTarget.get(node.id) ?? []) {
      const source = place.get(edge.source.node);
      if (source !== undefined) dependents[source]?.push(index);
    }
  });
  const ordered: PipelineNode[] = [];
  let round = [...waitingOn.keys()].filter((index) => waitingOn[index] === 0);
  // Nodes on or after a loop never become ready: compilePipeline then looks for the loop.
  while (round.length > 0) {
    const next: number[] = [];
    for (const index of round) {
      const node = list[index];
      if (node) ordered.push(node);
      for (const dependent of dependents[index] ?? []) {
        const left = (waitingOn[dependent] ?? 0) - 1;
        waitingOn[dependent] = left;
        if (left === 0) next.push(dependent);
      }
    }
    // A chain readies one node per round: sorting a list of one still cost a sort call each time.
    round = next.length > 1 ? next.sort((a, b) => a - b) : next;
  }
  return ordered;
}

function buildStep(
  node: PipelineNode,
  edges: PipelineEdge[],
  config: Record<string, unknown>,
  hashes: Map<string, string>,
  specOf: SpecLookup,
): PlanStep {
  const spec = specOf(node.type);
  if (!spec) throw new Error(`unreachable: node ${node.id} has no spec`);
  const inputs = Object.fromEntries(
    edges.map((edge) => [edge.target.port, { nodeId: edge.source.node, port: edge.source.port }]),
  );
  const inputHashes = Object.fromEntries(
    edges.map((edge) => [edge.target.port, { hash: hashes.get(edge.source.node), port: edge.source.port }]),
  );
  const timeout = node.execution?.timeoutMinutes;
  return {
    nodeId: node.id,
    type: node.type,
    label: node.label || spec.title,
    config,
    inputs,
    dependsOn: [...new Set(edges.map((edge) => edge.source.node))],
    hash: hashValue({ type: node.type, version: spec.version, config, inputs: inputHashes }),
    activity: {
      startToClose: timeout === undefined ? spec.execution.startToClose : `${timeout} minutes`,
      heartbeat: spec.execution.heartbeat,
      maxAttempts: node.execution?.maxAttempts ?? spec.execution.maxAttempts,
    },
  };
}
