/**
 * The plan: what the compiler hands to the workflow. A compiled pipeline is a list of steps in
 * topological order, each with resolved config, its inputs and a cache hash. Types only, so the
 * workflow can import them (through workflows/pipeline.types.ts) without breaking determinism.
 */

export interface PlanStep {
  nodeId: string;
  type: string;
  label: string;
  /** Config with parameters substituted and defaults applied. */
  config: Record<string, unknown>;
  /** For each connected input port, the upstream node and output port feeding it. */
  inputs: Record<string, { nodeId: string; port: string }>;
  dependsOn: string[];
  /** Cache key: node type and version, resolved config and the hashes of its inputs. */
  hash: string;
  activity: { startToClose: string; heartbeat: string; maxAttempts: number };
}

export interface Plan {
  /** Topological order; independent steps may run in parallel up to `maxParallel`. */
  steps: PlanStep[];
  maxParallel: number;
}
