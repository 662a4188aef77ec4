/**
 * Retraining as a step sees it (NodeContext.retraining): starting a run of another pipeline for the
 * alerts a drift check opened, and recording it on them. The worker implements it on the database
 * and Temporal (workflows/retraining-port.ts), bound to one run and step: the run it starts acts
 * for the monitor's owner, has trigger `monitor`, and is linked from the alerts, never by the node.
 */
export interface RetrainingPort {
  /**
   * The pipeline a retraining would run, by id or by name: whether it can be started, and what its
   * latest saved version makes of these parameters (compiled, not run).
   */
  findTarget(pipeline: string, parameters: Record<string, unknown>): Promise<RetrainTarget>;
  /**
   * Starts the target's latest saved version with these parameters for the given alerts, and
   * records the run on them, holding their rows locked meanwhile. An alert that already has a run
   * gets none started ('already'); a retried attempt of this step gets its first attempt's run.
   */
  startRetraining(request: RetrainRequest): Promise<RetrainOutcome>;
}

export type RetrainTarget =
  | {
      status: 'found';
      pipelineId: string;
      name: string;
      versionId: string;
      version: number;
      /** What stops the version compiling with the parameters (unknown names, wrong types); empty when it compiles. */
      problems: string[];
    }
  | { status: 'no-pipeline' }
  | { status: 'archived'; name: string }
  | { status: 'no-version'; name: string };

export interface RetrainRequest {
  pipeline: string;
  parameters: Record<string, unknown>;
  /** The alerts the check opened at or above the step's threshold. */
  alertIds: readonly string[];
}

export type RetrainOutcome =
  | { status: 'started'; runId: string; pipelineName: string; version: number }
  | { status: 'already'; runId: string }
  /** The target cannot start: gone, archived, unsaved, or its parameters do not compile. */
  | { status: 'refused'; field: 'pipeline' | 'parameters'; message: string };
