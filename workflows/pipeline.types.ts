/** Shapes shared by the workflow, its activities and the code that starts runs. Types only. */

export interface PlanStep {
  nodeId: string;
  nodeType: string;
  dependsOn: string[];
  config: Record<string, unknown>;
}

export interface PipelineWorkflowInput {
  runId: string;
  steps: PlanStep[];
}

export type RunOutcome = { status: 'succeeded' } | { status: 'failed'; error: string };

export interface PipelineActivities {
  markRunStarted(runId: string): Promise<void>;
  runStep(input: { runId: string; step: PlanStep }): Promise<void>;
  markRunFinished(input: { runId: string; outcome: RunOutcome }): Promise<void>;
}
