import type { DriftColumn } from '../../ml/drift';
import { openDataset } from '../_data/dataset-input';
import type { Duck } from '../_data/duck';
import { quoteIdent } from '../_data/sql';
import { readTransformSpec } from '../_data/transform-spec';
import type { ArtifactRef } from '../_kit/artifact-ref';
import { NodeInputError } from '../_kit/errors';
import { type DriftInput, driftColumnOf } from './drift-columns';

/**
 * The model's input columns from a dataset input (the `reference` or `current` port), read as the
 * model takes them. The data must be raw rows: after the feature step, columns are scaled in place
 * under their raw names, and comparing those with raw values would show drift that is not there.
 */
export async function datasetColumns(
  duck: Duck,
  ref: ArtifactRef,
  inputs: readonly DriftInput[],
  port: 'reference' | 'current',
): Promise<{ rows: number; columns: Map<string, DriftColumn> }> {
  const dataset = await openDataset(duck, ref);
  if (readTransformSpec(dataset.file).steps.some((step) => step.op === 'select'))
    throw new NodeInputError(
      `The ${port} input has been through feature engineering (its columns are scaled in place): connect raw rows, such as the split or clean step's output`,
      { field: port },
    );
  const present = new Set(dataset.columns.map((column) => column.name));
  const missing = inputs.filter((input) => !present.has(input.name)).map((input) => input.name);
  if (missing.length)
    throw new NodeInputError(
      `The ${port} input lacks column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')}, which the model takes`,
      { field: port, column: missing[0] },
    );
  const selected = inputs.map((input, index) => `${columnSql(input)} as c${index}`).join(', ');
  const rows = await duck.all(`select ${selected} from read_parquet($1)`, [dataset.file]);
  const columns = new Map<string, DriftColumn>(
    inputs.map((input, index) => [
      input.name,
      driftColumnOf(
        input,
        rows.map((row) => row[`c${index}`] ?? null),
      ),
    ]),
  );
  return { rows: rows.length, columns };
}

/** A column read as its signature type: numbers as DOUBLE, yes/no as BOOLEAN, text as VARCHAR. */
function columnSql(input: DriftInput): string {
  const name = quoteIdent(input.name);
  if (input.type === 'number') return `try_cast(${name} as double)`;
  if (input.type === 'boolean') return `try_cast(${name} as boolean)`;
  return `cast(${name} as varchar)`;
}
