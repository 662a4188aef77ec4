import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeHarness } from '../../tests/support/node-harness';
import { csvDataset } from '../../tests/support/test-dataset';
import type { ArtifactRef } from '../_kit/artifact-ref';
import { readModelArtifact } from '../_model/model-artifact';
import { nodeRuns } from '../runs';
import { closeTrainingPool, fitTaskCounts } from './fit-pool';

const harness = new NodeHarness();
let breastCancer: ArtifactRef;

beforeAll(async () => {
  const ingested = await harness.run(nodeRuns.ingest, { source: 'sample', sample: 'breast_cancer' });
  const split = await harness.run(
    nodeRuns.split,
    { method: 'stratified', stratifyBy: 'target' },
    { data: ingested.outputs.data ?? fail() },
  );
  breastCancer = split.outputs.data ?? fail();
});
afterAll(async () => {
  await closeTrainingPool();
  harness.cleanup();
});

/** Polls until the pool holds no training task; gives the counts then. */
async function fitTasksSettled(): Promise<{ pending: number; completed: number }> {
  while (fitTaskCounts().pending > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  return fitTaskCounts();
}

function fail(): never {
  throw new Error('a step gave no output');
}

describe('train', () => {
  it('fits a forest on worker threads, reports progress and writes the model with its ONNX graph', async () => {
    const progress: number[] = [];
    const result = await harness.run(
      nodeRuns.train,
      { target: 'target', algorithm: 'random_forest', trees: 20 },
      { data: breastCancer },
      { progress: (fraction) => progress.push(fraction) },
    );
    const model = await readModelArtifact(new URL(result.outputs.model?.uri ?? '').pathname);
    expect(model).toMatchObject({ task: 'classification', classes: [0, 1], target: 'target' });
    expect(model.features).toHaveLength(30);
    expect(model.fitted.algorithm === 'random_forest' && model.fitted.model.trees.length).toBe(20);
    expect(model.training.rows).toBe(456);
    expect(model.training.metrics.accuracy).toBeGreaterThan(0.98);
    expect(model.importances.reduce((sum, entry) => sum + entry.importance, 0)).toBeCloseTo(1, 9);
    expect(progress.at(-1)).toBe(1);
    expect(progress.filter((fraction) => fraction > 0.1 && fraction < 0.9).length).toBeGreaterThan(5);
    const onnx = result.artifacts.find((artifact) => artifact.port === 'onnx');
    expect(onnx && existsSync(onnx.path)).toBe(true);
  });

  it('stops the training threads when cancelled', async () => {
    const controller = new AbortController();
    let atCancel = { pending: 0, completed: 0 };
    const training = harness.run(
      nodeRuns.train,
      { target: 'target', algorithm: 'random_forest', trees: 2000 },
      { data: breastCancer },
      {
        signal: controller.signal,
        progress: (fraction) => {
          if (fraction <= 0.12 || controller.signal.aborted) return;
          atCancel = fitTaskCounts();
          controller.abort();
        },
      },
    );
    await expect(training).rejects.toThrow(/abort/i);
    // The forest was split over every thread; each share is stopped, not left growing its trees.
    const threads = availableParallelism();
    expect(atCancel.pending).toBe(threads);
    // None of them ran to its end: each was stopped when its thread was terminated.
    expect(await fitTasksSettled()).toEqual({ pending: 0, completed: atCancel.completed });
    // The next fit, a tree per thread, gets every thread (it would otherwise queue behind the
    // cancelled one past the test's timeout).
    const next = await harness.run(
      nodeRuns.train,
      { target: 'target', algorithm: 'random_forest', trees: threads },
      { data: breastCancer },
    );
    const model = await readModelArtifact(new URL(next.outputs.model?.uri ?? '').pathname);
    expect(model.fitted.algorithm === 'random_forest' && model.fitted.model.trees.length).toBe(threads);
  });

  it('names the problem: text feature, one class, missing values, unknown target', async () => {
    const data = await csvDataset(
      harness,
      'bad-train',
      'size,colour,label,gap\n1,red,yes,1\n2,blue,yes,\n3,red,yes,2\n4,blue,yes,3\n',
    );
    await expect(harness.run(nodeRuns.train, { target: 'label' }, { data })).rejects.toThrow(
      'Column "colour" is categorical: encode it in a Feature step',
    );
    await expect(
      harness.run(nodeRuns.train, { target: 'label', features: ['size'] }, { data }),
    ).rejects.toThrow('Target column "label" has one class ("yes") in the training rows');
    await expect(
      harness.run(nodeRuns.train, { target: 'size', algorithm: 'linear', features: ['gap'] }, { data }),
    ).rejects.toThrow('Column "gap" has 1 missing values in the training rows');
    await expect(harness.run(nodeRuns.train, { target: 'label ' }, { data })).rejects.toThrow(
      'Column "label " is not in the data',
    );
  });
});
