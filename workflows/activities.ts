import { Context } from '@temporalio/activity';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { runSteps, runs } from '../db/schema';
import type { PipelineActivities, PlanStep } from './pipeline.types';

/** Activities built from their dependencies, so tests and the worker pass their own database. */
export function createActivities(deps: { db: Database }): PipelineActivities {
  const { db } = deps;
  return {
    async markRunStarted(runId) {
      await db.update(runs).set({ status: 'running' }).where(eq(runs.id, runId));
    },

    async runStep({ runId, step }) {
      const attempt = Context.current().info.attempt;
      await upsertStep(db, runId, step, { status: 'running', attempt, startedAt: new Date() });
      // Node run functions arrive with the pipeline engine; until then every step is a no-op.
      await db
        .update(runSteps)
        .set({ status: 'succeeded', progress: 1, finishedAt: new Date() })
        .where(and(eq(runSteps.runId, runId), eq(runSteps.nodeId, step.nodeId)));
    },

    async markRunFinished({ runId, outcome }) {
      await db
        .update(runs)
        .set({
          status: outcome.status,
          finishedAt: new Date(),
          error: outcome.status === 'failed' ? outcome.error : null,
        })
        .where(eq(runs.id, runId));
    },
  };
}

type StepChange = Partial<typeof runSteps.$inferInsert>;

/** One row per (run, node) whatever the attempt: a retried activity updates instead of inserting. */
async function upsertStep(db: Database, runId: string, step: PlanStep, change: StepChange): Promise<void> {
  await db
    .insert(runSteps)
    .values({ runId, nodeId: step.nodeId, nodeType: step.nodeType, ...change })
    .onConflictDoUpdate({ target: [runSteps.runId, runSteps.nodeId], set: change });
}
