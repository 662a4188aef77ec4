import path from 'node:path';
import { modelImportances } from '../../ml/importance';
import { evenlySpacedRows, selectRows } from '../../ml/matrix';
import { classificationMetrics, type Metrics, regressionMetrics } from '../../ml/metrics/summary';
import { type FittedModel, predictModel } from '../../ml/model';
import { openDataset, requireColumn } from '../_data/dataset-input';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import { Duck, numberOf } from '../_data/duck';
import { readMatrix } from '../_data/matrix';
import { quoteIdent } from '../_data/sql';
import { readTransformSpec } from '../_data/transform-spec';
import { writeFileAtomic } from '../_kit/atomic-file';
import type { NodeRun } from '../_kit/define-node';
import { NodeInputError } from '../_kit/errors';
import { checkFeatureValues, chooseFeatures } from '../_model/features';
import { type ModelArtifact, writeModelArtifact } from '../_model/model-artifact';
import { encodeTruth } from '../_model/truth';
import { exportModelOnnx } from './export-onnx';
import { fitOffThread } from './fit-pool';
import type { trainSpec } from './spec';
import { type EncodedTarget, encodeTarget } from './target';

export const runTrain: NodeRun<typeof trainSpec> = async ({ config, inputs }, context) => {
  const duck = await Duck.open();
  try {
    const dataset = await openDataset(duck, inputs.data);
    const target = requireColumn(dataset, config.target, 'target');
    const features = chooseFeatures(dataset, config.features, target);
    const split = dataset.columns.some((column) => column.name === SPLIT_COLUMN);
    const part = (name: string) => (split ? `${quoteIdent(SPLIT_COLUMN)} = '${name}'` : 'true');
    const labelled = `${quoteIdent(target)} is not null`;
    const { unlabelled } = await duck.one(
      `select count(*) filter (where ${part('train')} and not ${labelled}) as unlabelled from read_parquet($1)`,
      [dataset.file],
    );
    if (numberOf(unlabelled) > 0)
      context.log.warn(`Left out ${numberOf(unlabelled)} training rows without a value in "${target}"`);
    const training = await readMatrix(duck, dataset.file, {
      features,
      target,
      where: `${part('train')} and ${labelled}`,
    });
    if (training.rows === 0)
      throw new NodeInputError(
        split
          ? 'The split left no training rows with a target value'
          : 'The data has no rows with a target value',
        { field: 'target', column: target },
      );
    checkFeatureValues(training, features, config.algorithm);
    const encoded = encodeTarget(training.target, config.task, target);
    if (features.length > training.rows)
      context.log.warn(
        `More feature columns (${features.length}) than training rows (${training.rows}): expect overfitting`,
      );
    context.progress(0.1);

    const started = performance.now();
    const fitted = await fitOffThread(
      {
        algorithm: config.algorithm,
        task: encoded.task,
        classes: encoded.classes.length,
        // Only the features go to the training thread: the labels travel encoded, in `y`.
        x: { values: training.values, rows: training.rows, cols: training.cols },
        y: encoded.y,
        hyperparameters: config,
      },
      { signal: context.signal, onProgress: (fraction) => context.progress(0.1 + 0.8 * fraction) },
    );
    const seconds = (performance.now() - started) / 1000;
    const validation = split
      ? await validationMetrics(duck, dataset.file, features, target, fitted, encoded, part('validation'))
      : undefined;
    const importance = modelImportances(fitted, features.length);
    const modelFile = context.artifacts.pathFor('model', 'json');
    const onnxFile = context.artifacts.pathFor('model', 'onnx');
    const trained: Omit<ModelArtifact, 'onnx'> = {
      version: 1,
      algorithm: config.algorithm,
      task: encoded.task,
      target,
      features,
      classes: encoded.classes,
      fitted,
      transforms: readTransformSpec(dataset.file),
      training: {
        rows: training.rows,
        seconds,
        metrics: trainingMetrics(fitted, training, encoded, context.log),
        ...(validation ? { validation } : {}),
      },
      importances: features
        .map((feature, index) => ({ feature, importance: importance[index] ?? 0 }))
        .sort((a, b) => b.importance - a.importance),
    };
    const onnx = exportModelOnnx(trained, dataset, context.log);
    if (onnx) {
      await writeFileAtomic(onnxFile, onnx);
      await context.artifacts.commit('onnx', 'model', onnxFile);
    }
    const model: ModelArtifact = { ...trained, onnx: onnx ? path.basename(onnxFile) : null };
    await writeModelArtifact(modelFile, model);
    const stored = await context.artifacts.commit('model', 'model', modelFile);
    context.progress(1);
    return {
      outputs: { model: stored.ref },
      summary: {
        algorithm: config.algorithm,
        task: encoded.task,
        target,
        rows: training.rows,
        features: features.length,
        classes: encoded.classes,
        seconds: Math.round(seconds * 1000) / 1000,
        metrics: model.training.metrics,
        ...(validation ? { validationMetrics: validation.metrics } : {}),
        importances: model.importances.slice(0, 10),
      },
    };
  } finally {
    duck.close();
  }
};

/**
 * Training rows the training metrics are measured on, at most: predicting a million rows with a
 * hundred deep trees takes half a minute on the activity's event loop, and the figures only show
 * how well the model fits what it saw, which a sample tells as well.
 */
const TRAINING_METRIC_ROWS = 100_000;

function trainingMetrics(
  fitted: FittedModel,
  training: { values: Float64Array; rows: number; cols: number },
  encoded: EncodedTarget,
  log: { info(message: string): void },
): Metrics {
  if (training.rows <= TRAINING_METRIC_ROWS) return metricsOf(fitted, training, encoded);
  const rows = evenlySpacedRows(training.rows, TRAINING_METRIC_ROWS);
  log.info(
    `Training metrics measured on ${rows.length.toLocaleString('en-US')} of ${training.rows.toLocaleString('en-US')} training rows, evenly spaced`,
  );
  const y = Float64Array.from(rows, (row) => encoded.y[row] ?? 0);
  return metricsOf(fitted, selectRows(training, rows), { ...encoded, y });
}

function metricsOf(
  fitted: FittedModel,
  rows: { values: Float64Array; rows: number; cols: number },
  encoded: Pick<EncodedTarget, 'task' | 'classes' | 'y'>,
): Metrics {
  const predicted = predictModel(fitted, rows);
  return encoded.task === 'classification'
    ? classificationMetrics(encoded.y, predicted, encoded.classes.length)
    : regressionMetrics(encoded.y, predicted);
}

/** Metrics on the validation rows, when the split set some aside (labels unseen in training left out). */
async function validationMetrics(
  duck: Duck,
  file: string,
  features: string[],
  target: string,
  fitted: FittedModel,
  encoded: EncodedTarget,
  where: string,
): Promise<{ rows: number; metrics: Metrics } | undefined> {
  const rows = await readMatrix(duck, file, {
    features,
    target,
    where: `${where} and ${quoteIdent(target)} is not null`,
  });
  const { keep, y } = encodeTruth(encoded.task, encoded.classes, rows.target);
  if (keep.length === 0) return undefined;
  return { rows: keep.length, metrics: metricsOf(fitted, selectRows(rows, keep), { ...encoded, y }) };
}
