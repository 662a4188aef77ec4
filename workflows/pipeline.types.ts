/** Shapes shared by the compiler, the workflow, its activities and the code that starts runs. Types only. */

// The plan and the artifact reference are defined where they are made (the compiler, the node kit);
// the workflow sees them only as types, re-exported here so it imports nothing with runtime code.
export type { ArtifactRef } from '../nodes/_kit/artifact-ref';
export type { PortKind } from '../nodes/_kit/ports';
export type { Plan, PlanStep } from '../pipeline/plan';
// What the workflow returns is read back by code outside it, so it is a schema there.
export type { RunResult, StepState } from './run-result-schema';

import type { ArtifactRef } from '../nodes/_kit/artifact-ref';
import type { Plan, PlanStep } from '../pipeline/plan';
import type { RunResult, StepState } from './run-result-schema';

/** Outputs of a step from an earlier run with the same hash, used instead of running it again. */
export interface ReusedStep {
  fromRunId: string;
  outputs: Record<string, ArtifactRef>;
}

export interface PipelineWorkflowInput {
  runId: string;
  plan: Plan;
  reuse?: Record<string, ReusedStep>;
  /** Attempts per bookkeeping write before the run ends failed; tests shorten it. */
  bookkeepingAttempts?: number;
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
