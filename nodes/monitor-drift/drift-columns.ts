import { type DriftColumn, type NumericReference, PSI_BINS, prepareNumericReference } from '../../ml/drift';
import type { ReferenceSample, SignatureColumn, VersionReference } from '../../registry/version-schema';
import { NodeInputError } from '../_kit/errors';
import type { LoggedColumn } from '../_kit/monitoring-port';

/**
 * The model's input columns as drift compares them: numbers as numbers (NaN missing), text and
 * yes/no as categories (null missing; booleans spelt "true" and "false", as the registry's
 * reference frequencies spell them).
 */
export type DriftInput = Pick<SignatureColumn, 'name' | 'type'>;

/** A reference or current value as it arrives: from JSON (the reference sample) or DuckDB. */
export type RawValue = number | string | boolean | null;

/** One column of raw values as drift takes it, by the input's type. */
export function driftColumnOf(input: DriftInput, values: readonly RawValue[]): DriftColumn {
  if (input.type === 'number')
    return Float64Array.from(values, (value) => (typeof value === 'number' ? value : Number.NaN));
  if (input.type === 'boolean') return values.map(booleanText);
  return values.map((value) => (value === null ? null : String(value)));
}

function booleanText(value: RawValue): string | null {
  if (value === true || value === 1 || value === 'true') return 'true';
  if (value === false || value === 0 || value === 'false') return 'false';
  return null;
}

/** A logged column as drift takes it: the log reader gives booleans as 1 and 0. */
export function loggedDriftColumn(input: DriftInput, column: LoggedColumn): DriftColumn {
  if (input.type !== 'boolean') return column;
  if (!(column instanceof Float64Array)) return column.map((value) => booleanText(value));
  return Array.from(column, (value) => booleanText(Number.isNaN(value) ? null : value));
}

/**
 * The reference sample's columns by input name. Fails, naming the column, when the sample lacks
 * one of the model's inputs (a version registered before the sample held it).
 */
export function sampleColumns(
  sample: ReferenceSample,
  inputs: readonly DriftInput[],
  where: string,
): Map<string, DriftColumn> {
  const columns = new Map<string, DriftColumn>();
  for (const input of inputs) {
    const index = sample.columns.indexOf(input.name);
    if (index < 0)
      throw new NodeInputError(`${where} has no column "${input.name}", an input of the model`, {
        field: 'reference',
        column: input.name,
      });
    columns.set(
      input.name,
      driftColumnOf(
        input,
        sample.rows.map((row) => row[index] ?? null),
      ),
    );
  }
  return columns;
}

/**
 * A numeric reference column made ready for PSI. With the registry's deciles (measured over ALL
 * training rows at registration) the bins are those, and the sample only fills them; without them
 * (a dataset reference, or a version whose deciles were not all taken) the sample's own deciles.
 */
export function numericReferenceOf(
  column: Float64Array,
  reference: VersionReference[string] | undefined,
): NumericReference {
  const deciles = reference?.kind === 'number' ? reference.deciles : [];
  const usable = deciles.length === PSI_BINS - 1 && deciles.every(Number.isFinite) && isSorted(deciles);
  return prepareNumericReference(column, usable ? Float64Array.from(deciles) : undefined);
}

function isSorted(values: readonly number[]): boolean {
  return values.every((value, index) => index === 0 || value >= (values[index - 1] ?? value));
}
