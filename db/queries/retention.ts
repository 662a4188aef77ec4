import { and, eq, inArray, isNull, lt, notExists, notInArray, sql } from 'drizzle-orm';
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
  createdAt: Date;
}

/**
 * Where a pass has got to in the walk of kept files, oldest first: the last row looked at. created_at
 * is stored to the millisecond (precision 3), so a Date carries it exactly.
 */
export interface RetentionCursor {
  createdAt: Date;
  id: string;
}

const reusingSteps = alias(runSteps, 'reusing_steps');
const reusingRuns = alias(runs, 'reusing_runs');

/** Runs in these states are over: their files are no longer being written or read by the run. */
const finishedStatuses = ['succeeded', 'failed', 'cancelled'] as const;

const expiredColumns = {
  id: artifacts.id,
  runId: artifacts.runId,
  uri: artifacts.uri,
  bytes: artifacts.bytes,
  companions: artifacts.companions,
  createdAt: artifacts.createdAt,
};

/**
 * What makes a kept artifact's files retention's to delete (the query joins runs and run_steps).
 * Left out: the outputs of a step that a model version was registered from (its run and node),
 * though the version's own files are copied into PostgreSQL at registration, so a version never
 * depends on them: keeping them costs little and keeps the version's run whole. Also left out: the
 * outputs of a run that a queued or running run reuses (recorded with the queued run's steps).
 */
function expiredConditions(db: Pick<Database, 'select'>, cutoff: Date) {
  return and(
    isNull(artifacts.deletedAt),
    // Datasets and models are the bulk; evaluation and drift reports are small and are what an old
    // run's page still shows (its metrics, curves, gates and drift), so they are kept.
    notInArray(artifacts.kind, ['report', 'drift']),
    inArray(runs.status, [...finishedStatuses]),
    lt(runs.finishedAt, cutoff),
    notExists(
      db
        .select({ one: sql`1` })
        .from(modelVersions)
        .where(and(eq(modelVersions.runId, artifacts.runId), eq(modelVersions.nodeId, runSteps.nodeId))),
    ),
    // A run under way, or queued, may be reusing this run's outputs: they are read until it ends.
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
  );
}

/**
 * The next `limit` dataset and model artifacts, after `after` in (created_at, id) order, of runs
 * that finished before `cutoff` and whose files are still kept (see expiredConditions). Keyset on
 * artifacts_kept_idx: each slice starts where the last one ended instead of scanning from the start.
 */
export async function expiredArtifacts(
  db: Database,
  input: { cutoff: Date; after: RetentionCursor | null; limit: number },
): Promise<ExpiredArtifact[]> {
  const after = input.after;
  return db
    .select(expiredColumns)
    .from(artifacts)
    .innerJoin(runs, eq(runs.id, artifacts.runId))
    .leftJoin(runSteps, eq(runSteps.id, artifacts.stepId))
    .where(
      and(
        expiredConditions(db, input.cutoff),
        after
          ? sql`(${artifacts.createdAt}, ${artifacts.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(artifacts.createdAt, artifacts.id)
    .limit(input.limit);
}

/**
 * Marks artifacts' files deleted by retention at `at`, before their files are deleted, and answers
 * the rows it marked; their rows stay. The rows are locked first, then the conditions are checked
 * again in a statement that sees everything committed until the locks were held: a run queued since
 * the rows were listed, reusing them, keeps them. A run being recorded holds these rows (FOR SHARE,
 * insertRun), so it is either committed before the check or sees the mark and refuses the reuse.
 */
export async function markDeletedByRetention(
  db: Database,
  input: { ids: string[]; cutoff: Date; at: Date },
): Promise<ExpiredArtifact[]> {
  if (input.ids.length === 0) return [];
  return db.transaction(async (tx) => {
    const locked = await tx
      .select({ id: artifacts.id })
      .from(artifacts)
      .where(and(inArray(artifacts.id, input.ids), isNull(artifacts.deletedAt)))
      .orderBy(artifacts.id)
      .for('update');
    if (locked.length === 0) return [];
    const stillExpired = tx
      .select({ id: artifacts.id })
      .from(artifacts)
      .innerJoin(runs, eq(runs.id, artifacts.runId))
      .leftJoin(runSteps, eq(runSteps.id, artifacts.stepId))
      .where(
        and(
          inArray(
            artifacts.id,
            locked.map((row) => row.id),
          ),
          expiredConditions(tx, input.cutoff),
        ),
      );
    return tx
      .update(artifacts)
      .set({ deletedAt: input.at })
      .where(inArray(artifacts.id, stillExpired))
      .returning(expiredColumns);
  });
}

/**
 * Rows a pass marked at `at` after `after` (all of them when null): on a retry of the pass, the
 * slice the failed attempt was in may have rows marked whose files were not yet deleted.
 */
export async function markedByPass(
  db: Database,
  input: { at: Date; after: RetentionCursor | null },
): Promise<ExpiredArtifact[]> {
  const after = input.after;
  return db
    .select(expiredColumns)
    .from(artifacts)
    .where(
      and(
        eq(artifacts.deletedAt, input.at),
        after
          ? sql`(${artifacts.createdAt}, ${artifacts.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(artifacts.createdAt, artifacts.id);
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
