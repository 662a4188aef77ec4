import type { DuckDBValue } from '@duckdb/node-api';
import { argmaxRows } from '../../ml/linear/logistic';
import { selectRows } from '../../ml/matrix';
import { accuracy } from '../../ml/metrics/classification';
import { r2 } from '../../ml/metrics/regression';
import { type FittedModel, predictModel } from '../../ml/model';
import { permutationImportance } from '../../ml/permutation';
import { conditionSql } from '../_data/condition-sql';
import { openDataset, requireColumn } from '../_data/dataset-input';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import { Duck } from '../_data/duck';
import { readMatrix } from '../_data/matrix';
import { quoteIdent } from '../_data/sql';
import type { NodeRun } from '../_kit/define-node';
import { NodeInputError } from '../_kit/errors';
import { writeJsonArtifact } from '../_kit/json-artifact';
import { checkFeatureValues, chooseFeatures } from '../_model/features';
import { type ModelArtifact, readModelArtifact } from '../_model/model-artifact';
import { encodeTruth } from '../_model/truth';
import { checkGates } from './gates';
import { productionBaseline } from './production-baseline';
import { chartsOf, metricsOf, type Predictions } from './report';
import type { EvaluationReport } from './report-schema';
import type { evaluateSpec } from './spec';

export const runEvaluate: NodeRun<typeof evaluateSpec> = async ({ config, inputs }, context) => {
  const model = await readModelArtifact(context.artifacts.localPath(inputs.model));
  const duck = await Duck.open();
  try {
    const dataset = await openDataset(duck, inputs.data);
    // The same checks as training: the features must exist, be numbers or yes/no, and be finite.
    chooseFeatures(dataset, model.features, model.target);
    const target = requireColumn(dataset, model.target, 'data');
    const split = dataset.columns.some((column) => column.name === SPLIT_COLUMN);
    if (!split)
      context.log.warn('The data has no split: the model is measured on every row, training rows included');
    const params: DuckDBValue[] = [];
    const bind = (value: DuckDBValue) => {
      params.push(value);
      return `$${params.length + 1}`;
    };
    const rows = await readMatrix(duck, dataset.file, {
      features: model.features,
      target,
      where: `${split ? `${quoteIdent(SPLIT_COLUMN)} = 'test' and ` : ''}${quoteIdent(target)} is not null`,
      extras: config.slices.map((slice, index) =>
        conditionSql(slice.condition, dataset.columns, bind, `slices.${index}.condition`),
      ),
      params,
    });
    if (rows.rows === 0)
      throw new NodeInputError('There are no test rows with a target value to measure', { field: 'data' });
    context.progress(0.3);

    checkFeatureValues(rows, model.features, model.algorithm, 'test');
    const { keep, y } = encodeTruth(model.task, model.classes, rows.target);
    if (keep.length < rows.rows)
      context.log.warn(
        `Left out ${rows.rows - keep.length} test rows whose class never occurred in training`,
      );
    const measured = selectRows(rows, keep);
    const predictions: Predictions = {
      task: model.task,
      classes: model.classes,
      y,
      predicted: predictModel(model.fitted, measured),
    };
    const metrics = metricsOf(predictions);
    const slices = config.slices.map((slice, index) => {
      const flags = rows.extras[index] ?? new Float64Array();
      const members = Int32Array.from(keep.keys()).filter((position) => flags[keep[position] ?? 0] === 1);
      return {
        name: slice.name,
        rows: members.length,
        metrics: members.length ? metricsOf(predictions, members) : {},
      };
    });
    const production = config.gates.some((gate) => gate.compare === 'production')
      ? await productionBaseline(context.registry)
      : undefined;
    const gates = checkGates(
      config.gates,
      metrics,
      new Map(slices.map((slice) => [slice.name, slice.metrics])),
      production,
    );
    const report: EvaluationReport = {
      task: model.task,
      algorithm: model.algorithm,
      target,
      rows: keep.length,
      metrics,
      slices,
      gates,
      ...chartsOf(predictions),
      importances: model.importances,
      permutationImportances: permutationImportances(model, measured, y),
      training: model.training,
    };
    const stored = await writeJsonArtifact(context, 'report', 'report', report);
    for (const gate of gates) {
      const line = `Gate ${gate.description}: measured ${gate.measured ?? 'nothing'}${gate.note ? ` (${gate.note})` : ''}`;
      if (gate.passed) context.log.info(`${line}: passed`);
      else context.log.warn(`${line}: failed`);
    }
    const failed = gates.filter((gate) => !gate.passed);
    if (failed.length)
      throw new NodeInputError(
        `Failed gates: ${failed.map((gate) => `${gate.description} (${gate.measured === null ? gate.note : `measured ${round(gate.measured)}`})`).join('; ')}`,
        { field: 'gates' },
      );
    return {
      outputs: { report: stored.ref },
      summary: {
        rows: keep.length,
        metrics,
        gates: gates.map(({ description, passed }) => ({ description, passed })),
      },
    };
  } finally {
    duck.close();
  }
};

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** Permutation importance is measured on at most this many test rows, to bound its cost. */
const PERMUTATION_ROWS = 5000;

/** Drop in accuracy (classes) or R² (values) when each feature is shuffled, highest first. */
function permutationImportances(
  model: ModelArtifact,
  measured: { values: Float64Array; rows: number; cols: number },
  y: Float64Array,
) {
  const count = Math.min(measured.rows, PERMUTATION_ROWS);
  const values = measured.values.subarray(0, count * measured.cols);
  const truth = y.subarray(0, count);
  const drops = permutationImportance({ values, rows: count, cols: measured.cols }, (matrix) =>
    scoreOf(model.fitted, model.task, model.classes.length, matrix, truth),
  );
  return model.features
    .map((feature, index) => ({ feature, importance: drops[index] ?? 0 }))
    .sort((a, b) => b.importance - a.importance);
}

function scoreOf(
  fitted: FittedModel,
  task: 'classification' | 'regression',
  classes: number,
  matrix: { values: Float64Array; rows: number; cols: number },
  truth: Float64Array,
): number {
  const predicted = predictModel(fitted, matrix);
  return task === 'classification' ? accuracy(truth, argmaxRows(predicted, classes)) : r2(truth, predicted);
}
