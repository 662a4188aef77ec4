import type { FeatureMatrix } from '../linear/ridge';
import { selectRows } from '../matrix';
import { seededRandom } from '../random';
import { binMapper, binRows, binsWork, MAX_BINS } from './binning';
import { type GrowerParams, TreeGrower } from './grower';
import { lossFor } from './loss';
import type { BoostedModel, BoostedTree } from './model';
import { allocate } from './sharing';
import { type BoostingThreads, runShared, type ScoresWorkspace } from './threads';
import { shouldStop, splitValidation } from './validation';

export interface BoostingOptions {
  /** 0 for regression, 2 for binary, more for multiclass; labels are class indices 0..classes − 1. */
  classes: number;
  /** Seeds the validation split and the binning subsample (default 42). */
  seed?: number;
  /** Shrinks every leaf value (default 0.1). */
  learningRate?: number;
  /** Boosting iterations at most (default 100); multiclass grows one tree per class per iteration. */
  maxIter?: number;
  /** Leaves per tree at most (default 31); null for no limit. */
  maxLeafNodes?: number | null;
  /** Tree depth at most, the root being depth 0 (default null: no limit). */
  maxDepth?: number | null;
  /** Rows per leaf at least (default 20). */
  minSamplesLeaf?: number;
  /** L2 penalty λ on leaf values: value = −G / (H + λ) (default 0). */
  l2Regularization?: number;
  /** Bins for non-missing values per feature, 2..255 (default 255). */
  maxBins?: number;
  /** Rows the bin quantiles are taken from at most (default 200,000). */
  binSubsample?: number;
  /**
   * Hold out validationFraction of the rows (stratified for classification) and stop when the loss
   * on them has not improved by more than `tol` for nIterNoChange iterations. 'auto' (default): on
   * when there are more than 10,000 rows, as scikit-learn. The trees up to the stop are all kept.
   */
  earlyStopping?: 'auto' | boolean;
  validationFraction?: number;
  nIterNoChange?: number;
  tol?: number;
  /** Called after each iteration; a throw stops training and propagates (cancellation). */
  onIteration?: (done: number, total: number) => void;
  /**
   * Threads to share the per-row work with: histograms, splits, gradients, scores (default: none,
   * all on the calling thread). The model is the same to the bit either way.
   */
  threads?: BoostingThreads;
}

/**
 * Histogram gradient boosting, as scikit-learn's HistGradientBoostingClassifier/Regressor: features
 * binned into at most 255 quantile bins plus a missing bin, then per iteration one leaf-wise tree per
 * output fitted to the loss's gradients and hessians (log loss with a sigmoid for binary, softmax for
 * multiclass, half squared error for regression). Deterministic for a seed.
 *
 * The trees carry real thresholds (a row goes left when x <= threshold), chosen between the bin's
 * largest training value and the next distinct one, so they route the training rows exactly as the
 * bins did. Missing values: a node that has some in a feature tries them on each side and keeps the
 * better one; a node that has none sends them to the child with more rows (ties right).
 * `validationLoss` holds the validation loss after each iteration (half squared error for
 * regression, as scikit-learn scores it) when early stopping ran, else nothing.
 */
export function fitBoosted(x: FeatureMatrix, y: ArrayLike<number>, options: BoostingOptions): BoostedModel {
  const settings = resolve(options);
  const { classes, maxIter } = settings;
  if (x.rows === 0) throw new Error('Cannot fit a model on zero rows');
  if (y.length !== x.rows) throw new Error(`Got ${x.rows} rows but ${y.length} targets`);
  const loss = lossFor(classes);
  checkTargets(y, classes);
  const outputs = loss.outputs;
  const random = seededRandom(settings.seed);

  const early = settings.earlyStopping === 'auto' ? x.rows > 10_000 : settings.earlyStopping && x.rows >= 2;
  const split = early ? splitValidation(y, classes, settings.validationFraction, random) : undefined;
  const trainRows = split?.train ?? null;
  const n = trainRows ? trainRows.length : x.rows;
  const yTrain = trainRows ? Float64Array.from(trainRows, (row) => y[row] ?? 0) : Float64Array.from(y);

  // Helping threads read and write the arrays below: those must be in shared memory.
  const { threads } = options;
  const shared = (threads?.parts ?? 1) > 1;
  const inMemory = (values: Float64Array) => (shared ? sharedCopy(values) : values);
  const bins = binsWork(
    x,
    trainRows,
    { maxBins: settings.maxBins, subsample: settings.binSubsample, random },
    shared,
  );
  runShared({ kind: 'bins', workspace: bins }, threads);
  const mapper = binMapper(bins);
  const codes = binRows(x, trainRows, mapper, shared);
  const data = { codes, rows: n, cols: x.cols, outputs, ...mapper };
  const gain = new Float64Array(x.cols);
  const grower = new TreeGrower(data, growerParams(settings), gain, threads);

  const baseline = loss.baseline(yTrain);
  const validationRows = split?.validation ?? new Int32Array(0);
  const validation = selectRows(x, validationRows);
  const yValidation = Float64Array.from(validationRows, (row) => y[row] ?? 0);
  const scores: ScoresWorkspace = {
    classes,
    y: inMemory(yTrain),
    raw: inMemory(startingScores(baseline, n)),
    gradHess: new Float64Array(allocate(16 * outputs * n, shared)),
    records: grower.records,
    validation: { ...validation, values: inMemory(validation.values) },
    rawValidation: inMemory(startingScores(baseline, validation.rows)),
  };
  const { raw, gradHess, rawValidation } = scores;
  const losses = early ? [loss.loss(yValidation, rawValidation)] : [];

  const trees: BoostedTree[] = [];
  let iterations = 0;
  while (iterations < maxIter) {
    runShared({ kind: 'gradients', workspace: scores }, threads);
    for (let k = 0; k < outputs; k++) {
      const tree = grower.grow(gradHess.subarray(2 * k * n, 2 * (k + 1) * n), k);
      grower.addLeafValues(raw.subarray(k * n, (k + 1) * n));
      if (early) runShared({ kind: 'treeScores', workspace: scores, tree, output: k }, threads);
      trees.push(tree);
    }
    iterations++;
    if (early) losses.push(loss.loss(yValidation, rawValidation));
    options.onIteration?.(iterations, maxIter);
    if (early && shouldStop(losses, settings.nIterNoChange, settings.tol)) break;
  }

  return {
    task: classes === 0 ? 'regression' : classes === 2 ? 'binary' : 'multiclass',
    classes,
    outputs,
    baseline,
    trees,
    iterations,
    gain,
    validationLoss: losses.slice(1),
  };
}

type Settings = Required<Omit<BoostingOptions, 'onIteration' | 'threads'>>;

function resolve(options: BoostingOptions): Settings {
  const settings: Settings = {
    classes: options.classes,
    seed: options.seed ?? 42,
    learningRate: options.learningRate ?? 0.1,
    maxIter: options.maxIter ?? 100,
    maxLeafNodes: options.maxLeafNodes === undefined ? 31 : options.maxLeafNodes,
    maxDepth: options.maxDepth ?? null,
    minSamplesLeaf: options.minSamplesLeaf ?? 20,
    l2Regularization: options.l2Regularization ?? 0,
    maxBins: options.maxBins ?? MAX_BINS,
    binSubsample: options.binSubsample ?? 200_000,
    earlyStopping: options.earlyStopping ?? 'auto',
    validationFraction: options.validationFraction ?? 0.1,
    nIterNoChange: options.nIterNoChange ?? 10,
    tol: options.tol ?? 1e-7,
  };
  const positiveInteger = (name: string, value: number | null, least: number) => {
    if (value !== null && !(Number.isInteger(value) && value >= least))
      throw new Error(`${name} must be an integer of at least ${least}, got ${value}`);
  };
  positiveInteger('maxIter', settings.maxIter, 1);
  positiveInteger('maxLeafNodes', settings.maxLeafNodes, 2);
  positiveInteger('maxDepth', settings.maxDepth, 1);
  positiveInteger('minSamplesLeaf', settings.minSamplesLeaf, 1);
  positiveInteger('nIterNoChange', settings.nIterNoChange, 1);
  positiveInteger('binSubsample', settings.binSubsample, 1);
  if (!(settings.learningRate > 0))
    throw new Error(`learningRate must be above 0, got ${settings.learningRate}`);
  if (!(settings.l2Regularization >= 0))
    throw new Error(`l2Regularization must be 0 or more, got ${settings.l2Regularization}`);
  if (!(settings.validationFraction > 0 && settings.validationFraction < 1))
    throw new Error(`validationFraction must be between 0 and 1, got ${settings.validationFraction}`);
  return settings;
}

function growerParams(settings: Settings): GrowerParams {
  return {
    maxLeafNodes: settings.maxLeafNodes,
    maxDepth: settings.maxDepth,
    minSamplesLeaf: settings.minSamplesLeaf,
    minHessianToSplit: 1e-3,
    l2Regularization: settings.l2Regularization,
    learningRate: settings.learningRate,
  };
}

function checkTargets(y: ArrayLike<number>, classes: number): void {
  for (let i = 0; i < y.length; i++) {
    const label = y[i] ?? Number.NaN;
    if (classes === 0 ? !Number.isFinite(label) : !(Number.isInteger(label) && label >= 0 && label < classes))
      throw new Error(
        classes === 0
          ? `Target of row ${i} is not a finite number: ${label}`
          : `Label of row ${i} must be a class index from 0 to ${classes - 1}, got ${label}`,
      );
  }
}

/** A copy of `values` in shared memory. */
function sharedCopy(values: Float64Array): Float64Array {
  const copy = new Float64Array(allocate(values.byteLength, true));
  copy.set(values);
  return copy;
}

/** Raw scores (class-major, outputs × rows) all at the baseline. */
function startingScores(baseline: Float64Array, rows: number): Float64Array {
  const scores = new Float64Array(baseline.length * rows);
  for (let k = 0; k < baseline.length; k++) scores.fill(baseline[k] ?? 0, k * rows, (k + 1) * rows);
  return scores;
}
