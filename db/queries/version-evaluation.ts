import type { Sql } from '../client';

/**
 * Where a version registered before its evaluation report was kept with it (model_files
 * evaluation.json) finds that report: in the run that registered it. The deploy step's report came
 * from another step of the run (the graph's edge says which); that step's recorded outputs name the
 * report's artifact (its own, or an earlier run's when the step was reused).
 */

/** A run step's outputs as recorded (port → artifact reference; jsonb, checked by the caller). */
export async function findStepOutputs(sql: Sql, runId: string, nodeId: string): Promise<unknown> {
  const [row] = await sql<{ outputs: unknown }[]>`
    select outputs from run_steps where run_id = ${runId} and node_id = ${nodeId}`;
  return row?.outputs;
}
