import { describe, expect, it } from 'vitest';
import { runGraph } from '../../tests/support/ort';
import { fitBoosted } from '../boosting/hist-gbm';
import type { BoostedModel, BoostedTree } from '../boosting/model';
import { argmaxRows, fitLogistic } from '../linear/logistic';
import { type FeatureMatrix, fitRidge } from '../linear/ridge';
import { type FittedModel, predictModel } from '../model';
import { seededRandom } from '../random';
import { fitTree } from '../trees/cart';
import { type Forest, fitForest } from '../trees/forest';
import { OnnxExportError } from './errors';
import { exportOnnx } from './export';
import type { RawColumn } from './types';

const COLS = 3;
const names = Array.from({ length: COLS }, (_, c) => `f${c}`);
const columns: RawColumn[] = names.map((name) => ({ name, kind: 'number' }));

/** Random rows; `missing` of the values NaN. */
function data(rows: number, seed: number, missing = 0): FeatureMatrix {
  const random = seededRandom(seed);
  const values = Float64Array.from({ length: rows * COLS }, () =>
    random() < missing ? Number.NaN : Math.round((random() * 10 - 5) * 100) / 100,
  );
  return { values, rows, cols: COLS };
}

function classesOf(x: FeatureMatrix, classes: number): number[] {
  return Array.from({ length: x.rows }, (_, r) => {
    const at = (c: number) => {
      const value = x.values[r * COLS + c] ?? 0;
      return Number.isNaN(value) ? 0 : value;
    };
    const score = at(0) + 0.5 * at(1);
    return Math.min(classes - 1, Math.max(0, Math.floor((score + 7) / (14 / classes))));
  });
}

/** The graph's outputs on the matrix's rows, fed as one column per feature. */
async function run(bytes: Uint8Array, x: FeatureMatrix) {
  const feeds = Object.fromEntries(
    names.map((name, c) => [
      name,
      Array.from({ length: x.rows }, (_, r) => x.values[r * COLS + c] ?? Number.NaN),
    ]),
  );
  return runGraph(bytes, feeds);
}

async function expectClassifierParity(fitted: FittedModel, x: FeatureMatrix, labels: (string | number)[]) {
  const bytes = exportOnnx({
    columns,
    steps: [],
    features: names,
    model: fitted,
    task: 'classification',
    classLabels: labels,
  });
  const { label, probabilities } = await run(bytes, x);
  const expected = predictModel(fitted, x);
  expect(probabilities?.type).toBe('float32');
  expect(probabilities?.dims).toEqual([x.rows, labels.length]);
  probabilities?.data.forEach((p, i) => {
    expect(Math.abs(Number(p) - (expected[i] ?? 0))).toBeLessThan(1e-6);
  });
  expect(label?.data).toEqual(Array.from(argmaxRows(expected, labels.length), (k) => labels[k]));
}

async function expectRegressorParity(fitted: FittedModel, x: FeatureMatrix) {
  const bytes = exportOnnx({ columns, steps: [], features: names, model: fitted, task: 'regression' });
  const { value } = await run(bytes, x);
  expect(value?.type).toBe('float64');
  expect(value?.dims).toEqual([x.rows, 1]);
  const expected = predictModel(fitted, x);
  value?.data.forEach((v, i) => {
    expect(Math.abs(Number(v) - (expected[i] ?? 0))).toBeLessThan(
      1e-9 * Math.max(1, Math.abs(expected[i] ?? 0)),
    );
  });
}

describe('linear models', () => {
  const train = data(80, 1);
  const test = data(40, 2);

  it('ridge regression', async () => {
    const y = Array.from({ length: train.rows }, (_, r) => 3 * (train.values[r * COLS] ?? 0) - 100);
    await expectRegressorParity({ algorithm: 'linear', model: fitRidge(train, y, 1) }, test);
  });

  it('logistic regression, binary (string labels) and three classes (integer labels)', async () => {
    await expectClassifierParity(
      { algorithm: 'logistic', model: fitLogistic(train, classesOf(train, 2), 2) },
      test,
      ['no', 'yes'],
    );
    await expectClassifierParity(
      { algorithm: 'logistic', model: fitLogistic(train, classesOf(train, 3), 3) },
      test,
      [3, 7, 11],
    );
  });
});

describe('trees', () => {
  const train = data(120, 3);
  const test = data(60, 4);

  it('decision trees: classifier, regressor, and a tree that is one leaf', async () => {
    const y = classesOf(train, 3);
    await expectClassifierParity(
      {
        algorithm: 'decision_tree',
        model: fitTree(train, y, { classes: 3, criterion: 'gini', maxDepth: 6 }),
      },
      test,
      ['a', 'b', 'c'],
    );
    const values = Array.from({ length: train.rows }, (_, r) => (train.values[r * COLS + 2] ?? 0) ** 2);
    await expectRegressorParity(
      {
        algorithm: 'decision_tree',
        model: fitTree(train, values, { classes: 0, criterion: 'squared_error' }),
      },
      test,
    );
    const leaf = fitTree(train, new Array(train.rows).fill(1), { classes: 2, criterion: 'gini' });
    expect(leaf.nodeCount).toBe(1);
    await expectClassifierParity({ algorithm: 'decision_tree', model: leaf }, test, [0, 1]);
  });

  it('random forests: the mean of the trees', async () => {
    await expectClassifierParity(
      {
        algorithm: 'random_forest',
        model: fitForest(train, classesOf(train, 3), { classes: 3, trees: 7, seed: 1 }),
      },
      test,
      ['x', 'y', 'z'],
    );
    const values = Array.from({ length: train.rows }, (_, r) => Math.sin(train.values[r * COLS] ?? 0));
    await expectRegressorParity(
      { algorithm: 'random_forest', model: fitForest(train, values, { classes: 0, trees: 5, maxDepth: 5 }) },
      test,
    );
  });

  it('breaks ties to the lowest class index, as argmaxRows', async () => {
    const stump = (left: number[], right: number[]) => ({
      feature: Int32Array.of(0, -1, -1),
      threshold: Float64Array.of(0, 0, 0),
      left: Int32Array.of(1, -1, -1),
      right: Int32Array.of(2, -1, -1),
      value: Float64Array.from([0.5, 0.5, ...left, ...right]),
      outputs: 2,
      gain: new Float64Array(COLS),
      nodeCount: 3,
    });
    // Row x0 <= 0: (1, 0) and (0, 1) average to (0.5, 0.5), a tie.
    const forest: Forest = { trees: [stump([1, 0], [0, 1]), stump([0, 1], [1, 0])], outputs: 2 };
    const x = { values: Float64Array.of(-1, 0, 0, 1, 0, 0), rows: 2, cols: COLS };
    const bytes = exportOnnx({
      columns,
      steps: [],
      features: names,
      model: { algorithm: 'random_forest', model: forest },
      task: 'classification',
      classLabels: ['first', 'second'],
    });
    const { label, probabilities } = await run(bytes, x);
    expect(probabilities?.data).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(label?.data).toEqual(['first', 'first']);
  });
});

describe('gradient boosting', () => {
  /** x0 <= t (missing: left or right) ? a : b. */
  const stump = (
    feature: number,
    threshold: number,
    missingLeft: boolean,
    a: number,
    b: number,
  ): BoostedTree => ({
    feature: Int32Array.of(feature, -1, -1),
    threshold: Float64Array.of(threshold, 0, 0),
    missingLeft: Uint8Array.of(missingLeft ? 1 : 0, 0, 0),
    left: Int32Array.of(1, -1, -1),
    right: Int32Array.of(2, -1, -1),
    value: Float64Array.of(0, a, b),
    nodeCount: 3,
  });
  const leaf = (value: number): BoostedTree => ({
    feature: Int32Array.of(-1),
    threshold: Float64Array.of(0),
    missingLeft: Uint8Array.of(0),
    left: Int32Array.of(-1),
    right: Int32Array.of(-1),
    value: Float64Array.of(value),
    nodeCount: 1,
  });
  const boosted = (
    task: BoostedModel['task'],
    classes: number,
    baseline: number[],
    trees: BoostedTree[],
  ): FittedModel => ({
    algorithm: 'gradient_boosting',
    model: {
      task,
      classes,
      outputs: baseline.length,
      baseline: Float64Array.from(baseline),
      trees,
      iterations: trees.length / baseline.length,
      gain: new Float64Array(COLS),
      validationLoss: [],
    },
  });
  const test = data(60, 5, 0.2);

  it('hand-made models: real thresholds, missing values sent left or right, the baseline first', async () => {
    const trees = [
      stump(0, 0.25, true, -0.3, 0.4),
      stump(1, -1.5, false, 0.2, -0.1),
      leaf(0.05),
      stump(2, 0, true, 1, -1),
    ];
    await expectRegressorParity(boosted('regression', 0, [150.25], trees), test);
    await expectClassifierParity(boosted('binary', 2, [-0.2], trees), test, [0, 1]);
    await expectClassifierParity(
      boosted('multiclass', 3, [0.1, -0.3, 0.2], [...trees.slice(0, 3), ...trees.slice(1, 4)]),
      test,
      ['setosa', 'versicolor', 'virginica'],
    );
  });

  it('fitted models, with missing values in training', async () => {
    const train = data(300, 6, 0.1);
    const y2 = classesOf(train, 2);
    await expectClassifierParity(
      { algorithm: 'gradient_boosting', model: fitBoosted(train, y2, { classes: 2, maxIter: 15 }) },
      test,
      ['no', 'yes'],
    );
    await expectClassifierParity(
      {
        algorithm: 'gradient_boosting',
        model: fitBoosted(train, classesOf(train, 3), { classes: 3, maxIter: 10 }),
      },
      test,
      [0, 1, 2],
    );
    const values = classesOf(train, 5).map((k) => k * 10.5 + 100);
    await expectRegressorParity(
      { algorithm: 'gradient_boosting', model: fitBoosted(train, values, { classes: 0, maxIter: 20 }) },
      test,
    );
  });
});

describe('model checks', () => {
  const train = data(40, 7);
  const logistic: FittedModel = { algorithm: 'logistic', model: fitLogistic(train, classesOf(train, 2), 2) };
  const base = { columns, steps: [], features: names };

  it('refuses a task the model does not do, and class labels that do not fit', () => {
    expect(() => exportOnnx({ ...base, model: logistic, task: 'regression' })).toThrow(OnnxExportError);
    expect(() =>
      exportOnnx({
        ...base,
        model: { algorithm: 'linear', model: fitRidge(train, classesOf(train, 2)) },
        task: 'classification',
        classLabels: [0, 1],
      }),
    ).toThrow('A linear (ridge) model is a regressor, not a classifier');
    expect(() =>
      exportOnnx({ ...base, model: logistic, task: 'classification', classLabels: ['a'] }),
    ).toThrow('The model has 2 classes but 1 class labels were given');
    expect(() =>
      exportOnnx({ ...base, model: logistic, task: 'classification', classLabels: [1, '1'] }),
    ).toThrow('The class labels are not distinct');
  });

  it('refuses a raw column named like an output', () => {
    expect(() =>
      exportOnnx({
        columns: [{ name: 'label', kind: 'number' }, ...columns.slice(1)],
        steps: [{ op: 'rename', from: 'label', to: 'f0' }],
        features: names,
        model: logistic,
        task: 'classification',
        classLabels: [0, 1],
      }),
    ).toThrow('The raw column "label" has the name of a model output; rename it before training');
  });
});
