import { and, DrizzleQueryError, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { z } from 'zod';
import type { Database, Sql } from '../client';
import * as schema from '../schema';
import {
  artifacts,
  type EventLevel,
  eventLevels,
  type RunStatus,
  runEvents,
  runStatuses,
  runSteps,
  runs,
  type StepStatus,
  stepStatuses,
} from '../schema';
import { recordRunFailure } from './notifications';
import { capStoredText, cutToBytes } from './text-caps';

/** The node type whose summary holds a run's main metric. */
const EVALUATE_NODE = 'evaluate';

/**
 * Stores the run's main metric on its row, where the Runs page filters and pages on it, from the
 * evaluate steps finished so far. run_main_metric (migration 0008_run_history) computes it as
 * nodes/evaluate/main-metric.ts does; no evaluate step with a metric leaves it null. Exported for
 * tests that write finished runs straight into the database (tests/support/stored-runs.ts).
 */
export async function storeMainMetric(tx: Executor, runId: string): Promise<void> {
  await tx.execute(sql`
    update ${runs} set (main_metric_name, main_metric_value) = (
      select metric.name, metric.value from run_main_metric(${runId}) metric)
    where ${runs.id} = ${runId}`);
}

/** The channel on which every run, step and log change is announced (payload: a RunChange). */
export const RUN_CHANGES_CHANNEL = 'pipewright_run_changes';

/**
 * A change announced on RUN_CHANGES_CHANNEL; listeners parse payloads with this schema. It carries
 * ids and short fields only: listeners read the full row when they need it.
 */
export const runChangeSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run'),
    runId: z.string(),
    status: z.enum(runStatuses),
    error: z.string().nullish(),
  }),
  z.object({
    type: z.literal('step'),
    runId: z.string(),
    nodeId: z.string(),
    status: z.enum(stepStatuses),
    attempt: z.number(),
    progress: z.number(),
    message: z.string().nullish(),
  }),
  z.object({
    type: z.literal('event'),
    runId: z.string(),
    nodeId: z.string().nullable(),
    level: z.enum(eventLevels),
    message: z.string(),
  }),
]);

export type RunChange = z.infer<typeof runChangeSchema>;

/** A preview of a message or error in a notification, and the most a node id takes there. */
export const NOTIFY_TEXT_MAX_BYTES = 200;

type Executor = Pick<Database, 'execute'>;

/**
 * PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more, and a refused NOTIFY fails the whole
 * transaction. Every text field is therefore cut by bytes (not characters: one character may take
 * four), so the payload stays far below the limit whatever a step's message holds.
 */
export function notificationPayload(change: RunChange): string {
  const short = (text: string) => cutToBytes(text, NOTIFY_TEXT_MAX_BYTES);
  const shortOrNull = (text: string | null | undefined) => (text == null ? null : short(text));
  switch (change.type) {
    case 'run':
      return JSON.stringify({ ...change, error: shortOrNull(change.error) });
    case 'step':
      return JSON.stringify({
        ...change,
        nodeId: short(change.nodeId),
        message: shortOrNull(change.message),
      });
    case 'event':
      return JSON.stringify({
        ...change,
        nodeId: shortOrNull(change.nodeId),
        message: short(change.message),
      });
  }
}

async function notify(db: Executor, change: RunChange): Promise<void> {
  await db.execute(sql`select pg_notify(${RUN_CHANGES_CHANNEL}, ${notificationPayload(change)})`);
}

/** Writes go through the schema's columns; the ORM is built once per connection pool. */
const orms = new WeakMap<Sql, Database>();
function orm(client: Sql): Database {
  let db = orms.get(client);
  if (!db) {
    db = drizzle(client, { schema });
    orms.set(client, db);
  }
  return db;
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * One transaction; a refused write fails with the database's own reason. Drizzle's error message
 * holds the SQL text and its parameters, and these messages reach people (a run's error, a log line).
 */
async function transaction<T>(db: Database, body: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(body);
  } catch (error) {
    if (error instanceof DrizzleQueryError && error.cause) {
      throw new Error(`The database refused to record the run's state: ${error.cause.message}`, {
        cause: error.cause,
      });
    }
    throw error;
  }
}

const TERMINAL_RUN = ['succeeded', 'failed', 'cancelled'] as const satisfies RunStatus[];
const UNFINISHED_STEP = ['queued', 'running'] as const satisfies StepStatus[];

function cappedOrNull(text: string | null | undefined): string | null {
  return text == null ? null : capStoredText(text);
}

/** A run ending (succeeded, failed, cancelled) also ends whatever step rows it left unfinished. */
export async function setRunStatus(
  client: Sql,
  input: { runId: string; status: 'running' | 'succeeded' | 'failed' | 'cancelled'; error?: string },
): Promise<void> {
  if (input.status !== 'running') {
    await endUnfinishedRun(orm(client), {
      runId: input.runId,
      status: input.status,
      error: input.error ?? null,
      stepMessage: 'Not finished: the run ended first',
    });
    return;
  }
  await transaction(orm(client), async (tx) => {
    // A run that has ended stays ended: a retried or late "running" never reopens it.
    const rows = await tx
      .update(runs)
      .set({ status: 'running', error: null, finishedAt: null })
      .where(and(eq(runs.id, input.runId), notInArray(runs.status, TERMINAL_RUN)))
      .returning({ id: runs.id });
    if (rows.length) await notify(tx, { type: 'run', runId: input.runId, status: 'running', error: null });
  });
}

/** Final states set by the workflow: only steps still queued or running change. */
export async function setStepsStatus(
  client: Sql,
  input: { runId: string; nodeIds: string[]; status: StepStatus; message?: string; reusedFromRunId?: string },
): Promise<void> {
  if (input.nodeIds.length === 0) return;
  const message = cappedOrNull(input.message);
  await transaction(orm(client), async (tx) => {
    const rows = await tx
      .update(runSteps)
      .set({
        status: input.status,
        message,
        error: input.status === 'failed' ? message : null,
        reusedFromRunId: input.reusedFromRunId ?? null,
        progress: input.status === 'cached' ? 1 : sql`${runSteps.progress}`,
        finishedAt: sql`now()`,
      })
      .where(
        and(
          eq(runSteps.runId, input.runId),
          inArray(runSteps.nodeId, input.nodeIds),
          inArray(runSteps.status, UNFINISHED_STEP),
        ),
      )
      .returning({
        nodeId: runSteps.nodeId,
        nodeType: runSteps.nodeType,
        attempt: runSteps.attempt,
        progress: runSteps.progress,
      });
    for (const { nodeType: _nodeType, ...row } of rows) {
      await notify(tx, { type: 'step', runId: input.runId, status: input.status, message, ...row });
    }
    // A reused evaluate step brings the summary of the run it was reused from, and its metrics.
    if (input.status === 'cached' && rows.some((row) => row.nodeType === EVALUATE_NODE)) {
      await storeMainMetric(tx, input.runId);
    }
  });
}

export async function setStepRunning(
  client: Sql,
  input: { runId: string; nodeId: string; nodeType: string; attempt: number },
): Promise<void> {
  await transaction(orm(client), async (tx) => {
    await tx
      .insert(runSteps)
      .values({
        runId: input.runId,
        nodeId: input.nodeId,
        nodeType: input.nodeType,
        status: 'running',
        attempt: input.attempt,
        progress: 0,
        startedAt: sql`now()`,
      })
      .onConflictDoUpdate({
        target: [runSteps.runId, runSteps.nodeId],
        set: {
          status: 'running',
          attempt: input.attempt,
          progress: 0,
          message: null,
          error: null,
          startedAt: sql`coalesce(${runSteps.startedAt}, excluded.started_at)`,
        },
      });
    await notify(tx, {
      type: 'step',
      runId: input.runId,
      nodeId: input.nodeId,
      status: 'running',
      attempt: input.attempt,
      progress: 0,
    });
  });
}

export async function setStepProgress(
  client: Sql,
  input: { runId: string; nodeId: string; attempt: number; progress: number; message?: string },
): Promise<void> {
  const progress = Math.min(1, Math.max(0, input.progress));
  const message = cappedOrNull(input.message);
  await transaction(orm(client), async (tx) => {
    const rows = await tx
      .update(runSteps)
      .set({ progress, message: sql`coalesce(${message}, ${runSteps.message})` })
      .where(ofAttempt(input))
      .returning({ id: runSteps.id });
    if (rows.length) {
      await notify(tx, {
        type: 'step',
        runId: input.runId,
        nodeId: input.nodeId,
        status: 'running',
        attempt: input.attempt,
        progress,
        message,
      });
    }
  });
}

/** The step row while this attempt is the one running it (not cancelled, failed or superseded). */
function ofAttempt(input: { runId: string; nodeId: string; attempt: number }) {
  return and(
    eq(runSteps.runId, input.runId),
    eq(runSteps.nodeId, input.nodeId),
    eq(runSteps.status, 'running'),
    eq(runSteps.attempt, input.attempt),
  );
}

export interface NewArtifact {
  id: string;
  port: string;
  kind: schema.ArtifactKind;
  uri: string;
  bytes: number;
  sha256: string;
  schema?: unknown;
  profile?: unknown;
  /** Files beside this one, checked with it before reuse: [{ name, bytes, sha256 }]. */
  companions?: unknown;
}

/**
 * Success with the step's artifacts in one transaction. Idempotent: a retry after a crash replaces
 * the artifacts rows an earlier attempt of the same step wrote. Only the attempt that is running the
 * step may record it: a late success after a cancel (or from an attempt a newer one replaced) changes
 * nothing and answers false.
 */
export async function setStepSucceeded(
  client: Sql,
  input: {
    runId: string;
    nodeId: string;
    attempt: number;
    summary: unknown;
    outputs: Record<string, unknown>;
    artifacts: NewArtifact[];
  },
): Promise<boolean> {
  return transaction(orm(client), async (tx) => {
    const [step] = await tx
      .update(runSteps)
      .set({
        status: 'succeeded',
        progress: 1,
        message: null,
        error: null,
        outputSummary: input.summary ?? null,
        outputs: input.outputs,
        finishedAt: sql`now()`,
      })
      .where(ofAttempt(input))
      .returning({ id: runSteps.id, nodeType: runSteps.nodeType });
    if (!step) return false;
    if (step.nodeType === EVALUATE_NODE) await storeMainMetric(tx, input.runId);
    await tx.delete(artifacts).where(eq(artifacts.stepId, step.id));
    if (input.artifacts.length) {
      await tx.insert(artifacts).values(
        input.artifacts.map((artifact) => ({
          id: artifact.id,
          runId: input.runId,
          stepId: step.id,
          port: artifact.port,
          kind: artifact.kind,
          uri: artifact.uri,
          bytes: artifact.bytes,
          sha256: artifact.sha256,
          schema: artifact.schema ?? null,
          profile: artifact.profile ?? null,
          companions: artifact.companions ?? null,
        })),
      );
    }
    await notify(tx, {
      type: 'step',
      runId: input.runId,
      nodeId: input.nodeId,
      status: 'succeeded',
      attempt: input.attempt,
      progress: 1,
    });
    return true;
  });
}

/** Appends a log line; the same (run, node, attempt, seq) written twice is stored once. */
export async function appendRunEvent(
  client: Sql,
  input: {
    runId: string;
    nodeId: string | null;
    attempt: number;
    seq: number;
    level: EventLevel;
    message: string;
    data?: unknown;
  },
): Promise<void> {
  const message = capStoredText(input.message);
  await transaction(orm(client), async (tx) => {
    const rows = await tx
      .insert(runEvents)
      .values({
        runId: input.runId,
        nodeId: input.nodeId,
        attempt: input.attempt,
        seq: input.seq,
        level: input.level,
        message,
        data: input.data ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: runEvents.id });
    if (rows.length) {
      await notify(tx, {
        type: 'event',
        runId: input.runId,
        nodeId: input.nodeId,
        level: input.level,
        message,
      });
    }
  });
}

/**
 * Ends a run that is still queued or running: from its workflow, or from outside it when the workflow
 * is gone (closed without recording its end, or unknown to Temporal) or was cancelled before it ever
 * ran. Its unfinished steps end cancelled. Answers false when the run had already ended, or when
 * `onlyIf` is given and the run is no longer in that status.
 *
 * `onlyIf: 'queued'` is for callers outside the workflow that read the run as queued: if the workflow
 * has recorded "running" since, a step may be running and the run is the workflow's to end.
 */
export async function endUnfinishedRun(
  db: Database,
  input: {
    runId: string;
    status: 'succeeded' | 'failed' | 'cancelled';
    error: string | null;
    stepMessage: string;
    onlyIf?: 'queued';
  },
): Promise<boolean> {
  const error = cappedOrNull(input.error);
  const stepMessage = capStoredText(input.stepMessage);
  const unfinished = input.onlyIf ? eq(runs.status, input.onlyIf) : notInArray(runs.status, TERMINAL_RUN);
  return transaction(db, async (tx) => {
    const ended = await tx
      .update(runs)
      .set({ status: input.status, error, finishedAt: sql`now()` })
      .where(and(eq(runs.id, input.runId), unfinished))
      .returning({ id: runs.id });
    if (!ended.length) return false;
    const steps = await tx
      .update(runSteps)
      .set({ status: 'cancelled', message: stepMessage, finishedAt: sql`now()` })
      .where(and(eq(runSteps.runId, input.runId), inArray(runSteps.status, UNFINISHED_STEP)))
      .returning({ nodeId: runSteps.nodeId, attempt: runSteps.attempt, progress: runSteps.progress });
    for (const step of steps) {
      await notify(tx, {
        type: 'step',
        runId: input.runId,
        status: 'cancelled',
        message: stepMessage,
        ...step,
      });
    }
    await notify(tx, { type: 'run', runId: input.runId, status: input.status, error });
    // In the same transaction: a run never ends failed without its notification.
    if (input.status === 'failed') await recordRunFailure(tx, input.runId, error);
    return true;
  });
}
