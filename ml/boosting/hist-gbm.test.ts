import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../linear/ridge';
import { seededRandom } from '../random';
import { type BoostingOptions, fitBoosted } from './hist-gbm';
import { predictBoosted } from './model';
import { shouldStop } from './validation';

const matrix = (rows: number[][]): FeatureMatrix => ({
  values: Float64Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0]?.length ?? 0,
});

/** One tree with one split: every leaf value is then a mean residual, checkable by hand. */
const oneSplit: BoostingOptions = {
  classes: 0,
  maxIter: 1,
  learningRate: 1,
  maxLeafNodes: 2,
  minSamplesLeaf: 1,
  earlyStopping: false,
};

/** x = 1..20 with y = 0, x = 21..40 with y = 10, then extra rows. */
function stepData(extra: [number, number][]) {
  const rows: number[][] = [];
  const y: number[] = [];
  for (let v = 1; v <= 40; v++) {
    rows.push([v, (v * 37) % 11]); // the second feature is noise
    y.push(v <= 20 ? 0 : 10);
  }
  for (const [v, target] of extra) {
    rows.push([v, 5]);
    y.push(target);
  }
  return { x: matrix(rows), y };
}

describe('histogram gradient boosting', () => {
  it('learns one split by hand: real threshold, leaf values, gain, and missing values to their side', () => {
    // Five missing rows with y = 10: the mean is 250/45, so residuals are −50/9 left (×20) and
    // +40/9 right (×25): G = ±1000/9, leaf values −G/H, gain = G²/20 + G²/25 − 0.
    const { x, y } = stepData(Array.from({ length: 5 }, () => [Number.NaN, 10]));
    const model = fitBoosted(x, y, oneSplit);
    const [tree] = model.trees;
    expect(model.iterations).toBe(1);
    expect(model.baseline[0]).toBeCloseTo(250 / 45, 12);
    expect(tree?.nodeCount).toBe(3);
    expect(tree?.feature[0]).toBe(0);
    expect(tree?.threshold[0]).toBe(20.5);
    expect(tree?.missingLeft[0]).toBe(0);
    expect(tree?.value[tree?.left[0] ?? 0]).toBeCloseTo(-250 / 45, 12);
    expect(tree?.value[tree?.right[0] ?? 0]).toBeCloseTo(10 - 250 / 45, 12);
    const g = 1000 / 9;
    expect(model.gain[0]).toBeCloseTo((g * g) / 20 + (g * g) / 25, 8);
    expect(model.gain[1]).toBe(0);
    expect(
      Array.from(
        predictBoosted(
          model,
          matrix([
            [20, 0],
            [20.6, 0],
            [Number.NaN, 0],
          ]),
        ),
      ),
    ).toEqual([expect.closeTo(0, 12), expect.closeTo(10, 12), expect.closeTo(10, 12)]);

    // The same rows with y = 0: they join the left side, which then wins the missing values.
    const left = stepData(Array.from({ length: 5 }, () => [Number.NaN, 0]));
    expect(fitBoosted(left.x, left.y, oneSplit).trees[0]?.missingLeft[0]).toBe(1);
  });

  it('sends missing values to the larger child at a node that had none', () => {
    // 25 rows ≤ 20.5 (five more at x = 1) against 20: no NaN in training, so NaN follows the 25.
    const { x, y } = stepData(Array.from({ length: 5 }, () => [1, 0]));
    const model = fitBoosted(x, y, oneSplit);
    expect(model.trees[0]?.threshold[0]).toBe(20.5);
    expect(model.trees[0]?.missingLeft[0]).toBe(1);
    expect(predictBoosted(model, matrix([[Number.NaN, 0]]))[0]).toBeCloseTo(0, 12);
  });

  it('matches scikit-learn on a small binary case (log-odds baseline, Newton leaves, probabilities)', () => {
    const x = matrix([[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]]);
    const y = [0, 0, 0, 1, 0, 1, 1, 1, 1, 1];
    const stump = fitBoosted(x, y, { ...oneSplit, classes: 2 });
    // HistGradientBoostingClassifier(max_iter=1, max_leaf_nodes=2, min_samples_leaf=1, learning_rate=1):
    // baseline 0.40546511, threshold 5.5, leaf values ∓1.6666667, gain 6.6666672 (float32 there).
    expect(stump.baseline[0]).toBeCloseTo(Math.log(0.6 / 0.4), 12);
    expect(stump.trees[0]?.threshold[0]).toBe(5.5);
    expect(stump.trees[0]?.value[1]).toBeCloseTo(-5 / 3, 12);
    expect(stump.trees[0]?.value[2]).toBeCloseTo(5 / 3, 12);
    expect(stump.gain[0]).toBeCloseTo(20 / 3, 12);
    // Three iterations, three leaves, min_samples_leaf=2, learning_rate=0.5: scikit-learn's
    // predict_proba[:, 1] is 0.10298001, 0.51221877 and 0.92126649 for x ≤ 3, 4..5 and ≥ 6.
    const model = fitBoosted(x, y, {
      ...oneSplit,
      classes: 2,
      maxIter: 3,
      maxLeafNodes: 3,
      minSamplesLeaf: 2,
      learningRate: 0.5,
    });
    const proba = predictBoosted(model, x);
    const expected = [0.10298001, 0.51221877, 0.92126649];
    for (let row = 0; row < 10; row++) {
      expect(proba[row * 2 + 1]).toBeCloseTo(expected[row < 3 ? 0 : row < 5 ? 1 : 2] ?? 0, 6);
      expect((proba[row * 2] ?? 0) + (proba[row * 2 + 1] ?? 0)).toBeCloseTo(1, 12);
    }
  });

  it('routes every training row by the real thresholds exactly as the bins did', () => {
    // One regression tree, learning rate 1: each leaf value is mean(y) − baseline over the rows the
    // bins sent there, so the rows the thresholds send to a leaf must have exactly that mean.
    const random = seededRandom(11);
    const rows = 3000;
    const values: number[][] = [];
    const y: number[] = [];
    for (let r = 0; r < rows; r++) {
      const a = random() < 0.05 ? Number.NaN : Math.round(random() * 1000) / 7; // ties, > 255 distinct
      const b = Math.floor(random() * 30);
      const c = (random() - 0.5) * 1e-300; // tiny values
      values.push([a, b, c]);
      y.push((Number.isNaN(a) ? 50 : a) + 3 * b + random() * 20);
    }
    const x = matrix(values);
    const model = fitBoosted(x, y, {
      classes: 0,
      maxIter: 1,
      learningRate: 1,
      maxLeafNodes: 16,
      minSamplesLeaf: 5,
    });
    const tree = model.trees[0];
    const baseline = model.baseline[0] ?? 0;
    const predicted = predictBoosted(model, x);
    const groups = new Map<number, number[]>();
    predicted.forEach((value, row) => {
      groups.set(value, [...(groups.get(value) ?? []), y[row] ?? 0]);
    });
    const leaves = Array.from(tree?.feature ?? []).filter((feature) => feature < 0).length;
    expect(leaves).toBe(16);
    expect(groups.size).toBe(16);
    for (const [value, targets] of groups) {
      expect(targets.length).toBeGreaterThanOrEqual(5);
      const mean = targets.reduce((sum, target) => sum + target, 0) / targets.length;
      expect(value - baseline).toBeCloseTo(mean - baseline, 9);
    }
  });

  it('is deterministic for a seed', () => {
    const { x, y } = blobs(600, 2, 5);
    const options: BoostingOptions = { classes: 2, maxIter: 30, earlyStopping: true, seed: 7 };
    const a = fitBoosted(x, y, options);
    const b = fitBoosted(x, y, options);
    expect(b).toEqual(a);
    // Another seed holds out other rows for early stopping, so the model differs.
    const c = fitBoosted(x, y, { ...options, seed: 8 });
    expect(c.validationLoss).not.toEqual(a.validationLoss);
  });

  it('stops early when the validation loss stops improving, and records it', () => {
    // Labels independent of the features: after a few iterations the trees fit noise only.
    const random = seededRandom(5);
    const rows = 2000;
    const x = matrix(Array.from({ length: rows }, () => [random(), random(), random()]));
    const y = Array.from({ length: rows }, () => (random() < 0.5 ? 1 : 0));
    const model = fitBoosted(x, y, { classes: 2, maxIter: 200, earlyStopping: true, seed: 1 });
    expect(model.iterations).toBeLessThan(60);
    expect(model.trees.length).toBe(model.iterations);
    expect(model.validationLoss.length).toBe(model.iterations);
    // It stopped at the first iteration where none of the last 10 losses beat the one before them.
    const losses = model.validationLoss;
    expect(losses.slice(-10).every((loss) => loss >= (losses.at(-11) ?? 0) - 1e-7)).toBe(true);
    expect(shouldStop(losses.slice(0, -1), 10, 1e-7)).toBe(false);

    // 'auto' turns it off below 10,001 rows: all iterations, no validation losses.
    const auto = fitBoosted(x, y, { classes: 2, maxIter: 15 });
    expect(auto.iterations).toBe(15);
    expect(auto.validationLoss).toEqual([]);
  });

  it('turns early stopping on by itself above 10,000 rows', () => {
    const { x, y } = blobs(10_001, 1, 2);
    const model = fitBoosted(x, y, { classes: 2, maxIter: 3, maxLeafNodes: 4 });
    expect(model.validationLoss.length).toBe(3);
  });

  it('fits multiclass with one tree per class per iteration; probabilities sum to 1', () => {
    const { x, y } = blobs(300, 3, 4);
    const model = fitBoosted(x, y, { classes: 3, maxIter: 20 });
    expect(model.task).toBe('multiclass');
    expect(model.outputs).toBe(3);
    expect(model.trees.length).toBe(60);
    // Centred log priors (100 rows each): all zero.
    expect(Array.from(model.baseline)).toEqual([0, 0, 0]);
    const proba = predictBoosted(model, x);
    let correct = 0;
    for (let row = 0; row < x.rows; row++) {
      const p = [proba[row * 3] ?? 0, proba[row * 3 + 1] ?? 0, proba[row * 3 + 2] ?? 0];
      expect(p.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
      if (p.indexOf(Math.max(...p)) === y[row]) correct++;
    }
    expect(correct / x.rows).toBeGreaterThan(0.95);
  });

  it('reports progress after each iteration and stops when the callback throws', () => {
    const { x, y } = blobs(200, 2, 2);
    const calls: [number, number][] = [];
    fitBoosted(x, y, { classes: 2, maxIter: 4, onIteration: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    let seen = 0;
    const cancel = () => {
      seen++;
      if (seen === 2) throw new Error('cancelled');
    };
    expect(() => fitBoosted(x, y, { classes: 2, maxIter: 50, onIteration: cancel })).toThrow('cancelled');
    expect(seen).toBe(2);
  });

  it('respects max depth and min samples per leaf, and refuses bad input', () => {
    const { x, y } = blobs(400, 2, 3);
    const shallow = fitBoosted(x, y, { classes: 2, maxIter: 5, maxDepth: 1 });
    for (const tree of shallow.trees) expect(tree.nodeCount).toBeLessThanOrEqual(3);
    const big = fitBoosted(x, y, { classes: 2, maxIter: 1, minSamplesLeaf: 150, learningRate: 1 });
    expect(big.trees[0]?.nodeCount).toBe(3); // 400 rows: only one split leaves 150 on each side
    expect(() => fitBoosted(x, y, { classes: 1 })).toThrow('classes');
    expect(() => fitBoosted(x, y, { classes: 2, maxLeafNodes: 1 })).toThrow('maxLeafNodes');
    expect(() => fitBoosted(x, [...y.slice(1), 2], { classes: 2 })).toThrow('row 399');
    expect(() => fitBoosted({ values: new Float64Array(0), rows: 0, cols: 2 }, [], { classes: 0 })).toThrow(
      'zero rows',
    );
  });
});

/** `classes` Gaussian blobs along a diagonal in `cols` dimensions, rows split evenly, seeded. */
function blobs(rows: number, classes: number, cols: number) {
  const random = seededRandom(rows + classes);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const values: number[][] = [];
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    const label = r % classes;
    values.push(Array.from({ length: cols }, () => label * 2 + normal()));
    y.push(label);
  }
  return { x: matrix(values), y };
}
