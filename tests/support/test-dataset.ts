import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duck, type PlainRow } from '../../nodes/_data/duck';
import { readTransformSpec, type TransformSpec } from '../../nodes/_data/transform-spec';
import type { ArtifactRef } from '../../nodes/_kit/artifact-ref';
import { nodeRuns } from '../../nodes/runs';
import type { NodeHarness } from './node-harness';

/** For node tests: a dataset artifact made from CSV text by the real ingest node. */
export async function csvDataset(harness: NodeHarness, name: string, csv: string): Promise<ArtifactRef> {
  const file = path.join(harness.dataDir, 'uploads', `${name}.csv`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, csv);
  const result = await harness.run(nodeRuns.ingest, { source: 'file', file: `uploads/${name}.csv` });
  if (!result.outputs.data) throw new Error('ingest gave no data');
  return result.outputs.data;
}

/** The rows of a dataset artifact and the transform spec beside it. */
export async function readDataset(
  ref: ArtifactRef | undefined,
): Promise<{ rows: PlainRow[]; spec: TransformSpec }> {
  if (!ref) throw new Error('no dataset');
  const file = fileURLToPath(ref.uri);
  const duck = await Duck.open();
  try {
    return { rows: await duck.all('select * from read_parquet($1)', [file]), spec: readTransformSpec(file) };
  } finally {
    duck.close();
  }
}
