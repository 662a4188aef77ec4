import { z } from 'zod';
import { latestVersion, NotFoundError } from '../../../db/queries/pipelines';
import { getRun, getRunDetail } from '../../../db/queries/runs';
import { runStatuses, runTriggers, stepStatuses } from '../../../db/schema';
import { numericMetrics } from '../../../nodes/evaluate/main-metric';
import { parameterValuesSchema } from '../../../pipeline/parameters';
import { cancelRun, startRun } from '../../../workflows/run-service';
import type { AuditedCall } from '../audit-trail';
import type { GuardedContext } from '../auth/route-guard';
import { recordRunAction } from '../run-audit';
import { ServerPaths } from '../server-paths';
import type { RestOperation } from './operation';

/** The REST API's run operations: start a pipeline's run, read a run, cancel a run. */

const idParams = z.object({ id: z.uuid('must be a UUID').meta({ description: 'A pipeline or run id' }) });
const time = z.iso.datetime({ offset: true });

const startRunBody = z
  .object({
    parameters: parameterValuesSchema.optional().meta({
      type: 'object',
      additionalProperties: true,
      description: "Values of the pipeline's parameters by name; declared defaults fill the rest",
      examples: [{ target: 'churned', rows: 1000 }],
    }),
  })
  .strict();

const startedRunAnswer = z.object({
  runId: z.uuid(),
  pipelineId: z.uuid(),
  pipelineVersionId: z.uuid(),
  status: z.enum(runStatuses),
  /** Where to read it: GET this path. */
  href: z.string(),
});

const metricsSchema = z
  .record(z.string(), z.number())
  .meta({ description: 'Numeric metrics the step reported, by name (e.g. accuracy)' });

const runAnswer = z.object({
  id: z.uuid(),
  pipelineId: z.uuid(),
  pipelineName: z.string(),
  version: z.number().int().meta({ description: 'The pipeline version the run ran' }),
  trigger: z.enum(runTriggers),
  status: z.enum(runStatuses),
  parameters: z.record(z.string(), z.unknown()),
  startedAt: time,
  finishedAt: time.nullable(),
  error: z.string().nullable(),
  steps: z.array(
    z.object({
      nodeId: z.string(),
      type: z.string(),
      status: z.enum(stepStatuses),
      startedAt: time.nullable(),
      finishedAt: time.nullable(),
      message: z.string().nullable().meta({ description: "The step's latest progress or outcome message" }),
      error: z.string().nullable(),
      metrics: metricsSchema.nullable(),
    }),
  ),
  metrics: z
    .record(z.string(), metricsSchema)
    .meta({ description: 'Metrics by step (node id), for the steps that reported any' }),
});

const cancelAnswer = z.object({
  runId: z.uuid(),
  status: z.enum(runStatuses).meta({
    description:
      'The status after the request: "cancelled" once the run has stopped, else still "running" while its steps stop',
  }),
});

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Who the audit log names for an operation: the caller the guard let through. */
function auditedCall({ services, caller }: GuardedContext<unknown>): AuditedCall {
  return { services, actor: caller.actor, ipAddress: caller.ipAddress };
}

export const startRunOperation = {
  method: 'POST',
  path: '/api/v1/pipelines/{id}/runs',
  operationId: 'startRun',
  summary: 'Start a run of a pipeline',
  description:
    "Runs the pipeline's latest saved version with these parameter values (trigger `api`). Needs a `run` or `admin` key of an editor or higher.",
  permission: 'run',
  params: idParams,
  body: startRunBody,
  answer: startedRunAnswer,
  successStatus: 201,
  errorStatuses: [400, 404],
  async handle({ params, body }, context) {
    const { services, caller } = context;
    const version = await latestVersion(services.db, params.id);
    if (!version) throw new NotFoundError(`No pipeline ${params.id}`);
    const started = await startRun(
      {
        db: services.db,
        temporal: await services.temporal(),
        taskQueue: services.taskQueue,
        specOf: services.specOf,
      },
      {
        pipelineVersionId: version.id,
        parameters: body?.parameters ?? {},
        trigger: 'api',
        startedBy: caller.actor.userId,
      },
    );
    await recordRunAction(auditedCall(context), 'run.started', started.runId, params.id, { trigger: 'api' });
    return {
      runId: started.runId,
      pipelineId: params.id,
      pipelineVersionId: version.id,
      status: 'queued',
      href: `/api/v1/runs/${started.runId}`,
    };
  },
} satisfies RestOperation<typeof idParams, typeof startRunBody, typeof startedRunAnswer>;

export const readRunOperation = {
  method: 'GET',
  path: '/api/v1/runs/{id}',
  operationId: 'getRun',
  summary: "Read a run's status, steps and metrics",
  description: 'Needs a `read`, `run` or `admin` key.',
  permission: 'read',
  params: idParams,
  answer: runAnswer,
  successStatus: 200,
  errorStatuses: [400, 404],
  async handle({ params }, { services }) {
    const detail = await getRunDetail(services.db, params.id);
    if (!detail) throw new NotFoundError(`No run ${params.id}`);
    const paths = new ServerPaths(services.dataDir);
    const steps = detail.steps.map((step) => {
      const metrics = numericMetrics(step.outputSummary);
      return {
        nodeId: step.nodeId,
        type: step.nodeType,
        status: step.status,
        startedAt: iso(step.startedAt),
        finishedAt: iso(step.finishedAt),
        message: paths.nullableText(step.message),
        error: paths.nullableText(step.error),
        metrics: metrics.size ? Object.fromEntries(metrics) : null,
      };
    });
    const parameters = paths.json(detail.parameters);
    return {
      id: detail.id,
      pipelineId: detail.pipelineId,
      pipelineName: detail.pipelineName,
      version: detail.version,
      trigger: detail.trigger,
      status: detail.status,
      parameters: typeof parameters === 'object' && parameters !== null ? { ...parameters } : {},
      startedAt: detail.startedAt.toISOString(),
      finishedAt: iso(detail.finishedAt),
      error: paths.nullableText(detail.error),
      steps,
      metrics: Object.fromEntries(
        steps.flatMap((step) => (step.metrics ? [[step.nodeId, step.metrics]] : [])),
      ),
    };
  },
} satisfies RestOperation<typeof idParams, z.ZodType, typeof runAnswer>;

export const cancelRunOperation = {
  method: 'POST',
  path: '/api/v1/runs/{id}/cancel',
  operationId: 'cancelRun',
  summary: 'Cancel a run',
  description:
    'Asks a queued or running run to stop; a run that has already ended is left as it is. Needs a `run` or `admin` key of an editor or higher.',
  permission: 'run',
  params: idParams,
  answer: cancelAnswer,
  successStatus: 202,
  errorStatuses: [400, 404],
  async handle({ params }, context) {
    const { services } = context;
    const run = await getRun(services.db, params.id);
    if (!run) throw new NotFoundError(`No run ${params.id}`);
    // Cancelling a run that already ended changes nothing, and so records nothing.
    if (await cancelRun({ db: services.db, temporal: await services.temporal() }, run.id))
      await recordRunAction(auditedCall(context), 'run.cancelled', run.id, run.pipelineId, {});
    const after = await getRun(services.db, run.id);
    return { runId: run.id, status: after?.status ?? run.status };
  },
} satisfies RestOperation<typeof idParams, z.ZodType, typeof cancelAnswer>;

/** Every REST operation, in the order the OpenAPI document lists them. */
export const runOperations = [startRunOperation, readRunOperation, cancelRunOperation];
