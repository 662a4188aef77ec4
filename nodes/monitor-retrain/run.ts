import type { NodeRun } from '../_kit/define-node';
import { NodeInputError } from '../_kit/errors';
import { readJsonArtifact } from '../_kit/json-artifact';
import type { RetrainTarget } from '../_kit/retraining-port';
import { driftReportSchema } from '../monitor-drift/report-schema';
import { decideRetraining } from './decide';
import { fillParameters, PlaceholderError } from './placeholders';
import type { monitorRetrainSpec } from './spec';

/**
 * Reads the drift report before it; when the check reached the step's level and opened an alert
 * there, starts the retraining pipeline with the parameters filled from the report (trigger
 * `monitor`) and records the run on the alerts. The target and the parameters are checked on every
 * run, so a mistake shows on the first check, not on the first drift.
 */
export const runMonitorRetrain: NodeRun<typeof monitorRetrainSpec> = async ({ config, inputs }, context) => {
  const retraining = context.retraining;
  if (!retraining) throw new Error('This worker cannot start runs (it runs without a database or Temporal)');
  const report = driftReportSchema.parse(await readJsonArtifact(context, inputs.report));
  const parameters = filled(config.parameters, report);
  const target = foundTarget(await retraining.findTarget(config.pipeline, parameters), config.pipeline);
  if (target.problems.length > 0)
    throw new NodeInputError(
      `The parameters do not fit pipeline "${target.name}" (version ${target.version}): ${target.problems.join('; ')}`,
      { field: 'parameters' },
    );
  const decision = decideRetraining(report, config.startOn);
  const facts = { model: report.model, version: report.version, state: report.state, pipeline: target.name };
  if (!decision.start) {
    context.log.info(`${report.model}: ${decision.reason}`);
    return { outputs: {}, summary: { ...facts, started: false, message: decision.reason } };
  }
  const outcome = await retraining.startRetraining({
    pipeline: target.pipelineId,
    parameters,
    alertIds: decision.alertIds,
  });
  const on = decision.subjects.join(', ');
  switch (outcome.status) {
    case 'refused':
      throw new NodeInputError(`Could not start ${target.name}: ${outcome.message}`, {
        field: outcome.field,
      });
    case 'already': {
      const message = `already started for this alert: run ${outcome.runId}`;
      context.log.info(`${report.model} (alert on ${on}): ${message}`);
      return {
        outputs: {},
        summary: { ...facts, started: false, runId: outcome.runId, alerts: decision.subjects, message },
      };
    }
    case 'started': {
      const message = `started run ${outcome.runId} of ${outcome.pipelineName} version ${outcome.version}`;
      context.log.warn(`${report.model} (alert on ${on}): ${message}`, { parameters });
      return {
        outputs: {},
        summary: {
          ...facts,
          started: true,
          runId: outcome.runId,
          pipelineVersion: outcome.version,
          alerts: decision.subjects,
          parameters,
          message,
        },
      };
    }
  }
};

function foundTarget(target: RetrainTarget, asked: string) {
  switch (target.status) {
    case 'found':
      return target;
    case 'no-pipeline':
      throw new NodeInputError(
        `No pipeline is named "${asked}" (see Pipelines): choose the pipeline to run`,
        {
          field: 'pipeline',
        },
      );
    case 'archived':
      throw new NodeInputError(
        `Pipeline "${target.name}" is archived: restore it, or choose another pipeline to run`,
        { field: 'pipeline' },
      );
    case 'no-version':
      throw new NodeInputError(`Pipeline "${target.name}" has no saved version: save it before it can run`, {
        field: 'pipeline',
      });
  }
}

function filled(
  parameters: Parameters<typeof fillParameters>[0],
  report: Parameters<typeof fillParameters>[1],
) {
  try {
    return fillParameters(parameters, report);
  } catch (error) {
    if (error instanceof PlaceholderError) throw new NodeInputError(error.message, { field: 'parameters' });
    throw error;
  }
}
