import type { DuckDBValue } from '@duckdb/node-api';
import type { NodeContext, StoredArtifact } from '../_kit/context';
import type { LogicalType } from './dataset-schema';
import type { Duck } from './duck';
import { type DatasetProfile, profileRelation } from './profile';

/** Writes a query's rows as the Parquet dataset of an output port, with its schema and profile. */
export async function writeDataset(
  duck: Duck,
  context: NodeContext,
  port: string,
  query: { sql: string; params: DuckDBValue[] },
  typeOverrides: Record<string, LogicalType> = {},
): Promise<{ stored: StoredArtifact; profile: DatasetProfile }> {
  const output = context.artifacts.pathFor(port, 'parquet');
  const params = [...query.params, output];
  await duck.exec(`copy (${query.sql}) to $${params.length} (format parquet, compression zstd)`, params);
  const { schema, profile } = await profileRelation(duck, 'read_parquet($1)', [output], typeOverrides);
  const stored = await context.artifacts.commit(port, 'dataset', output, { schema, profile });
  return { stored, profile };
}
