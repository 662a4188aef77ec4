import type { RawColumn } from '../../ml/onnx';
import type { ModelOutput, ModelSignature, SignatureColumn } from '../../registry/version-schema';
import type { TransformSpec } from '../_data/transform-spec';

/**
 * The version's input signature: each raw column the graph takes, in graph order, with its type;
 * for text columns the categories the trained encoders know and what they do with another one;
 * and whether a missing value is allowed. Pure.
 *
 * - Categories come from the spec's one_hot and ordinal steps on the column. An ordinal step maps an
 *   unseen category to −1, and a one-hot step with an "other" column puts it there: `accept`. A
 *   one-hot step without "other" (every training category has its column) has no place for it:
 *   `reject`, so serving names the wrong value instead of predicting from all zeros.
 * - A column is nullable when an impute step fills it, or when the training rows had missing values
 *   (the model was trained with them).
 */
export function signatureOf(input: {
  columns: readonly RawColumn[];
  transforms: TransformSpec;
  /** Share of missing values per column in the training rows. */
  missingRates: ReadonlyMap<string, number>;
  output: ModelOutput;
}): ModelSignature {
  return {
    inputs: input.columns.map((column) => signatureColumn(column, input.transforms, input.missingRates)),
    output: input.output,
  };
}

function signatureColumn(
  column: RawColumn,
  transforms: TransformSpec,
  missingRates: ReadonlyMap<string, number>,
): SignatureColumn {
  const type = column.kind === 'string' ? 'string' : column.boolean ? 'boolean' : 'number';
  const imputed = transforms.steps.some((step) => step.op === 'impute' && step.column === column.name);
  const nullable = imputed || (missingRates.get(column.name) ?? 0) > 0;
  const encoders = transforms.steps.filter(
    (step) => (step.op === 'one_hot' || step.op === 'ordinal') && step.column === column.name,
  );
  if (type !== 'string' || encoders.length === 0)
    return { name: column.name, type, unknownCategories: 'accept', nullable };
  const categories = new Set<string>();
  let reject = false;
  for (const step of encoders) {
    if (step.op !== 'one_hot' && step.op !== 'ordinal') continue;
    for (const category of step.categories) categories.add(category);
    if (step.op === 'one_hot' && !step.other) reject = true;
  }
  return {
    name: column.name,
    type,
    categories: [...categories],
    unknownCategories: reject ? 'reject' : 'accept',
    nullable,
  };
}
