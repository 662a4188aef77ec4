import { and, eq, inArray, isNull, lt, ne, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../client';
import { appSettings, artifacts, modelVersions, pipelines, runSteps, runs } from '../schema';

/** The retention period in days; null: run files are kept forever. */
export async function retentionDays(db: Database): Promise<number | null> {
  const [row] = await db.select({ days: appSettings.retentionDays }).from(appSettings);
  return row?.days ?? null;
}

/** Sets the retention period (null keeps files forever). */
export async function setRetentionDays(db: Database, days: number | null): Promise<void> {
  const values = { retentionDays: days, updatedAt: new Date() };
  await db
    .insert(appSettings)
    .values({ single: true, ...values })
    .onConflictDoUpdate({ target: appSettings.single, set: values });
}

/** An artifact whose files retention may delete. */
export interface ExpiredArtifact {
  id: string;
  runId: string;
  uri: string;
  /** Bytes of the file, as recorded. */
  bytes: number;
  /** The files recorded beside it (jsonb: checked by the reader). */
  companions: unknown;
}

const reusingSteps = alias(runSteps, 'reusing_steps');
const reusingRuns = alias(runs, 'reusing_runs');

/** Runs in these states are over: their files are no longer being written or read by the run. */
const finishedStatuses = ['succeeded', 'failed', 'cancelled'] as const;

/**
 * Dataset and model artifacts of runs that finished before `cutoff` whose files are still kept. Left out: the
 * outputs of a step that a model version was registered from (its run and node), though the
 * version's own files are copied into PostgreSQL at registration, so a version never depends on
 * them: keeping them costs little and keeps the version's run whole. Also left out: the outputs of
 * a run that a queued or running run reuses.
 */
export async function expiredArtifacts(
  db: Database,
  cutoff: Date,
  limit: number,
): Promise<ExpiredArtifact[]> {
  return db
    .select({
      id: artifacts.id,
      runId: artifacts.runId,
      uri: artifacts.uri,
      bytes: artifacts.bytes,
      companions: artifacts.companions,
    })
    .from(artifacts)
    .innerJoin(runs, eq(runs.id, artifacts.runId))
    .leftJoin(runSteps, eq(runSteps.id, artifacts.stepId))
    .where(
      and(
        isNull(artifacts.deletedAt),
        // Datasets and models are the bulk; evaluation reports are small and are what an old run's
        // page still shows (its metrics, curves and gates), so they are kept.
        ne(artifacts.kind, 'report'),
        inArray(runs.status, [...finishedStatuses]),
        lt(runs.finishedAt, cutoff),
        notExists(
          db
            .select({ one: sql`1` })
            .from(modelVersions)
            .where(and(eq(modelVersions.runId, artifacts.runId), eq(modelVersions.nodeId, runSteps.nodeId))),
        ),
        // A run under way may be reusing this run's outputs: they are read until it ends.
        notExists(
          db
            .select({ one: sql`1` })
            .from(reusingSteps)
            .innerJoin(reusingRuns, eq(reusingRuns.id, reusingSteps.runId))
            .where(
              and(
                eq(reusingSteps.reusedFromRunId, artifacts.runId),
                inArray(reusingRuns.status, ['queued', 'running']),
              ),
            ),
        ),
      ),
    )
    .orderBy(artifacts.createdAt, artifacts.id)
    .limit(limit);
}

/** Marks artifacts' files as deleted by retention; their rows stay. */
export async function markDeletedByRetention(db: Database, artifactIds: string[], at: Date): Promise<void> {
  if (artifactIds.length === 0) return;
  await db
    .update(artifacts)
    .set({ deletedAt: at })
    .where(and(inArray(artifacts.id, artifactIds), isNull(artifacts.deletedAt)));
}

export interface PipelineDiskUse {
  pipelineId: string;
  pipelineName: string;
  /** Bytes of the kept files of its runs: artifacts and the files recorded beside them. */
  bytes: number;
  /** Artifacts whose files are kept. */
  files: number;
}

/**
 * Bytes each pipeline's runs keep on disk, from the sizes the artifact rows recorded (each row's
 * file plus its companions), largest first. Pipelines with no kept file are left out.
 */
export async function diskUseByPipeline(db: Database): Promise<PipelineDiskUse[]> {
  const companionBytes = sql<number>`coalesce((select sum((c->>'bytes')::bigint) from jsonb_array_elements(case when jsonb_typeof(${artifacts.companions}) = 'array' then ${artifacts.companions} else '[]'::jsonb end) c), 0)`;
  const rows = await db
    .select({
      pipelineId: pipelines.id,
      pipelineName: pipelines.name,
      bytes: sql<string>`sum(${artifacts.bytes} + ${companionBytes})`,
      files: sql<string>`count(*)`,
    })
    .from(artifacts)
    .innerJoin(runs, eq(runs.id, artifacts.runId))
    .innerJoin(pipelines, eq(pipelines.id, runs.pipelineId))
    .where(isNull(artifacts.deletedAt))
    .groupBy(pipelines.id, pipelines.name)
    .orderBy(sql`3 desc`, pipelines.name);
  return rows.map((row) => ({
    pipelineId: row.pipelineId,
    pipelineName: row.pipelineName,
    bytes: Number(row.bytes),
    files: Number(row.files),
  }));
}
