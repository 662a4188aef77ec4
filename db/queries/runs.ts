import { and, asc, DrizzleQueryError, desc, eq, gte, inArray, lt, lte } from 'drizzle-orm';
import type { Database } from '../client';
import {
  artifacts,
  pipelines,
  pipelineVersions,
  type RunStatus,
  type RunTrigger,
  runEvents,
  runSteps,
  runs,
  user,
} from '../schema';
import { afterCursor, newestFirst } from './keyset';
import { appendRunStartEvents, type RunStartEvent } from './run-events';

export interface ListRunsInput {
  pipelineId?: string;
  statuses?: RunStatus[];
  from?: Date;
  to?: Date;
  limit: number;
  /** The last row of the previous page. */
  cursor?: { startedAt: Date; id: string };
}

/**
 * Newest first, served by the (pipeline, started_at) and (status, started_at) indexes; the query
 * apart so a test can EXPLAIN it (tests/retention.test.ts checks the index is walked, not sorted).
 */
export function listRunsQuery(db: Pick<Database, 'select'>, input: ListRunsInput) {
  return db
    .select({
      id: runs.id,
      pipelineId: runs.pipelineId,
      pipelineName: pipelines.name,
      version: pipelineVersions.version,
      trigger: runs.trigger,
      status: runs.status,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      error: runs.error,
      /** Who started it; null for runs from before accounts and for the CLI's local runs. */
      startedByEmail: user.email,
      /** As stored when its evaluate steps finished (db/queries/run-state.ts); null without one. */
      mainMetricName: runs.mainMetricName,
      mainMetricValue: runs.mainMetricValue,
    })
    .from(runs)
    .innerJoin(pipelines, eq(pipelines.id, runs.pipelineId))
    .innerJoin(pipelineVersions, eq(pipelineVersions.id, runs.pipelineVersionId))
    .leftJoin(user, eq(user.id, runs.startedBy))
    .where(
      and(
        input.pipelineId ? eq(runs.pipelineId, input.pipelineId) : undefined,
        input.statuses?.length ? inArray(runs.status, input.statuses) : undefined,
        input.from ? gte(runs.startedAt, input.from) : undefined,
        input.to ? lte(runs.startedAt, input.to) : undefined,
        afterCursor(
          runs.startedAt,
          runs.id,
          input.cursor && { at: input.cursor.startedAt, id: input.cursor.id },
        ),
      ),
    )
    .orderBy(...newestFirst(runs.startedAt, runs.id))
    .limit(input.limit);
}

export async function listRuns(db: Database, input: ListRunsInput) {
  return listRunsQuery(db, input);
}

/** The newest run of each pipeline, for the pipeline list's "last run" column. */
export async function latestRunOfEach(
  db: Database,
  pipelineIds: string[],
): Promise<Map<string, { id: string; status: RunStatus; startedAt: Date }>> {
  const latest = new Map<string, { id: string; status: RunStatus; startedAt: Date }>();
  if (pipelineIds.length === 0) return latest;
  const rows = await db
    .selectDistinctOn([runs.pipelineId], {
      pipelineId: runs.pipelineId,
      id: runs.id,
      status: runs.status,
      startedAt: runs.startedAt,
    })
    .from(runs)
    .where(inArray(runs.pipelineId, pipelineIds))
    .orderBy(runs.pipelineId, desc(runs.startedAt));
  for (const row of rows)
    latest.set(row.pipelineId, { id: row.id, status: row.status, startedAt: row.startedAt });
  return latest;
}

/** A run and its steps in the order they started; undefined when there is no such run. */
export async function runWithSteps(db: Database, runId: string) {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run) return undefined;
  const steps = await db
    .select()
    .from(runSteps)
    .where(eq(runSteps.runId, runId))
    .orderBy(asc(runSteps.startedAt), asc(runSteps.nodeId));
  return { run, steps };
}

/** A run with its steps, its latest log lines and its artifacts; undefined when there is no such run. */
export async function getRunDetail(db: Database, runId: string, eventLimit = 500) {
  const [run] = await db
    .select({ run: runs, pipelineName: pipelines.name, version: pipelineVersions.version })
    .from(runs)
    .innerJoin(pipelines, eq(pipelines.id, runs.pipelineId))
    .innerJoin(pipelineVersions, eq(pipelineVersions.id, runs.pipelineVersionId))
    .where(eq(runs.id, runId));
  if (!run) return undefined;
  const [steps, events, stored] = await Promise.all([
    db
      .select()
      .from(runSteps)
      .where(eq(runSteps.runId, runId))
      .orderBy(asc(runSteps.startedAt), asc(runSteps.nodeId)),
    db
      .select()
      .from(runEvents)
      .where(eq(runEvents.runId, runId))
      .orderBy(desc(runEvents.id))
      .limit(eventLimit),
    db.select().from(artifacts).where(eq(artifacts.runId, runId)),
  ]);
  return {
    ...run.run,
    pipelineName: run.pipelineName,
    version: run.version,
    steps,
    events: events.reverse(),
    artifacts: stored,
  };
}

/** A run row, or undefined. */
export async function getRun(db: Database, runId: string) {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  return run;
}

export interface NewRun {
  id: string;
  pipelineId: string;
  pipelineVersionId: string;
  workflowId: string;
  trigger: RunTrigger;
  parameters: Record<string, unknown>;
  rerunOfRunId: string | null;
  /** users.id of whoever started it; null for the CLI and the system. */
  startedBy?: string | null;
  /** The OS user, when the local CLI started it. */
  startedByCli?: string | null;
  /** The schedule that started it. */
  scheduleId?: string | null;
  /**
   * reusedFromRunId: the run whose outputs a reused step stands on, written with the queued run so
   * retention keeps those files while the run waits (db/queries/retention.ts).
   */
  steps: {
    nodeId: string;
    nodeType: string;
    contentHash: string;
    outputs: unknown;
    reusedFromRunId?: string | null;
  }[];
  /** Log lines the run starts with (see appendRunStartEvents). */
  startEvents?: RunStartEvent[];
  /** The artifacts the reused steps' outputs are: they must still be kept when the run is recorded. */
  reusedArtifactIds?: string[];
}

/** Retention deleted files a run was about to reuse between the reuse check and the run's record. */
export class ReusedFilesDeletedError extends Error {
  override name = 'ReusedFilesDeletedError';
  constructor() {
    super('Retention deleted files this run would reuse while it was being started; start it again');
  }
}

/** The run, one queued row per step and the run's first log lines, together. */
export async function insertRun(db: Database, run: NewRun): Promise<void> {
  const { steps, startEvents = [], reusedArtifactIds = [], ...row } = run;
  await db.transaction(async (tx) => {
    // Held until the run's steps (and their reused_from_run_id) are committed: a retention pass
    // marking these rows waits, then sees the run and keeps them (markDeletedByRetention).
    if (reusedArtifactIds.length) {
      const reused = await tx
        .select({ deletedAt: artifacts.deletedAt })
        .from(artifacts)
        .where(inArray(artifacts.id, reusedArtifactIds))
        .orderBy(artifacts.id)
        .for('share');
      if (reused.some((artifact) => artifact.deletedAt !== null)) throw new ReusedFilesDeletedError();
    }
    await tx.insert(runs).values(row);
    if (steps.length) await tx.insert(runSteps).values(steps.map((step) => ({ runId: run.id, ...step })));
    await appendRunStartEvents(tx, run.id, startEvents);
  });
}

/** A refusal fails with the database's own reason: drizzle's message holds the SQL and its parameters. */
export async function setTemporalRunId(db: Database, runId: string, temporalRunId: string): Promise<void> {
  try {
    await db.update(runs).set({ temporalRunId }).where(eq(runs.id, runId));
  } catch (error) {
    if (error instanceof DrizzleQueryError && error.cause) {
      throw new Error(error.cause.message, { cause: error.cause });
    }
    throw error;
  }
}

/** The finished steps of a run, with their hashes and outputs: what a re-run may reuse. */
export async function finishedStepOutputs(db: Database, runId: string) {
  return db
    .select({
      nodeId: runSteps.nodeId,
      hash: runSteps.contentHash,
      outputs: runSteps.outputs,
      reusedFrom: runSteps.reusedFromRunId,
    })
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), inArray(runSteps.status, ['succeeded', 'cached'])));
}

/** Runs still queued or running that started before `startedBefore`, oldest first. */
export async function listUnfinishedRuns(db: Database, startedBefore: Date) {
  return db
    .select({ id: runs.id, workflowId: runs.workflowId, status: runs.status })
    .from(runs)
    .where(and(inArray(runs.status, ['queued', 'running']), lt(runs.startedAt, startedBefore)))
    .orderBy(asc(runs.startedAt));
}
