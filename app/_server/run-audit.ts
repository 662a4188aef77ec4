import { getPipeline } from '../../db/queries/pipelines';
import { type AuditedCall, recordAction } from './audit-trail';

/** What the audit log records about runs; tRPC (start, cancel, re-run) and the REST API (start, cancel) share it. */
export type RunAction = 'run.started' | 'run.cancelled' | 'run.rerun';

/** An entry about a run: its object is the run, labelled with its pipeline's name (copied, as it is now). */
export async function recordRunAction(
  ctx: AuditedCall,
  action: RunAction,
  runId: string,
  pipelineId: string,
  details: Record<string, unknown>,
): Promise<void> {
  const pipeline = await getPipeline(ctx.services.db, pipelineId);
  await recordAction(ctx, {
    action,
    objectType: 'run',
    objectId: runId,
    objectLabel: pipeline?.name ?? null,
    details: { pipelineId, ...details },
  });
}
