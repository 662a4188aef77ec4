import { z } from 'zod';
import type { Sql, Transaction } from '../client';
import { type EventLevel, eventLevels, runStatuses, type StepStatus, stepStatuses } from '../schema';

/** The channel on which every run, step and log change is announced (payload: a RunChange). */
export const RUN_CHANGES_CHANNEL = 'pipewright_run_changes';

/** A change announced on RUN_CHANGES_CHANNEL; listeners parse payloads with this schema. */
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

async function notify(sql: Sql | Transaction, change: RunChange): Promise<void> {
  // NOTIFY payloads are capped at 8000 bytes: long messages are cut, the row holds the full text.
  const payload = JSON.stringify(change, (key, value) =>
    key === 'message' && typeof value === 'string' && value.length > 2000
      ? `${value.slice(0, 2000)}…`
      : value,
  );
  await sql`select pg_notify(${RUN_CHANGES_CHANNEL}, ${payload})`;
}

const TERMINAL_RUN = ['succeeded', 'failed', 'cancelled'];

export async function setRunStatus(
  sql: Sql,
  input: { runId: string; status: 'running' | 'succeeded' | 'failed' | 'cancelled'; error?: string },
): Promise<void> {
  const terminal = TERMINAL_RUN.includes(input.status);
  await sql.begin(async (tx) => {
    // A run that has ended stays ended: a retried or late "running" never reopens it.
    const rows = await tx`
      update runs
         set status = ${input.status},
             error = ${input.error ?? null},
             finished_at = ${terminal ? sql`now()` : null}
       where id = ${input.runId} and status not in ${sql(TERMINAL_RUN)}
      returning id`;
    if (rows.length)
      await notify(tx, { type: 'run', runId: input.runId, status: input.status, error: input.error ?? null });
  });
}

/** Final states set by the workflow: only steps still queued or running change. */
export async function setStepsStatus(
  sql: Sql,
  input: { runId: string; nodeIds: string[]; status: StepStatus; message?: string; reusedFromRunId?: string },
): Promise<void> {
  if (input.nodeIds.length === 0) return;
  await sql.begin(async (tx) => {
    const rows = await tx<{ nodeId: string; attempt: number; progress: number }[]>`
      update run_steps
         set status = ${input.status},
             message = ${input.message ?? null},
             error = ${input.status === 'failed' ? (input.message ?? null) : null},
             reused_from_run_id = ${input.reusedFromRunId ?? null},
             progress = ${input.status === 'cached' ? 1 : sql`progress`},
             finished_at = now()
       where run_id = ${input.runId} and node_id in ${sql(input.nodeIds)} and status in ('queued', 'running')
      returning node_id as "nodeId", attempt, progress`;
    for (const row of rows) {
      await notify(tx, {
        type: 'step',
        runId: input.runId,
        status: input.status,
        message: input.message ?? null,
        ...row,
      });
    }
  });
}

export async function setStepRunning(
  sql: Sql,
  input: { runId: string; nodeId: string; nodeType: string; attempt: number },
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      insert into run_steps (run_id, node_id, node_type, status, attempt, progress, started_at)
      values (${input.runId}, ${input.nodeId}, ${input.nodeType}, 'running', ${input.attempt}, 0, now())
      on conflict (run_id, node_id) do update
         set status = 'running', attempt = excluded.attempt, progress = 0, message = null, error = null,
             started_at = coalesce(run_steps.started_at, excluded.started_at)`;
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
  sql: Sql,
  input: { runId: string; nodeId: string; attempt: number; progress: number; message?: string },
): Promise<void> {
  const progress = Math.min(1, Math.max(0, input.progress));
  await sql.begin(async (tx) => {
    const rows = await tx`
      update run_steps set progress = ${progress}, message = coalesce(${input.message ?? null}, message)
       where run_id = ${input.runId} and node_id = ${input.nodeId} and status = 'running' and attempt = ${input.attempt}
      returning id`;
    if (rows.length) {
      await notify(tx, {
        type: 'step',
        runId: input.runId,
        nodeId: input.nodeId,
        status: 'running',
        attempt: input.attempt,
        progress,
        message: input.message ?? null,
      });
    }
  });
}

export interface NewArtifact {
  id: string;
  port: string;
  kind: 'dataset' | 'model' | 'onnx' | 'report';
  uri: string;
  bytes: number;
  sha256: string;
  schema?: unknown;
  profile?: unknown;
}

/**
 * Success with the step's artifacts in one transaction. Idempotent: a retry after a crash replaces
 * the artifacts rows an earlier attempt of the same step wrote.
 */
export async function setStepSucceeded(
  sql: Sql,
  input: {
    runId: string;
    nodeId: string;
    attempt: number;
    summary: unknown;
    outputs: Record<string, unknown>;
    artifacts: NewArtifact[];
  },
): Promise<void> {
  await sql.begin(async (tx) => {
    const [step] = await tx<{ id: string }[]>`
      update run_steps
         set status = 'succeeded', progress = 1, attempt = ${input.attempt}, message = null, error = null,
             output_summary = ${jsonText(input.summary)}::jsonb,
             outputs = ${jsonText(input.outputs)}::jsonb, finished_at = now()
       where run_id = ${input.runId} and node_id = ${input.nodeId}
      returning id`;
    if (!step) throw new Error(`no step row for run ${input.runId} node ${input.nodeId}`);
    await tx`delete from artifacts where step_id = ${step.id}`;
    for (const artifact of input.artifacts) {
      await tx`
        insert into artifacts (id, run_id, step_id, port, kind, uri, bytes, sha256, schema, profile)
        values (${artifact.id}, ${input.runId}, ${step.id}, ${artifact.port}, ${artifact.kind}, ${artifact.uri},
                ${artifact.bytes}, ${artifact.sha256},
                ${jsonText(artifact.schema)}::jsonb,
                ${jsonText(artifact.profile)}::jsonb)`;
    }
    await notify(tx, {
      type: 'step',
      runId: input.runId,
      nodeId: input.nodeId,
      status: 'succeeded',
      attempt: input.attempt,
      progress: 1,
    });
  });
}

/** Appends a log line; the same (run, node, attempt, seq) written twice is stored once. */
export async function appendRunEvent(
  sql: Sql,
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
  await sql.begin(async (tx) => {
    const rows = await tx`
      insert into run_events (run_id, node_id, attempt, seq, level, message, data)
      values (${input.runId}, ${input.nodeId}, ${input.attempt}, ${input.seq}, ${input.level}, ${input.message},
              ${jsonText(input.data)}::jsonb)
      on conflict do nothing
      returning id`;
    if (rows.length) {
      await notify(tx, {
        type: 'event',
        runId: input.runId,
        nodeId: input.nodeId,
        level: input.level,
        message: input.message,
      });
    }
  });
}

/** JSON text for a `::jsonb` parameter; undefined becomes SQL null. */
function jsonText(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
