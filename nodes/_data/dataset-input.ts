import { fileURLToPath } from 'node:url';
import type { ArtifactRef } from '../_kit/artifact-ref';
import { NodeInputError } from '../_kit/errors';
import type { Duck } from './duck';
import { describeRelation } from './profile';

/** An input dataset: its Parquet file and its columns. */
export interface DatasetInput {
  file: string;
  columns: { name: string; storage: string }[];
}

export async function openDataset(duck: Duck, ref: ArtifactRef): Promise<DatasetInput> {
  const file = fileURLToPath(ref.uri);
  return { file, columns: await describeRelation(duck, 'read_parquet($1)', [file]) };
}

/** Fails with the field and column named when a chosen column is not in the data. */
export function requireColumn(dataset: DatasetInput, column: string | undefined, field: string): string {
  if (!column) throw new NodeInputError(`Choose a column for ${field}`, { field });
  if (!dataset.columns.some((candidate) => candidate.name === column)) {
    const available = dataset.columns.map((candidate) => candidate.name).join(', ');
    throw new NodeInputError(`Column "${column}" is not in the data (columns: ${available})`, {
      field,
      column,
    });
  }
  return column;
}
