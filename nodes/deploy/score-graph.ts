import ort from 'onnxruntime-node';
import { classificationMetrics, type Metrics, regressionMetrics } from '../../ml/metrics/summary';
import type { ModelLabel } from '../../registry/version-schema';
import type { Plain } from '../_data/duck';
import { NodeInputError } from '../_kit/errors';
import type { TestRows } from './raw-rows';

/** A graph to score: its ONNX bytes, its task and (classification) its labels in probability order. */
export interface ScoredGraph {
  /** "the new version", "production version 3": how errors name it. */
  name: string;
  onnx: Uint8Array;
  task: 'classification' | 'regression';
  labels: readonly ModelLabel[];
}

/**
 * Runs each graph on the same test rows in onnxruntime and measures it with ml/metrics. Rows whose
 * class one of the graphs never learned are left out of both, so the two figures are over the
 * same rows.
 */
export async function scoreGraphs(
  graphs: readonly ScoredGraph[],
  rows: TestRows,
): Promise<{ metrics: Metrics[]; rows: number }> {
  const predictions = await Promise.all(graphs.map((graph) => predict(graph, rows)));
  // Labels compare as text: a label read back from the registry's JSON may differ in type only.
  const indexes = graphs.map((graph) => new Map(graph.labels.map((label, index) => [String(label), index])));
  const classIndex = (graph: number, value: Plain | undefined) =>
    value === null || value === undefined ? undefined : indexes[graph]?.get(String(value));
  const keep = Array.from({ length: rows.rows }, (_, row) => row).filter((row) =>
    graphs.every(
      (graph, index) => graph.task === 'regression' || classIndex(index, rows.target[row]) !== undefined,
    ),
  );
  const metrics = graphs.map((graph, index) => {
    const predicted = predictions[index] ?? new Float64Array();
    if (graph.task === 'regression')
      return regressionMetrics(
        Float64Array.from(keep, (row) => Number(rows.target[row])),
        Float64Array.from(keep, (row) => predicted[row] ?? Number.NaN),
      );
    const k = graph.labels.length;
    const probabilities = new Float64Array(keep.length * k);
    keep.forEach((row, position) => {
      probabilities.set(predicted.subarray(row * k, (row + 1) * k), position * k);
    });
    const truth = Float64Array.from(keep, (row) => classIndex(index, rows.target[row]) ?? -1);
    return classificationMetrics(truth, probabilities, k);
  });
  return { metrics, rows: keep.length };
}

/** Probabilities (rows × classes) or values (rows) of one graph. */
async function predict(graph: ScoredGraph, rows: TestRows): Promise<Float64Array> {
  const session = await ort.InferenceSession.create(graph.onnx, { intraOpNumThreads: 1 });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      const column = rows.columns.get(name);
      if (!column)
        throw new NodeInputError(`${graph.name} takes column "${name}", which the data input does not have`, {
          field: 'data',
          column: name,
        });
      feeds[name] =
        column.kind === 'number'
          ? new ort.Tensor('float64', column.values, [rows.rows, 1])
          : new ort.Tensor('string', column.values, [rows.rows, 1]);
    }
    const output = graph.task === 'classification' ? 'probabilities' : 'value';
    const results = await session.run(feeds, [output]);
    const tensor = results[output];
    if (!tensor) throw new Error(`${graph.name} has no "${output}" output`);
    return Float64Array.from(numbers(tensor.data));
  } finally {
    await session.release();
  }
}

/** A numeric output tensor's values as doubles (onnxruntime gives float32 probabilities). */
function numbers(data: ort.Tensor['data']): number[] {
  const values: number[] = [];
  for (const value of data) values.push(Number(value));
  return values;
}
