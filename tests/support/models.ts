import { createHash } from 'node:crypto';
import type { Sql } from '../../db/client';
import { ensureModel, insertModelVersion, type NewModelVersion } from '../../db/queries/registry';
import type { ModelSignature } from '../../registry/version-schema';

/**
 * Registry rows written directly, for tests of what reads the registry (the models procedures and
 * pages) without running a deploy step. The ONNX file is whatever bytes the test gives: these
 * versions are listed and promoted, not served, unless the test gives a real graph.
 */

/** A classification signature over two columns: a number and a category. */
export const sampleSignature: ModelSignature = {
  inputs: [
    { name: 'tenure', type: 'number', unknownCategories: 'accept', nullable: false },
    {
      name: 'plan',
      type: 'string',
      categories: ['basic', 'pro'],
      unknownCategories: 'reject',
      nullable: false,
    },
  ],
  output: { task: 'classification', labels: ['stays', 'leaves'] },
};

export interface SeededVersion {
  metrics: Record<string, number>;
  signature?: ModelSignature;
  onnx?: Buffer;
}

/** A version's fields as insertModelVersion takes them, with no run behind it. */
export function versionFields(version: SeededVersion): NewModelVersion {
  const signature = version.signature ?? sampleSignature;
  const onnx = version.onnx ?? Buffer.from('not really onnx');
  return {
    runId: null,
    nodeId: null,
    pipelineVersionId: null,
    task: signature.output.task,
    algorithm: 'logistic',
    signature,
    labels: signature.output.task === 'classification' ? signature.output.labels : [],
    metrics: version.metrics,
    gates: [{ description: 'accuracy ≥ 0.7', metric: 'accuracy', passed: true }],
    parameters: {},
    datasetSha256: null,
    datasetProfile: null,
    transforms: { version: 1, steps: [] },
    reference: {},
    referenceRows: 0,
    createdBy: null,
    files: [{ name: 'model.onnx', content: onnx, sha256: createHash('sha256').update(onnx).digest('hex') }],
  };
}

/** A model (created if new) with these versions appended, numbered from its next version. */
export async function seedModel(
  sql: Sql,
  name: string,
  versions: readonly SeededVersion[],
  options: { description?: string; ownerId?: string | null } = {},
): Promise<{ id: string; versions: number[] }> {
  const model = await ensureModel(sql, {
    name,
    description: options.description ?? '',
    ownerId: options.ownerId ?? null,
  });
  const numbers: number[] = [];
  for (const version of versions) {
    const onnx = version.onnx ?? Buffer.from(`not really onnx: ${name}`);
    const written = await insertModelVersion(sql, model.id, versionFields({ ...version, onnx }));
    numbers.push(written.version);
  }
  return { id: model.id, versions: numbers };
}
