import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { lowerIsBetter } from '../../ml/metrics/summary';
import { type DatasetInput, openDataset, requireColumn } from '../_data/dataset-input';
import { Duck } from '../_data/duck';
import type { NodeRun } from '../_kit/define-node';
import { NodeInputError } from '../_kit/errors';
import { readJsonArtifact } from '../_kit/json-artifact';
import type { RegistryPort } from '../_kit/registry-port';
import { type ModelArtifact, readModelArtifact } from '../_model/model-artifact';
import { evaluationReportSchema } from '../evaluate/report-schema';
import { exportModelOnnx } from '../train/export-onnx';
import { type Comparison, decide } from './decide';
import { type InputColumn, readTestRows, requireInputs } from './raw-rows';
import { describeVersion } from './registration';
import { scoreGraphs } from './score-graph';
import type { deploySpec } from './spec';

/**
 * Registers the trained model as a new version (signature, metrics, reference sample, ONNX file, all
 * in the registry), then sets the alias the action asks for, if the champion/challenger rule and the
 * run's authority allow it. The summary says what was decided and why.
 */
export const runDeploy: NodeRun<typeof deploySpec> = async ({ config, inputs }, context) => {
  const registry = context.registry;
  if (!registry) throw new Error('This worker has no model registry (it runs without a database)');
  const modelFile = context.artifacts.localPath(inputs.model);
  const model = await readModelArtifact(modelFile);
  const report = evaluationReportSchema.parse(await readJsonArtifact(context, inputs.report));
  if (report.target !== model.target || report.algorithm !== model.algorithm)
    throw new NodeInputError(
      `The evaluation report is of another model (${report.algorithm} predicting "${report.target}", this one is ${model.algorithm} predicting "${model.target}"): connect the evaluate step of this model`,
      { field: 'report' },
    );
  const duck = await Duck.open();
  try {
    const dataset = await openDataset(duck, inputs.data);
    const onnx = await readOnnx(model, modelFile, dataset);
    const authority = await registry.authority();
    const { registration, inputs: newInputs } = await describeVersion({
      model,
      report,
      duck,
      dataset,
      onnx,
      modelName: config.model,
      runParameters: authority.parameters,
      trainConfig: await registry.producerConfig(inputs.model.id),
      datasetFacts: (await registry.artifactFacts(inputs.data.id)) ?? null,
    });
    context.progress(0.4);
    const registered = await registry.registerVersion(registration);
    context.log.info(
      registered.created
        ? `Registered ${registered.modelName} version ${registered.version}`
        : `Version ${registered.version} of ${registered.modelName} was registered by an earlier attempt of this step`,
    );
    context.progress(0.6);
    const comparison =
      config.action === 'register'
        ? undefined
        : await compare(registry, {
            metric: config.compareMetric,
            margin: config.margin,
            modelName: registered.modelName,
            newVersion: { onnx, task: model.task, labels: model.classes },
            newInputs,
            newVersionNumber: registered.version,
            duck,
            dataset,
            target: requireColumn(dataset, model.target, 'data'),
          });
    const decision = decide({
      action: config.action,
      model: registered.modelName,
      version: registered.version,
      comparison,
      person: authority.person,
    });
    const set = decision.alias
      ? await registry.setAlias({
          modelName: registered.modelName,
          alias: decision.alias,
          version: registered.version,
          reason: decision.reason,
        })
      : undefined;
    // The model requires an operator's approval for production: the promotion waits as a request.
    const awaitingApproval = set?.pending !== undefined;
    const reason = awaitingApproval
      ? `Awaiting approval: ${registered.modelName} requires an operator's approval to promote to production, so version ${registered.version} waits on the model page's Rollout tab (production stays ${set?.from === null || set?.from === undefined ? 'unset' : `version ${set.from}`}). ${decision.reason}`
      : decision.reason;
    context.log.info(reason);
    const deployment = {
      model: registered.modelName,
      version: registered.version,
      alias: awaitingApproval ? null : decision.alias,
      decision: reason,
      ...(awaitingApproval ? { awaitingApproval: true } : {}),
    };
    context.progress(1);
    return {
      outputs: {},
      summary: {
        ...deployment,
        action: config.action,
        ...summaryComparison(comparison, config, registered.version),
        actedFor: authority.person ? `${authority.person.email} (${authority.person.role})` : null,
        metrics: report.metrics,
      },
    };
  } finally {
    duck.close();
  }
};

/**
 * The model's ONNX graph, read from the train step's folder. A model without one (a transform has
 * no ONNX form) cannot be served: the step fails, saying which transform stands in the way.
 */
async function readOnnx(model: ModelArtifact, modelFile: string, dataset: DatasetInput): Promise<Uint8Array> {
  if (model.onnx)
    return new Uint8Array(await readFile(path.join(path.dirname(modelFile), path.basename(model.onnx))));
  // The train step logged why; exporting again gives the same reason, to put in this step's error.
  const reasons: string[] = [];
  exportModelOnnx(model, dataset, {
    info: () => {},
    warn: (message) => reasons.push(message),
    error: () => {},
  });
  const reason = reasons[0]
    ?.replace(/^No ONNX file: /, '')
    .replace(/\. The model can be evaluated, not deployed\.$/, '');
  throw new NodeInputError(
    `The model has no ONNX file, so it cannot be deployed${reason ? `: ${reason}` : ''}. Change or remove that step and train again.`,
    { field: 'model' },
  );
}

/** The metric a version's figure is quoted in when the step has no rule naming one. */
const MAIN_METRIC: Record<ModelArtifact['task'], string> = { classification: 'accuracy', regression: 'rmse' };

/**
 * The summary's figures under a rule: both versions'; the version's own figure twice when it is
 * production already (it is the champion it would be compared with).
 */
function summaryComparison(
  comparison: Comparison | undefined,
  rule: { compareMetric?: string; margin: number },
  version: number,
): { comparison?: Record<string, number | string> } {
  if (comparison?.kind === 'scored')
    return {
      comparison: {
        metric: comparison.metric,
        margin: comparison.margin,
        new: comparison.challenger,
        production: comparison.champion,
        productionVersion: comparison.championVersion,
      },
    };
  if (
    comparison?.kind === 'already-production' &&
    comparison.figure !== undefined &&
    rule.compareMetric !== undefined
  )
    return {
      comparison: {
        metric: comparison.metric,
        margin: rule.margin,
        new: comparison.figure,
        production: comparison.figure,
        productionVersion: version,
      },
    };
  return {};
}

/**
 * What the decision rests on, for an action that sets an alias. When production already holds this
 * version, that (with its recorded figure), rule or not. Otherwise, under a champion/challenger rule,
 * the comparison: the new graph and the production version's graph (read from the registry) scored
 * on the same raw test rows, the chosen metric computed for both. Without a rule, nothing.
 */
async function compare(
  registry: RegistryPort,
  input: {
    metric: string | undefined;
    margin: number;
    modelName: string;
    newVersion: { onnx: Uint8Array; task: ModelArtifact['task']; labels: ModelArtifact['classes'] };
    newInputs: InputColumn[];
    newVersionNumber: number;
    duck: Duck;
    dataset: DatasetInput;
    target: string;
  },
): Promise<Comparison | undefined> {
  const production = await registry.productionOf(input.modelName);
  // A retried step whose first attempt promoted this version (or someone promoted it since).
  if (production?.version === input.newVersionNumber) {
    const quoted = input.metric ?? MAIN_METRIC[production.task];
    return { kind: 'already-production', metric: quoted, figure: production.metrics[quoted] };
  }
  const metric = input.metric;
  if (metric === undefined) return undefined;
  if (!production) return { kind: 'no-production' };
  if (production.task !== input.newVersion.task)
    throw new NodeInputError(
      `Production version ${production.version} of ${production.modelName} is a ${production.task} model and this one a ${input.newVersion.task} model: they cannot be compared`,
      { field: 'compareMetric' },
    );
  const productionInputs = production.signature.inputs.map(({ name, type }) => ({ name, type }));
  requireInputs(input.dataset, productionInputs, `Production version ${production.version}`);
  // Both graphs' columns, each read once; a column both take has the same values for both.
  const byName = new Map(productionInputs.map((column) => [column.name, column]));
  for (const column of input.newInputs) {
    const theirs = byName.get(column.name);
    if (theirs && theirs.type !== column.type)
      throw new NodeInputError(
        `Column "${column.name}" is ${column.type === 'string' ? 'text' : `a ${column.type}`} for the new version and ${theirs.type === 'string' ? 'text' : `a ${theirs.type}`} for production version ${production.version}: the two cannot be scored on the same rows`,
        { field: 'compareMetric', column: column.name },
      );
    byName.set(column.name, column);
  }
  const rows = await readTestRows(input.duck, input.dataset, [...byName.values()], input.target);
  if (rows.rows === 0)
    throw new NodeInputError('There are no test rows with a target value to compare the two versions on', {
      field: 'data',
    });
  const scored = await scoreGraphs(
    [
      { name: 'The new version', ...input.newVersion },
      {
        name: `Production version ${production.version}`,
        onnx: await production.onnx(),
        task: production.task,
        labels:
          production.signature.output.task === 'classification' ? production.signature.output.labels : [],
      },
    ],
    rows,
  );
  const [challenger, champion] = scored.metrics.map((metrics) => metrics[metric]);
  if (challenger === undefined || champion === undefined) {
    const known = Object.keys(scored.metrics[0] ?? {}).join(', ');
    throw new NodeInputError(`No metric "${metric}" for this model (${known})`, {
      field: 'compareMetric',
    });
  }
  return {
    kind: 'scored',
    metric,
    margin: input.margin,
    challenger,
    champion,
    championVersion: production.version,
    lowerIsBetter: lowerIsBetter(metric),
  };
}
