import { linkSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metrics } from '../../ml/metrics/summary';
import { predictModel } from '../../ml/model';
import { SPLIT_COLUMN } from '../../nodes/_data/dataset-schema';
import { Duck } from '../../nodes/_data/duck';
import { type RowMatrix, readMatrix } from '../../nodes/_data/matrix';
import { quoteIdent } from '../../nodes/_data/sql';
import type { ArtifactRef } from '../../nodes/_kit/artifact-ref';
import type { Algorithm } from '../../nodes/_model/algorithms';
import { type ModelArtifact, metricsSchema, readModelArtifact } from '../../nodes/_model/model-artifact';
import { nodeRuns } from '../../nodes/runs';
import { fitOffThread } from '../../nodes/train/fit-pool';
import type { NodeHarness } from '../../tests/support/node-harness';
import type { PreparedSet } from './train-data';
import { measureOnnx, type OnnxMeasure } from './train-onnx';
import { median } from './train-stats';

/** The datasets the models train on: one per preprocessing (trees take unscaled numbers). */
export interface PreparedData {
  ingested: ArtifactRef;
  /** Imputed and one-hot encoded. */
  plain: ArtifactRef;
  /** The same, numbers standardised: for the linear models, as sklearn_ref.py scales for them. */
  scaled?: ArtifactRef;
  seconds: { ingest: number; clean: number; feature: number };
}

export interface OurResult {
  /** How many times the model was fitted (fewer than asked when fits are long). */
  fits: number;
  /** Pure fit time as the train node records it (model.json training.seconds), median of repeats. */
  fitSeconds: number;
  /** The whole train step: reading the matrix, fitting, metrics, ONNX export, writing. */
  stepSeconds: number;
  /** predictModel on the test rows' feature matrix (transforms already applied), median of repeats. */
  predictSeconds: number;
  onnx: OnnxMeasure | undefined;
  /** The evaluate node's test metrics. */
  metrics: Metrics;
  warnings: string[];
  /** Iterations of the iterative fits (boosting, L-BFGS): where a slow fit's time went. */
  note?: string;
}

/**
 * Ingest, clean and feature with the real node functions, as a user's pipeline would: impute
 * (median for numbers, most frequent for categories), one-hot, and standardise for linear models.
 * The `_split` column makes every learned value come from the training rows only.
 */
export async function prepareData(
  harness: NodeHarness,
  set: PreparedSet,
  needScaled: boolean,
): Promise<PreparedData> {
  // The ingest node reads only files inside DATA_DIR; a hard link costs nothing even for 1M rows.
  const uploads = path.join(harness.dataDir, 'uploads');
  mkdirSync(uploads, { recursive: true });
  linkSync(set.combined, path.join(uploads, `${set.name}.csv`));
  const seconds = { ingest: 0, clean: 0, feature: 0 };
  const step = async (name: keyof typeof seconds, work: () => ReturnType<NodeHarness['run']>) => {
    const started = performance.now();
    const { outputs } = await work();
    seconds[name] += (performance.now() - started) / 1000;
    if (!outputs.data) throw new Error(`${name} gave no data`);
    return outputs.data;
  };
  const except = [set.target];
  const ingested = await step('ingest', () =>
    harness.run(nodeRuns.ingest, { source: 'file', file: `uploads/${set.name}.csv` }),
  );
  const cleaned = await step('clean', () =>
    harness.run(
      nodeRuns.clean,
      {
        operations: [
          { op: 'impute', columns: { byType: 'numeric', except }, strategy: 'median' },
          { op: 'impute', columns: { byType: 'categorical', except }, strategy: 'most_frequent' },
        ],
      },
      { data: ingested },
    ),
  );
  // topK above any benchmark column's category count: every category gets its column, as in sklearn.
  const oneHot = { op: 'one_hot', columns: { byType: 'categorical', except }, topK: 50 } as const;
  const feature = (operations: object[]) =>
    step('feature', () =>
      harness.run(nodeRuns.feature, { operations, target: set.target }, { data: cleaned }),
    );
  const plain = await feature([oneHot]);
  const scaled = needScaled
    ? await feature([{ op: 'standardize', columns: { byType: 'numeric', except } }, oneHot])
    : undefined;
  return { ingested, plain, ...(scaled ? { scaled } : {}), seconds };
}

/** No further repeats once the fits so far took this long. */
const REPEAT_BUDGET_SECONDS = 30;

/** Trains up to `repeat` times (fit time = median), then measures the last model on the test rows. */
export async function trainAndMeasure(
  harness: NodeHarness,
  set: PreparedSet,
  data: PreparedData,
  algorithm: Algorithm,
  repeat: number,
): Promise<OurResult> {
  const featured = algorithm === 'linear' ? data.scaled : data.plain;
  if (!featured) throw new Error('linear models need the standardised dataset');
  const config = {
    target: set.target,
    task: set.task,
    algorithm,
    // As sklearn_ref.py: DecisionTree(max_depth=8); the other defaults already match scikit-learn's.
    ...(algorithm === 'decision_tree' ? { maxDepth: 8 } : {}),
  };
  const fits: number[] = [];
  const steps: number[] = [];
  let trained: Awaited<ReturnType<NodeHarness['run']>> | undefined;
  // Short fits are noisy, so they repeat; a long one is stable enough once (and repeating would cost minutes).
  while (fits.length < repeat && steps.reduce((sum, seconds) => sum + seconds, 0) < REPEAT_BUDGET_SECONDS) {
    await warmTrainingPool();
    const started = performance.now();
    trained = await harness.run(
      nodeRuns.train,
      config,
      { data: featured },
      { progress: progressLine(set.name, algorithm) },
    );
    steps.push((performance.now() - started) / 1000);
    const ref = trained.outputs.model;
    if (!ref) throw new Error('train gave no model');
    fits.push((await readModelArtifact(fileURLToPath(ref.uri))).training.seconds);
  }
  const modelRef = trained?.outputs.model;
  if (!trained || !modelRef) throw new Error('no training run');
  const model = await readModelArtifact(fileURLToPath(modelRef.uri));
  const evaluated = await harness.run(nodeRuns.evaluate, {}, { model: modelRef, data: featured });
  const { matrix, seconds: predictSeconds } = await timePredict(model, featured, repeat);
  const onnxFile = trained.artifacts.find((artifact) => artifact.port === 'onnx')?.path;
  const onnx = onnxFile
    ? await measureOnnx(onnxFile, fileURLToPath(data.ingested.uri), predictModel(model.fitted, matrix), model)
    : undefined;
  return {
    fits: fits.length,
    fitSeconds: median(fits),
    stepSeconds: median(steps),
    predictSeconds,
    onnx,
    metrics: metricsSchema.parse(evaluated.summary?.metrics ?? {}),
    ...noteOf(model),
    warnings: [...trained.logs, ...evaluated.logs]
      .filter((line) => line.level !== 'info')
      .map((line) => line.message),
  };
}

/** Batch prediction alone: the test rows' feature matrix is read first, as sklearn's predict gets a frame. */
async function timePredict(
  model: ModelArtifact,
  featured: ArtifactRef,
  repeat: number,
): Promise<{ matrix: RowMatrix; seconds: number }> {
  const duck = await Duck.open();
  try {
    const matrix = await readMatrix(duck, fileURLToPath(featured.uri), {
      features: model.features,
      where: `${quoteIdent(SPLIT_COLUMN)} = 'test'`,
    });
    const times: number[] = [];
    for (let attempt = 0; attempt < repeat; attempt++) {
      const started = performance.now();
      predictModel(model.fitted, matrix);
      times.push((performance.now() - started) / 1000);
    }
    return { matrix, seconds: median(times) };
  } finally {
    duck.close();
  }
}

function noteOf({ fitted }: ModelArtifact): { note?: string } {
  if (fitted.algorithm === 'gradient_boosting')
    return { note: `${fitted.model.iterations} boosting iterations` };
  if (fitted.algorithm === 'logistic')
    return {
      note: `L-BFGS ${fitted.model.iterations} iterations${fitted.model.converged ? '' : ', not converged'}`,
    };
  return {};
}

/** Training progress on stderr, in 10% steps, so a fit of many minutes shows it is alive. */
function progressLine(setName: string, algorithm: Algorithm): (fraction: number) => void {
  let shown = -1;
  return (fraction) => {
    const tenth = Math.floor(fraction * 10);
    if (tenth <= shown) return;
    shown = tenth;
    process.stderr.write(`  ${setName} ${algorithm}: ${tenth * 10}%${tenth === 10 ? '\n' : '\r'}`);
  };
}

/**
 * Starts every training thread before a timed fit. The pool starts threads on first use (each
 * loading TypeScript through tsx) and stops idle ones after 30 s, e.g. while scikit-learn runs;
 * the train node's fit time would otherwise include that start-up.
 */
async function warmTrainingPool(): Promise<void> {
  const threads = availableParallelism();
  await fitOffThread(
    {
      algorithm: 'random_forest',
      task: 'classification',
      classes: 2,
      x: { values: Float64Array.of(0, 1), rows: 2, cols: 1 },
      y: Float64Array.of(0, 1),
      hyperparameters: {
        trees: threads,
        learningRate: 0.1,
        maxIterations: 1,
        maxLeafNodes: 2,
        earlyStopping: 'off',
        seed: 1,
      },
    },
    { signal: new AbortController().signal, onProgress: () => {} },
  );
}
