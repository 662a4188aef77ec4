import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { roleMay, roleSchema } from '../access/roles';
import { databaseOf, type Sql } from '../db/client';
import { getVersion, NotFoundError } from '../db/queries/pipelines';
import {
  findRetrainPipeline,
  findRunOwner,
  findVersionAuthor,
  runExists,
  withAlertsLocked,
} from '../db/queries/retraining';
import type { RetrainingPort, RetrainOutcome, RetrainTarget } from '../nodes/_kit/retraining-port';
import { compilePipeline } from '../pipeline/compile';
import { parsePipelineDocument } from '../pipeline/document';
import type { SpecLookup } from '../pipeline/graph-checks';
import { CompileError, runWorkflowKnown, startRun } from './run-service';

export interface RetrainingPortDeps {
  sql: Sql;
  /** Temporal and the task queue to start the run on: the activity's own. */
  temporal: () => { client: Client; taskQueue: string };
  /** The node types the target pipeline compiles against: production's unless a test adds its own. */
  specOf?: SpecLookup;
}

/**
 * The retraining port of one step (NodeContext.retraining). The run it starts gets an id derived
 * from this step (run and node), so a retried attempt that died after the start finds that run
 * instead of starting a second one; the alerts' rows stay locked from the check to the record.
 */
export function retrainingPort(
  deps: RetrainingPortDeps,
  step: { runId: string; nodeId: string },
): RetrainingPort {
  const findTarget = async (
    pipeline: string,
    parameters: Record<string, unknown>,
  ): Promise<RetrainTarget> => {
    const row = await findRetrainPipeline(deps.sql, pipeline);
    if (!row) return { status: 'no-pipeline' };
    if (row.archived) return { status: 'archived', name: row.name };
    if (row.versionId === null || row.version === null) return { status: 'no-version', name: row.name };
    return {
      status: 'found',
      pipelineId: row.id,
      name: row.name,
      versionId: row.versionId,
      version: row.version,
      problems: await compileProblems(deps, row.versionId, parameters),
    };
  };
  return {
    findTarget,

    async startRetraining(request) {
      const runId = retrainRunId(step);
      return withAlertsLocked<RetrainOutcome & { runId: string | null }>(
        deps.sql,
        request.alertIds,
        async (recorded) => {
          if (recorded !== null) return { status: 'already', runId: recorded };
          // Looked up again under the lock: it may have been archived since the step checked it.
          const target = await findTarget(request.pipeline, request.parameters);
          if (target.status !== 'found')
            return { status: 'refused', field: 'pipeline', runId: null, message: targetProblem(target) };
          const { client, taskQueue } = deps.temporal();
          // A retried attempt whose first one made the run before it could record it: started,
          // unless Temporal never took it (the start failed and the run was ended as failed).
          if (await runExists(deps.sql, runId)) {
            const known = await runWorkflowKnown(client, runId);
            if (known === 'cannot tell') throw new Error(`Cannot tell whether run ${runId} started`);
            if (known === 'no')
              return {
                status: 'refused',
                field: 'pipeline',
                runId: null,
                message: `its run ${runId} could not be started (see that run); the next check tries again`,
              };
            return { status: 'started', runId, pipelineName: target.name, version: target.version };
          }
          const owner = await retrainingOwner(deps.sql, step.runId, target.versionId);
          try {
            await startRun(
              { db: databaseOf(deps.sql), temporal: client, taskQueue, specOf: deps.specOf },
              {
                runId,
                pipelineVersionId: target.versionId,
                parameters: request.parameters,
                trigger: 'monitor',
                // A monitor-started run acts for the monitor's owner (workflows/registry-port.ts).
                startedBy: owner?.userId ?? undefined,
                startedByCli: owner?.userId ? undefined : (owner?.cli ?? undefined),
              },
            );
          } catch (error) {
            if (error instanceof CompileError)
              return { status: 'refused', field: 'parameters', runId: null, message: error.message };
            if (error instanceof NotFoundError)
              return { status: 'refused', field: 'pipeline', runId: null, message: error.message };
            throw error;
          }
          return { status: 'started', runId, pipelineName: target.name, version: target.version };
        },
      );
    },
  };
}

/**
 * Whom the retraining run acts for: the monitor's owner (whoever started the monitoring run, or
 * its schedule's creator), unless someone who may not promote saved the version it runs. Then it
 * acts for that author: otherwise an editor could save a version of the target that promotes
 * whatever it trains (no gates, no comparison) and have the next alert promote it with the
 * operator's authority. The deploy step then puts the version in staging and says whose role
 * stopped it.
 */
export async function retrainingOwner(
  sql: Sql,
  monitoringRunId: string,
  versionId: string,
): Promise<{ userId: string | null; cli: string | null } | undefined> {
  const owner = await findRunOwner(sql, monitoringRunId);
  if (!owner?.userId) return owner;
  const author = await findVersionAuthor(sql, versionId);
  if (!author || author.userId === owner.userId) return owner;
  const role = roleSchema.safeParse(author.role);
  const mayPromote = role.success && roleMay(role.data, 'promote') && !author.banned;
  return mayPromote ? owner : { userId: author.userId, cli: null };
}

/** The errors compiling the version with these parameters would give, as the run service would start it. */
async function compileProblems(
  deps: RetrainingPortDeps,
  versionId: string,
  parameters: Record<string, unknown>,
): Promise<string[]> {
  const version = await getVersion(databaseOf(deps.sql), versionId);
  if (!version) return [];
  const compiled = compilePipeline(parsePipelineDocument(version.graph), {
    parameterValues: parameters,
    builtInValues: { $scheduledTime: new Date().toISOString() },
    requireValues: true,
    specOf: deps.specOf,
  });
  return compiled.problems
    .filter((problem) => problem.severity === 'error')
    .map((problem) => problem.message);
}

function targetProblem(target: Exclude<RetrainTarget, { status: 'found' }>): string {
  switch (target.status) {
    case 'no-pipeline':
      return 'the pipeline no longer exists';
    case 'archived':
      return `pipeline "${target.name}" was archived`;
    case 'no-version':
      return `pipeline "${target.name}" has no saved version`;
  }
}

/** A UUID (version 5 layout) from the monitoring run and step: the same for every attempt of the step. */
export function retrainRunId(step: { runId: string; nodeId: string }): string {
  const bytes = createHash('sha256').update(`retrain:${step.runId}:${step.nodeId}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
