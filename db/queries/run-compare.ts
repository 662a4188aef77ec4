import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../client';
import { pipelines, pipelineVersions, runSteps, runs } from '../schema';

/**
 * Some runs with their pipeline, version number and the version's parameter declarations (whose
 * defaults fill the values a run was not given), in no particular order: the caller orders them.
 */
export async function runsForComparison(db: Database, runIds: string[]) {
  if (runIds.length === 0) return [];
  return db
    .select({
      id: runs.id,
      pipelineId: runs.pipelineId,
      pipelineName: pipelines.name,
      versionId: runs.pipelineVersionId,
      version: pipelineVersions.version,
      trigger: runs.trigger,
      status: runs.status,
      parameters: runs.parameters,
      declaredParameters: sql<unknown>`${pipelineVersions.graph} -> 'parameters'`,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      mainMetricName: runs.mainMetricName,
      mainMetricValue: runs.mainMetricValue,
    })
    .from(runs)
    .innerJoin(pipelines, eq(pipelines.id, runs.pipelineId))
    .innerJoin(pipelineVersions, eq(pipelineVersions.id, runs.pipelineVersionId))
    .where(inArray(runs.id, runIds));
}

/**
 * The steps of some runs in the order they started, each with the summary that describes its
 * outputs: a step reused from an earlier run stores none of its own and reads the one it was
 * reused from, as the run history does.
 */
export async function stepsForComparison(db: Database, runIds: string[]) {
  if (runIds.length === 0) return [];
  const source = alias(runSteps, 'source_step');
  return db
    .select({
      runId: runSteps.runId,
      nodeId: runSteps.nodeId,
      nodeType: runSteps.nodeType,
      status: runSteps.status,
      attempt: runSteps.attempt,
      startedAt: runSteps.startedAt,
      finishedAt: runSteps.finishedAt,
      summary: sql<unknown>`coalesce(${runSteps.outputSummary}, ${source.outputSummary})`,
    })
    .from(runSteps)
    .leftJoin(source, and(eq(source.runId, runSteps.reusedFromRunId), eq(source.nodeId, runSteps.nodeId)))
    .where(inArray(runSteps.runId, runIds))
    .orderBy(asc(runSteps.startedAt), asc(runSteps.nodeId));
}
