import type { DuckDBValue } from '@duckdb/node-api';
import { writeAtomically } from '../_kit/atomic-file';
import type { NodeContext, StoredArtifact } from '../_kit/context';
import type { LogicalType } from './dataset-schema';
import type { Duck } from './duck';
import { type DatasetProfile, profileRelation } from './profile';
import { readTransformSpec, type TransformStep, writeTransformSpec } from './transform-spec';

/** Writes a query's rows as the Parquet dataset of an output port, with its schema and profile. */
export async function writeDataset(
  duck: Duck,
  context: NodeContext,
  port: string,
  query: { sql: string; params: DuckDBValue[] },
  typeOverrides: ReadonlyMap<string, LogicalType> = new Map(),
): Promise<{ stored: StoredArtifact; profile: DatasetProfile }> {
  const output = context.artifacts.pathFor(port, 'parquet');
  await writeParquet(duck, query, output);
  const profiled = profileRelation(duck, 'read_parquet($1)', [output], typeOverrides);
  const stored = await context.artifacts.commit(port, 'dataset', output, profiled);
  return { stored, profile: (await profiled).profile };
}

/** COPY of a query's rows to a Parquet file, written atomically (a temporary name, fsync, rename). */
export async function writeParquet(
  duck: Duck,
  query: { sql: string; params: DuckDBValue[] },
  file: string,
): Promise<void> {
  const target = `$${query.params.length + 1}`;
  await writeAtomically(file, (temporary) =>
    duck.exec(`copy (${query.sql}) to ${target} (format parquet, compression snappy)`, [
      ...query.params,
      temporary,
    ]),
  );
}

/**
 * Writes a dataset together with its transform spec: the input's spec followed by what this step
 * learned, so the spec beside the last dataset describes the whole way from raw columns.
 */
export async function writeDatasetWithTransforms(
  duck: Duck,
  context: NodeContext,
  port: string,
  query: { sql: string; params: DuckDBValue[] },
  input: { file: string; learned: TransformStep[] },
): Promise<{ stored: StoredArtifact; profile: DatasetProfile }> {
  const result = await writeDataset(duck, context, port, query);
  const upstream = readTransformSpec(input.file);
  await writeTransformSpec(context.artifacts.localPath(result.stored.ref), {
    version: 1,
    ...(upstream.columns ? { columns: upstream.columns } : {}),
    steps: [...upstream.steps, ...input.learned],
  });
  return result;
}
