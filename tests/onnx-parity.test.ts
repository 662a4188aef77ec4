import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fitBoosted } from '../ml/boosting/hist-gbm';
import { argmaxRows, fitLogistic } from '../ml/linear/logistic';
import { type FeatureMatrix, fitRidge } from '../ml/linear/ridge';
import { type FittedModel, predictModel, type Task } from '../ml/model';
import { exportOnnx, exportTransforms, OnnxExportError } from '../ml/onnx';
import { seededRandom } from '../ml/random';
import { fitTree } from '../ml/trees/cart';
import { fitForest } from '../ml/trees/forest';
import { Duck, type Plain } from '../nodes/_data/duck';
import { readMatrix } from '../nodes/_data/matrix';
import { readTransformSpec, type TransformSpec } from '../nodes/_data/transform-spec';
import type { ArtifactRef } from '../nodes/_kit/artifact-ref';
import {
  onnxInputColumns,
  onnxTransformInput,
  type StoredColumn,
  specFeatures,
} from '../nodes/_model/onnx-steps';
import { nodeRuns } from '../nodes/runs';
import { NodeHarness } from './support/node-harness';
import { runGraph } from './support/ort';

/**
 * Serving parity: the real data nodes transform each dataset, a model is fitted and predicts in
 * process on the transformed test rows, and the exported graph, run in onnxruntime on the RAW test
 * rows, must give the same labels, and probabilities or values within 1e-5.
 */

const harness = new NodeHarness();
afterAll(() => harness.cleanup());

/** A dataset from CSV text, by the real ingest node (as nodes/ingest/test-dataset.ts, with column types). */
async function csvDataset(
  name: string,
  csv: string,
  columnTypes: Record<string, string> = {},
): Promise<ArtifactRef> {
  const file = path.join(harness.dataDir, 'uploads', `${name}.csv`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, csv);
  return output(
    await harness.run(nodeRuns.ingest, { source: 'file', file: `uploads/${name}.csv`, columnTypes }),
  );
}

type Raw = Record<string, Plain>;

interface Prepared {
  spec: TransformSpec;
  rawColumns: StoredColumn[];
  features: string[];
  train: FeatureMatrix & { target: Plain[] };
  test: FeatureMatrix;
  /** The test rows as they were before clean and feature, in the same order. */
  rawTest: Raw[];
}

function output(result: { outputs: Record<string, ArtifactRef> }): ArtifactRef {
  const ref = result.outputs.data;
  if (!ref) throw new Error('no data output');
  return ref;
}

/** ingest → split → clean → feature with the real nodes; the matrices and raw rows the model sees. */
async function prepare(
  ingested: ArtifactRef,
  options: { split: Record<string, unknown>; clean: unknown[]; feature: unknown[]; target: string },
): Promise<Prepared> {
  const split = output(
    await harness.run(nodeRuns.split, { testFraction: 0.25, seed: 3, ...options.split }, { data: ingested }),
  );
  const cleaned = output(await harness.run(nodeRuns.clean, { operations: options.clean }, { data: split }));
  const featured = output(
    await harness.run(
      nodeRuns.feature,
      { operations: options.feature, target: options.target },
      { data: cleaned },
    ),
  );
  const finalFile = fileURLToPath(featured.uri);
  const spec = readTransformSpec(finalFile);
  const features = specFeatures(spec) ?? [];
  const duck = await Duck.open();
  try {
    const splitFile = fileURLToPath(split.uri);
    const rawColumns = (await duck.all('describe select * from read_parquet($1)', [splitFile])).map(
      (row) => ({
        name: String(row.column_name),
        storage: String(row.column_type),
      }),
    );
    const train = await readMatrix(duck, finalFile, {
      features,
      target: options.target,
      where: `_split = 'train'`,
    });
    const test = await readMatrix(duck, finalFile, { features, where: `_split = 'test'` });
    const rawTest = await duck.all(`select * from read_parquet($1) where _split = 'test'`, [splitFile]);
    expect(rawTest.length).toBe(test.rows);
    return { spec, rawColumns, features, train, test, rawTest };
  } finally {
    duck.close();
  }
}

/** The raw rows as graph inputs: numbers (booleans as 1 and 0, missing NaN), text (missing ""). */
function feeds(prepared: Prepared): Record<string, (number | string)[]> {
  const { columns } = onnxTransformInput(prepared.spec, prepared.rawColumns, prepared.features);
  return Object.fromEntries(
    columns.map((column) => [
      column.name,
      prepared.rawTest.map((row) => {
        const value = row[column.name] ?? null;
        if (column.kind === 'string') return value === null ? '' : String(value);
        return value === null ? Number.NaN : Number(value);
      }),
    ]),
  );
}

/** Class labels sorted as the train node sorts them (numbers by value, else by text), and class indices. */
function encode(target: Plain[]): { labels: (string | number)[]; y: number[] } {
  const labels = [
    ...new Set(
      target
        .filter((value) => value !== null)
        .map((value) => (typeof value === 'number' ? value : String(value))),
    ),
  ];
  labels.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a) < String(b)
        ? -1
        : String(a) > String(b)
          ? 1
          : 0,
  );
  const index = new Map<Plain, number>(labels.map((label, k) => [label, k]));
  return {
    labels,
    y: target.map((value) => index.get(typeof value === 'number' ? value : String(value)) ?? -1),
  };
}

/** The transform graph on the raw test rows gives the data nodes' feature values. */
async function expectFeatureParity(prepared: Prepared): Promise<void> {
  const bytes = exportTransforms(onnxTransformInput(prepared.spec, prepared.rawColumns, prepared.features));
  const { features } = await runGraph(bytes, feeds(prepared));
  expect(features?.dims).toEqual([prepared.test.rows, prepared.features.length]);
  const mismatches: string[] = [];
  features?.data.forEach((value, i) => {
    const expected = prepared.test.values[i] ?? Number.NaN;
    const actual = Number(value);
    const same = Number.isNaN(expected)
      ? Number.isNaN(actual)
      : Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected));
    if (!same)
      mismatches.push(
        `row ${Math.floor(i / prepared.features.length)} ${prepared.features[i % prepared.features.length]}: ${actual} ≠ ${expected}`,
      );
  });
  expect(mismatches).toEqual([]);
}

type Algorithm = FittedModel['algorithm'];

function fitModel(algorithm: Algorithm, x: FeatureMatrix, y: number[], classes: number): FittedModel {
  switch (algorithm) {
    case 'linear':
      return { algorithm, model: fitRidge(x, y, 1) };
    case 'logistic':
      return { algorithm, model: fitLogistic(x, y, classes) };
    case 'decision_tree':
      return {
        algorithm,
        model: fitTree(x, y, { classes, criterion: classes ? 'gini' : 'squared_error', maxDepth: 8 }),
      };
    case 'random_forest':
      return { algorithm, model: fitForest(x, y, { classes, trees: 12, seed: 5 }) };
    case 'gradient_boosting':
      return { algorithm, model: fitBoosted(x, y, { classes, maxIter: 30 }) };
  }
}

/** Fits in process, predicts the transformed test rows, and compares with the graph on the raw rows. */
async function expectModelParity(prepared: Prepared, algorithm: Algorithm, task: Task): Promise<void> {
  const { labels, y } =
    task === 'classification'
      ? encode(prepared.train.target)
      : { labels: [], y: prepared.train.target.map(Number) };
  const model = fitModel(algorithm, prepared.train, y, task === 'classification' ? labels.length : 0);
  const expected = predictModel(model, prepared.test);
  const bytes = exportOnnx({
    ...onnxTransformInput(prepared.spec, prepared.rawColumns, prepared.features),
    model,
    task,
    ...(task === 'classification' ? { classLabels: labels } : {}),
  });
  const outputs = await runGraph(bytes, feeds(prepared));
  if (task === 'regression') {
    const values = outputs.value?.data.map(Number) ?? [];
    expect(values.length).toBe(prepared.test.rows);
    const worst = Math.max(...values.map((value, i) => Math.abs(value - (expected[i] ?? Number.NaN))));
    expect(worst).toBeLessThan(1e-5);
    return;
  }
  const probabilities = outputs.probabilities?.data.map(Number) ?? [];
  expect(probabilities.length).toBe(prepared.test.rows * labels.length);
  const worst = Math.max(...probabilities.map((p, i) => Math.abs(p - (expected[i] ?? Number.NaN))));
  expect(worst).toBeLessThan(1e-5);
  expect(outputs.label?.data).toEqual(Array.from(argmaxRows(expected, labels.length), (k) => labels[k]));
}

async function sample(name: string): Promise<ArtifactRef> {
  return output(await harness.run(nodeRuns.ingest, { source: 'sample', sample: name }));
}

const classifiers: Algorithm[] = ['logistic', 'decision_tree', 'random_forest', 'gradient_boosting'];
const regressors: Algorithm[] = ['linear', 'decision_tree', 'random_forest', 'gradient_boosting'];

describe('ONNX serving parity on the bundled datasets', () => {
  it('iris: impute, clip, a numeric column one-hot encoded, derive, log, standardize; four classifiers', async () => {
    const prepared = await prepare(await sample('iris'), {
      split: { method: 'stratified', stratifyBy: 'target' },
      clean: [
        { op: 'impute', columns: { byType: 'numeric' }, strategy: 'mean' },
        { op: 'clip', columns: ['sepal_width_cm'], method: 'iqr' },
      ],
      feature: [
        { op: 'derive', name: 'petal_ratio', expression: 'petal_length_cm / (petal_width_cm + 0.5)' },
        { op: 'one_hot', columns: ['petal_width_cm'], topK: 6 },
        { op: 'log', columns: ['sepal_length_cm'] },
        {
          op: 'standardize',
          columns: ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_ratio'],
        },
      ],
      target: 'target',
    });
    expect(prepared.features).toContain('petal_width_cm=other');
    await expectFeatureParity(prepared);
    for (const algorithm of classifiers) await expectModelParity(prepared, algorithm, 'classification');
  });

  it('breast cancer: impute, clip, standardize, min-max, sqrt, bin, derive; integer labels', async () => {
    const prepared = await prepare(await sample('breast_cancer'), {
      split: { method: 'stratified', stratifyBy: 'target' },
      clean: [
        { op: 'impute', columns: { byType: 'numeric', except: ['target'] }, strategy: 'median' },
        { op: 'clip', columns: ['mean_area', 'worst_area'], method: 'quantile', lower: 0.02, upper: 0.98 },
      ],
      feature: [
        { op: 'derive', name: 'area_ratio', expression: 'round(worst_area / mean_area * 100) / 100' },
        { op: 'sqrt', columns: ['mean_area'] },
        { op: 'bin', column: 'worst_concavity', bins: 4, method: 'quantile' },
        { op: 'min_max', columns: ['worst_area'] },
        { op: 'standardize', columns: { byType: 'numeric', except: ['worst_area', 'worst_concavity'] } },
      ],
      target: 'target',
    });
    await expectFeatureParity(prepared);
    for (const algorithm of classifiers) await expectModelParity(prepared, algorithm, 'classification');
  });

  it('diabetes: impute, a numeric category one-hot encoded, derive, standardize; four regressors', async () => {
    const prepared = await prepare(await sample('diabetes'), {
      split: { method: 'random' },
      clean: [{ op: 'impute', columns: { byType: 'numeric' }, strategy: 'mean' }],
      feature: [
        { op: 'one_hot', columns: ['sex'], topK: 1 },
        { op: 'derive', name: 'bmi_bp', expression: 'bmi * bp + max(s1, s2)' },
        { op: 'standardize', columns: { byType: 'numeric' } },
      ],
      target: 'target',
    });
    expect(prepared.features).toEqual(expect.arrayContaining(['sex=other']));
    await expectFeatureParity(prepared);
    for (const algorithm of regressors) await expectModelParity(prepared, algorithm, 'regression');
  });
});

/** A churn table: text categories with missing values and mixed case, numbers with gaps, yes/no, three text labels. */
function churnCsv(rows: number): string {
  const random = seededRandom(11);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const lines = ['age,income,city,plan,member,label'];
  for (let i = 0; i < rows; i++) {
    const age = 18 + Math.floor(random() * 60);
    const income = Math.round(20000 + random() * 80000) / 1;
    const city = pick(['paris', 'paris', 'paris', 'london', 'london', 'berlin', 'rome', 'oslo', 'lima']);
    const plan = pick(['Basic', 'basic', 'BASIC', 'Pro', 'PRO', 'plus']);
    const member = random() < 0.4;
    const score =
      (age - 45) / 20 +
      (income - 60000) / 30000 +
      (member ? 0.8 : -0.3) +
      (city === 'paris' ? 0.5 : 0) +
      random() -
      0.5;
    const label = score < -0.6 ? 'churn' : score < 0.7 ? 'stay' : 'upgrade';
    const gap = (value: string | number) => (random() < 0.08 ? '' : String(value));
    lines.push([gap(age), gap(income), gap(city), gap(plan), member, label].join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('ONNX serving parity on text categories, missing values and text labels', () => {
  const feature = [
    { op: 'derive', name: 'income_per_age', expression: 'income / age' },
    { op: 'log', columns: ['income_per_age'] },
    { op: 'one_hot', columns: ['city'], topK: 3 },
    { op: 'ordinal', columns: ['plan'] },
    { op: 'bin', column: 'income', bins: 3, method: 'width' },
    { op: 'standardize', columns: ['age'] },
  ];

  it('imputes, lower-cases, one-hot and ordinal encodes text; four classifiers with three text labels', async () => {
    const data = await csvDataset('churn', churnCsv(400), { member: 'boolean' });
    const prepared = await prepare(data, {
      split: { method: 'stratified', stratifyBy: 'label' },
      clean: [
        { op: 'impute', columns: ['age'], strategy: 'mean' },
        { op: 'impute', columns: ['income'], strategy: 'median' },
        { op: 'clip', columns: ['income'], method: 'quantile', lower: 0.05, upper: 0.95 },
        { op: 'impute', columns: ['plan'], strategy: 'most_frequent' },
        { op: 'text', columns: ['plan'], trim: false, lower: true },
      ],
      feature,
      target: 'label',
    });
    const kinds = Object.fromEntries(
      onnxInputColumns(prepared.spec, prepared.rawColumns, prepared.features).map((column) => [
        column.name,
        column.kind,
      ]),
    );
    expect(kinds).toEqual({
      age: 'number',
      income: 'number',
      city: 'string',
      plan: 'string',
      member: 'number',
    });
    // Missing cities reach the graph as "" and one-hot encode to all zeros, as the SQL's NULLs do.
    expect(prepared.rawTest.some((row) => row.city === null)).toBe(true);
    await expectFeatureParity(prepared);
    for (const algorithm of classifiers) await expectModelParity(prepared, algorithm, 'classification');
  });

  it('gradient boosting routes missing numbers the way it learned', async () => {
    const data = await csvDataset('churn-gaps', churnCsv(400), { member: 'boolean' });
    const prepared = await prepare(data, {
      split: { method: 'stratified', stratifyBy: 'label' },
      clean: [
        // A missing income stays missing through clip, for boosting to route.
        { op: 'clip', columns: ['income'], method: 'quantile', lower: 0.05, upper: 0.95 },
        { op: 'text', columns: ['plan'], trim: false, lower: true },
      ],
      feature,
      target: 'label',
    });
    expect(Array.from(prepared.test.values).some(Number.isNaN)).toBe(true);
    expect(Array.from(prepared.train.values).some(Number.isNaN)).toBe(true);
    expect(prepared.rawTest.some((row) => row.income === null)).toBe(true);
    await expectFeatureParity(prepared);
    await expectModelParity(prepared, 'gradient_boosting', 'classification');
  });
});

describe('unseen categories and unsupported steps', () => {
  const csv = [
    'colour,size,n,_split',
    'red,s,1,train',
    'red,m,2,train',
    'blue,s,1,train',
    'green,l,3,train',
    'red,s,2.5,train',
    'pink,xl,9,test',
    ',s,,test',
    'blue,,1,test',
    'green,m,2.5,test',
  ].join('\n');

  it('sends an unseen category to "other", or to all zeros without one, exactly as the SQL does', async () => {
    const data = await csvDataset('unseen', `${csv}\n`);
    const featured = output(
      await harness.run(
        nodeRuns.feature,
        {
          operations: [
            { op: 'one_hot', columns: ['colour'], topK: 2 },
            { op: 'one_hot', columns: ['size'], topK: 5 },
            { op: 'ordinal', columns: ['n'] },
          ],
        },
        { data },
      ),
    );
    const file = fileURLToPath(featured.uri);
    const spec = readTransformSpec(file);
    const features = specFeatures(spec) ?? [];
    expect(spec.steps.slice(0, 2)).toEqual([
      { op: 'one_hot', column: 'colour', categories: ['red', 'blue'], other: true },
      { op: 'one_hot', column: 'size', categories: ['s', 'l', 'm'], other: false },
    ]);
    const duck = await Duck.open();
    const rawFile = fileURLToPath(data.uri);
    const sqlRows = await duck.all(`select * from read_parquet($1) where _split = 'test'`, [file]);
    const rawRows = await duck.all(`select * from read_parquet($1) where _split = 'test'`, [rawFile]);
    const rawColumns = (await duck.all('describe select * from read_parquet($1)', [rawFile])).map((row) => ({
      name: String(row.column_name),
      storage: String(row.column_type),
    }));
    duck.close();
    const bytes = exportTransforms(onnxTransformInput(spec, rawColumns, features));
    const { features: graph } = await runGraph(bytes, {
      colour: rawRows.map((row) => (row.colour === null ? '' : String(row.colour))),
      size: rawRows.map((row) => (row.size === null ? '' : String(row.size))),
      n: rawRows.map((row) => (row.n === null ? Number.NaN : Number(row.n))),
    });
    const fromGraph = rawRows.map((_, r) =>
      Object.fromEntries(features.map((name, k) => [name, Number(graph?.data[r * features.length + k])])),
    );
    expect(fromGraph).toEqual(
      sqlRows.map((row) => Object.fromEntries(features.map((name) => [name, Number(row[name])]))),
    );
    // pink: other; missing colour: all zeros; unseen size xl: all zeros; n = 9 unseen: −1.
    expect(fromGraph[0]).toEqual({
      n: -1,
      'colour=red': 0,
      'colour=blue': 0,
      'colour=other': 1,
      'size=s': 0,
      'size=l': 0,
      'size=m': 0,
    });
    expect(fromGraph[1]).toMatchObject({ 'colour=red': 0, 'colour=blue': 0, 'colour=other': 0, n: -1 });
  });

  it('refuses a step it cannot express, naming the step and the column', async () => {
    const data = await csvDataset('trimmed', `${csv}\n`);
    const cleaned = output(
      await harness.run(nodeRuns.clean, { operations: [{ op: 'text', columns: ['colour'] }] }, { data }),
    );
    const featured = output(
      await harness.run(
        nodeRuns.feature,
        { operations: [{ op: 'one_hot', columns: ['colour'], topK: 2 }] },
        { data: cleaned },
      ),
    );
    const spec = readTransformSpec(fileURLToPath(featured.uri));
    const rawColumns = [
      { name: 'colour', storage: 'VARCHAR' },
      { name: 'size', storage: 'VARCHAR' },
      { name: 'n', storage: 'DOUBLE' },
    ];
    // The model's features: the one-hot columns of colour, and n ("size" is text, left out).
    const features = (specFeatures(spec) ?? []).filter((name) => name !== 'size');
    expect(() => onnxInputColumns(spec, rawColumns, features)).toThrow(OnnxExportError);
    expect(() => onnxInputColumns(spec, rawColumns, features)).toThrow(
      'Transform step 1 (text) on column "colour": trimming text has no standard ONNX operator; leave trim off to export this model',
    );
    // Without the trimmed column among the features, the step is not needed and the export works.
    expect(onnxInputColumns(spec, rawColumns, ['n'])).toEqual([{ name: 'n', kind: 'number' }]);
  });
});
