/** Shapes shared by the compiler, the workflow, its activities and the code that starts runs. Types only. */

export type PortKind = 'dataset' | 'model' | 'metrics' | 'deployment' | 'report';

export interface ArtifactRef {
  kind: PortKind;
  id: string;
  uri: string;
}

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

/** Outputs of a step from an earlier run with the same hash, used instead of running it again. */
export interface ReusedStep {
  fromRunId: string;
  outputs: Record<string, ArtifactRef>;
}

export interface PipelineWorkflowInput {
  runId: string;
  plan: Plan;
  reuse?: Record<string, ReusedStep>;
}

export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'cached';

export interface RunResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  error?: string;
  steps: Record<string, StepState>;
}

export interface RunStatusSnapshot {
  steps: Record<string, StepState>;
}

export interface StepOutcome {
  outputs: Record<string, ArtifactRef>;
}

export type FinalStepStatus = 'failed' | 'skipped' | 'cancelled' | 'cached';

export interface PipelineActivities {
  markRun(input: { runId: string; status: 'running' | RunResult['status']; error?: string }): Promise<void>;
  markSteps(input: {
    runId: string;
    nodeIds: string[];
    status: FinalStepStatus;
    message?: string;
    reusedFromRunId?: string;
  }): Promise<void>;
  runNode(input: {
    runId: string;
    step: PlanStep;
    inputs: Record<string, ArtifactRef>;
  }): Promise<StepOutcome>;
}
