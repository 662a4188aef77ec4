import ort from 'onnxruntime-node';
import type { ModelLabel } from '../registry/version-schema';
import type { ServedVersion } from './model-cache';
import type { ColumnValues } from './validate-rows';

/** One row's answer: a class with its probabilities, or a number. */
export type Prediction = { label: ModelLabel; probabilities: Record<string, number> } | { value: number };

/**
 * Runs the version's graph on validated columns (validate-rows.ts) and reads its outputs
 * (ml/onnx/export.ts): classification `label` [N] and `probabilities` [N, classes]; regression
 * `value` [N, 1].
 */
export async function predict(
  served: ServedVersion,
  columns: ReadonlyMap<string, ColumnValues>,
  rows: number,
): Promise<Prediction[]> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of served.session.inputNames) {
    const values = columns.get(name);
    // The cache checked that every graph input is in the signature, and validation filled each one.
    if (!values) throw new Error(`No values for the graph input "${name}"`);
    feeds[name] =
      values instanceof Float64Array
        ? new ort.Tensor('float64', values, [rows, 1])
        : new ort.Tensor('string', values, [rows, 1]);
  }
  const outputs = await served.session.run(feeds);
  const output = served.signature.output;
  if (output.task === 'regression') {
    const value = outputs.value;
    if (!value) throw new Error('The graph gave no "value" output');
    return Array.from({ length: rows }, (_, row) => ({ value: Number(value.data[row]) }));
  }
  const labels = output.labels;
  const probabilities = outputs.probabilities;
  if (!probabilities) throw new Error('The graph gave no "probabilities" output');
  const classes = labels.length;
  const keys = labels.map(String);
  const graphLabels = outputs.label;
  return Array.from({ length: rows }, (_, row) => {
    // No prototype: a class may be named "__proto__".
    const byLabel: Record<string, number> = Object.create(null);
    for (let k = 0; k < classes; k++)
      byLabel[keys[k] ?? String(k)] = Number(probabilities.data[row * classes + k]);
    // The graph's own label (its argmax in double precision), as the signature spells it (5 and
    // "5", true and "true" read alike).
    const given = String(graphLabels?.data[row]);
    const index = keys.indexOf(given);
    return { label: index >= 0 ? (labels[index] ?? given) : given, probabilities: byLabel };
  });
}
