import { type NodeRunLookup, nodeRun } from '../nodes/runs';
import { nodeSpec } from '../nodes/specs';
import type { SpecLookup } from '../pipeline/graph-checks';

/**
 * The node types a process knows: their specs (for the compiler) and run functions (for the worker).
 * Production passes `productionNodes`; tests build one that adds their test-only nodes, so no
 * production path ever accepts those.
 */
export interface NodeRegistry {
  specOf: SpecLookup;
  runOf: NodeRunLookup;
}

export const productionNodes: NodeRegistry = { specOf: nodeSpec, runOf: nodeRun };
