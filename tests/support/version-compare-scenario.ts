import { expect } from 'vitest';
import {
  findModelByName,
  findModelVersion,
  type ModelVersionRow,
  readModelFile,
} from '../../db/queries/registry';
import { type EvaluationReport, evaluationReportSchema } from '../../nodes/evaluate/report-schema';
import type { PipelineDocument } from '../../pipeline/document';
import { EVALUATION_FILE } from '../../registry/version-schema';
import type { Fixture } from './fixture';
import { pipelineDoc } from './pipeline-doc';
import { runToEnd, savePipeline } from './pipelines';
import { promote } from './registered-model';

/**
 * Two versions of `cancer` for the version comparison's tests, registered by real runs (ingest →
 * clean → split → feature → train → evaluate → deploy): version 1 gradient boosting on all of breast
 * cancer, in production; version 2 linear on the rows with mean_radius below 15, with
 * mean_fractal_dimension dropped. So the metrics, curves and importances differ, and the training
 * data lost rows and a column and shifted.
 */
export const COMPARED_MODEL = 'cancer';
/** The regression pair: diabetes, gradient boosting then linear, both on the same rows. */
export const COMPARED_REGRESSION = 'diabetes';

interface Trained {
  model: string;
  sample: 'breast_cancer' | 'diabetes';
  algorithm: string;
  clean?: unknown[];
}

function comparedPipeline({ model, sample, algorithm, clean = [] }: Trained): PipelineDocument {
  const split =
    sample === 'breast_cancer'
      ? { method: 'stratified', stratifyBy: 'target', seed: 42 }
      : { method: 'random', seed: 42 };
  return pipelineDoc(
    [
      { id: 'ingest', type: 'ingest', config: { source: 'sample', sample } },
      { id: 'clean', type: 'clean', config: { operations: clean } },
      { id: 'split', type: 'split', config: split },
      {
        id: 'feature',
        type: 'feature',
        config: {
          operations: [{ op: 'standardize', columns: { byType: 'numeric', except: ['target'] } }],
          target: 'target',
        },
      },
      { id: 'train', type: 'train', config: { target: 'target', algorithm } },
      { id: 'evaluate', type: 'evaluate', config: { gates: [] } },
      { id: 'deploy', type: 'deploy', config: { model, action: 'register' } },
    ],
    [
      'ingest.data->clean.data',
      'clean.data->split.data',
      'split.data->feature.data',
      'feature.data->train.data',
      'train.model->evaluate.model',
      'feature.data->evaluate.data',
      'train.model->deploy.model',
      'evaluate.report->deploy.report',
      'split.data->deploy.data',
    ],
  );
}

async function registerVersion(fixture: Fixture, trained: Trained): Promise<void> {
  const { version } = await savePipeline(fixture.database.db, comparedPipeline(trained));
  const { result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
  expect(result.status).toBe('succeeded');
}

/** Runs both pipelines and promotes version 1 to production. */
export async function registerComparedVersions(fixture: Fixture): Promise<void> {
  const cancer = { model: COMPARED_MODEL, sample: 'breast_cancer' } as const;
  await registerVersion(fixture, { ...cancer, algorithm: 'gradient_boosting' });
  await registerVersion(fixture, {
    ...cancer,
    algorithm: 'linear',
    clean: [
      { op: 'drop', columns: ['mean_fractal_dimension'] },
      { op: 'filter', condition: { column: 'mean_radius', operator: '<', value: 15 } },
    ],
  });
  const model = await findModelByName(fixture.database.sql, COMPARED_MODEL);
  if (!model) throw new Error('the runs registered no model');
  await promote(fixture.database.sql, model.id, 'production', 1);
}

/** Two regression versions of `diabetes`, gradient boosting then linear, on the same data; none in production. */
export async function registerRegressionVersions(fixture: Fixture): Promise<void> {
  const diabetes = { model: COMPARED_REGRESSION, sample: 'diabetes' } as const;
  await registerVersion(fixture, { ...diabetes, algorithm: 'gradient_boosting' });
  await registerVersion(fixture, { ...diabetes, algorithm: 'linear' });
}

/** A version's registry row. */
export async function comparedVersion(
  fixture: Fixture,
  version: number,
  name = COMPARED_MODEL,
): Promise<ModelVersionRow> {
  const model = await findModelByName(fixture.database.sql, name);
  const row = model && (await findModelVersion(fixture.database.sql, model.id, version));
  if (!row) throw new Error(`no version ${version} of ${name}`);
  return row;
}

/** The evaluate step's report the deploy step kept with a version (model_files evaluation.json). */
export async function keptReport(
  fixture: Fixture,
  version: number,
  name = COMPARED_MODEL,
): Promise<EvaluationReport> {
  const row = await comparedVersion(fixture, version, name);
  const file = await readModelFile(fixture.database.sql, row.id, EVALUATION_FILE);
  if (!file) throw new Error(`version ${version} kept no evaluation report`);
  return evaluationReportSchema.parse(JSON.parse(file.content.toString('utf8')));
}
