import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import type { Sql } from '../../db/client';
import { ensureModel, insertModelVersion, setModelAlias } from '../../db/queries/registry';
import type { ArtifactRef } from '../../nodes/_kit/artifact-ref';
import { nodeRuns } from '../../nodes/runs';
import { closeTrainingPool } from '../../nodes/train/fit-pool';
import {
  type ModelAlias,
  type ModelSignature,
  REFERENCE_FILE,
  type ReferenceSample,
  type SignatureColumn,
  type VersionReference,
} from '../../registry/version-schema';
import type { NodeHarness } from './node-harness';
import { csvDataset } from './test-dataset';

/**
 * For serving tests: a real model, trained by the real nodes (ingest → split → clean → feature →
 * train) on a small CSV, and registered with a minimal signature read from the graph's inputs. The
 * deploy node builds the real registration; this only needs something serving can load.
 *
 * The data: `size` (number, imputed so nullable), `weight` (number, not nullable), `colour`
 * (red/green/blue, one-hot, unknown categories rejected) and the class `label` (big/small).
 */
export interface TrainedModel {
  onnx: Buffer;
  signature: ModelSignature;
}

const COLOURS = ['red', 'green', 'blue'] as const;

function csv(): string {
  const lines = ['size,weight,colour,label'];
  for (let i = 0; i < 120; i++) {
    const size = (i * 7) % 50;
    const weight = (i * 13) % 40;
    const colour = COLOURS[i % 3] ?? 'red';
    const big = size + weight / 2 + (colour === 'red' ? 5 : 0) > 35;
    // A few missing sizes, so the clean step's imputation is part of the graph.
    lines.push(`${i % 17 === 0 ? '' : size},${weight},${colour},${big ? 'big' : 'small'}`);
  }
  return `${lines.join('\n')}\n`;
}

function output(result: { outputs: Record<string, ArtifactRef> }, port = 'data'): ArtifactRef {
  const ref = result.outputs[port];
  if (!ref) throw new Error(`the step gave no ${port} output`);
  return ref;
}

export async function trainTestModel(harness: NodeHarness): Promise<TrainedModel> {
  const ingested = await csvDataset(harness, 'sizes', csv());
  const split = output(
    await harness.run(
      nodeRuns.split,
      { method: 'stratified', stratifyBy: 'label', testFraction: 0.25, seed: 3 },
      { data: ingested },
    ),
  );
  const cleaned = output(
    await harness.run(
      nodeRuns.clean,
      { operations: [{ op: 'impute', columns: ['size'], strategy: 'mean' }] },
      { data: split },
    ),
  );
  const featured = output(
    await harness.run(
      nodeRuns.feature,
      { operations: [{ op: 'one_hot', columns: ['colour'] }], target: 'label' },
      { data: cleaned },
    ),
  );
  const trained = await harness.run(
    nodeRuns.train,
    { target: 'label', algorithm: 'linear' },
    { data: featured },
  );
  await closeTrainingPool();
  const onnxFile = trained.artifacts.find((artifact) => artifact.port === 'onnx');
  if (!onnxFile) throw new Error('the train step wrote no ONNX graph');
  const onnx = readFileSync(onnxFile.path);
  return { onnx, signature: await signatureOf(onnx) };
}

/** The graph's inputs as a signature: text inputs are `colour`, numbers the rest. */
async function signatureOf(onnx: Buffer): Promise<ModelSignature> {
  const session = await ort.InferenceSession.create(onnx);
  try {
    const inputs = session.inputNames.map((name): SignatureColumn => {
      if (name === 'colour')
        return {
          name,
          type: 'string',
          categories: [...COLOURS],
          unknownCategories: 'reject',
          nullable: false,
        };
      return { name, type: 'number', unknownCategories: 'accept', nullable: name === 'size' };
    });
    return { inputs, output: { task: 'classification', labels: ['big', 'small'] } };
  } finally {
    await session.release();
  }
}

/**
 * Registers `model` as the next version of `name` (created if new); sets `alias` when given. With
 * `reference`, the version gets the monitoring reference the deploy node would record: the columns'
 * deciles and frequencies, and the sample as its reference.json file.
 */
export async function registerTestModel(
  sql: Sql,
  input: {
    name: string;
    model: TrainedModel;
    alias?: ModelAlias;
    reference?: { columns: VersionReference; sample: ReferenceSample };
    /** The evaluate step's test figures, as a deploy would record them. */
    metrics?: Record<string, number>;
    /** The pipeline version and deploy node that made it (monitoring reads the evaluate step's slices there). */
    madeBy?: { pipelineVersionId: string; nodeId: string };
  },
): Promise<{ modelId: string; version: number }> {
  const registered = await ensureModel(sql, { name: input.name, ownerId: null });
  const sha256 = createHash('sha256').update(input.model.onnx).digest('hex');
  const sample = input.reference && Buffer.from(JSON.stringify(input.reference.sample));
  const { version } = await insertModelVersion(sql, registered.id, {
    runId: null,
    nodeId: input.madeBy?.nodeId ?? null,
    pipelineVersionId: input.madeBy?.pipelineVersionId ?? null,
    task: input.model.signature.output.task,
    algorithm: 'linear',
    signature: input.model.signature,
    labels: input.model.signature.output.task === 'classification' ? input.model.signature.output.labels : [],
    metrics: input.metrics ?? {},
    gates: [],
    parameters: {},
    datasetSha256: null,
    datasetProfile: null,
    transforms: {},
    reference: input.reference?.columns ?? {},
    referenceRows: input.reference?.sample.rows.length ?? 0,
    createdBy: null,
    files: [
      { name: 'model.onnx', content: input.model.onnx, sha256 },
      ...(sample
        ? [
            {
              name: REFERENCE_FILE,
              content: sample,
              sha256: createHash('sha256').update(sample).digest('hex'),
            },
          ]
        : []),
    ],
  });
  if (input.alias) await promote(sql, registered.id, input.alias, version);
  return { modelId: registered.id, version };
}

/** Points an alias at a version, as a test actor. */
export async function promote(
  sql: Sql,
  modelId: string,
  alias: ModelAlias,
  version: number | null,
): Promise<void> {
  await setModelAlias(sql, {
    modelId,
    alias,
    version,
    by: { actorKind: 'system', actorId: null, actorEmail: null, reason: 'test' },
  });
}
