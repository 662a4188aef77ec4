import { z } from 'zod';
import type { Sql } from '../db/client';
import { type LoggedColumnsRequest, readLoggedColumns } from '../db/queries/logged-columns';
import {
  findLastCheckEnd,
  findMonitorRun,
  recordMonitorCheck,
  syncModelAlerts,
} from '../db/queries/monitoring';
import {
  findAliasedVersion,
  findModelByName,
  findModelVersion,
  findPipelineGraph,
  type ModelVersionRow,
  readModelFile,
} from '../db/queries/registry';
import { transformSpecSchema } from '../nodes/_data/transform-spec';
import type { LogWindowRequest, MonitoredVersion, MonitoringPort } from '../nodes/_kit/monitoring-port';
import {
  modelSignatureSchema,
  REFERENCE_FILE,
  referenceSampleSchema,
  versionReferenceSchema,
} from '../registry/version-schema';
import { evaluateSlicesOf } from './version-slices';

/**
 * The monitoring port of one step (NodeContext.monitoring): registry, prediction log, check and
 * alert queries bound to the run and step. The monitoring pipeline is the run's, read once.
 */
export function monitoringPort(sql: Sql, step: { runId: string; nodeId: string }): MonitoringPort {
  let run: Promise<{ pipelineId: string; startedAt: Date }> | undefined;
  const runFacts = () => {
    run ??= findMonitorRun(sql, step.runId).then((found) => {
      if (!found) throw new Error(`Run ${step.runId} is not in the database`);
      return found;
    });
    return run;
  };
  return {
    runStartedAt: async () => (await runFacts()).startedAt,
    lastCheckEnd: async () =>
      findLastCheckEnd(sql, {
        pipelineId: (await runFacts()).pipelineId,
        nodeId: step.nodeId,
        runId: step.runId,
      }),

    async findVersion(modelName, which = { alias: 'production' }) {
      const model = await findModelByName(sql, modelName);
      if (!model) return { status: 'no-model' };
      const row =
        'alias' in which
          ? await findAliasedVersion(sql, model.id, which.alias)
          : await findModelVersion(sql, model.id, which.version);
      if (!row) return { status: 'no-version' };
      return { status: 'found', version: monitoredVersion(sql, model.name, row) };
    },

    readLog: (request) => readLoggedColumns(sql, columnsRequest(request)),
    readLabelledLog: (request) => readLoggedColumns(sql, { ...columnsRequest(request), labelled: true }),

    async recordCheck(check) {
      const written = await recordMonitorCheck(sql, {
        runId: step.runId,
        nodeId: step.nodeId,
        modelId: check.modelId,
        version: check.version,
        windowFrom: check.window?.from ?? null,
        windowTo: check.window?.to ?? null,
        referenceRows: check.referenceRows,
        currentRows: check.currentRows,
        state: check.state,
        features: check.features,
        modelStats: check.modelStats,
        performance: check.performance,
      });
      return { checkId: written.id };
    },

    async syncAlerts(input) {
      const { pipelineId } = await runFacts();
      return syncModelAlerts(sql, { ...input, pipelineId, nodeId: step.nodeId });
    },
  };
}

const testMetricsSchema = z.record(z.string(), z.number());

/** The run parameters the deploy step records: the train step's config names the target. */
const trainedTargetSchema = z.object({ train: z.object({ target: z.string().min(1) }) });

function monitoredVersion(sql: Sql, modelName: string, row: ModelVersionRow): MonitoredVersion {
  return {
    modelId: row.modelId,
    modelName,
    version: row.version,
    signature: modelSignatureSchema.parse(row.signature),
    reference: versionReferenceSchema.parse(row.reference),
    // Only the numeric figures: a metric the evaluate step could not take is absent, not null.
    testMetrics: testMetricsSchema.catch({}).parse(row.metrics),
    target: trainedTargetSchema.safeParse(row.parameters).data?.train.target,
    async referenceSample() {
      const file = await readModelFile(sql, row.id, REFERENCE_FILE);
      if (!file) return undefined;
      return referenceSampleSchema.parse(JSON.parse(file.content.toString('utf8')));
    },
    // A version registered before transform specs were stored has none: its slices read raw columns.
    transforms: transformSpecSchema.catch({ version: 1, steps: [] }).parse(row.transforms),
    async slices() {
      if (!row.pipelineVersionId || !row.nodeId) return [];
      return evaluateSlicesOf(await findPipelineGraph(sql, row.pipelineVersionId), row.nodeId);
    },
  };
}

function columnsRequest(request: LogWindowRequest): LoggedColumnsRequest {
  return {
    modelId: request.modelId,
    from: request.from,
    to: request.to,
    onlyVersion: request.onlyVersion,
    signature: {
      inputs: request.signature.inputs.map(({ name, type }) => ({ name, type })),
      task: request.signature.output.task,
    },
  };
}
