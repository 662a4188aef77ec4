import os from 'node:os';
import ort from 'onnxruntime-node';
import type { DatasetInput } from '../_data/dataset-input';
import type { Duck } from '../_data/duck';
import type { InputColumn } from '../deploy/raw-rows';
import { batchInputSql, InputBatch } from './input-batch';
import { type ClassLabel, predictionColumns } from './prediction-columns';

/** A model ready to score: its graph (raw columns in, transforms included) and what it answers. */
export interface ScoringModel {
  /** How messages name it: "the connected model", "churn version 3". */
  name: string;
  onnx: Uint8Array;
  task: 'classification' | 'regression';
  /** Classification: the labels in probability order. */
  labels: readonly ClassLabel[];
  inputs: readonly InputColumn[];
}

/** Rows per graph run: large enough that a run's fixed cost fades, small enough to keep memory flat. */
export const BATCH_ROWS = 65_536;

const NO_PROBABILITIES = new Float32Array(0);

/** Where the scores go: a DuckDB table, in the rows' order, joined back by position. */
export const SCORES_TABLE = 'scores';

/**
 * Scores every row of the dataset, batch by batch, into the SCORES_TABLE (created here) in the
 * rows' order: DuckDB streams the rows in chunks, a batch at a time goes through the graph, and the
 * answers are appended. Memory holds one batch, whatever the number of rows. Returns the rows scored
 * and the names of the added columns.
 */
export async function scoreDataset(
  duck: Duck,
  dataset: DatasetInput,
  model: ScoringModel,
  onBatch: (rowsDone: number) => void,
  batchRows = BATCH_ROWS,
): Promise<{ rows: number; columns: string[] }> {
  const columns = predictionColumns(
    model.task,
    model.labels,
    dataset.columns.map((column) => column.name),
  );
  // A plain table: the appender writes from a connection of its own (see Duck.appender).
  await duck.exec(`create or replace table ${SCORES_TABLE} (${columns.ddl})`);
  const { appender, close } = await duck.appender(SCORES_TABLE);
  const session = await ort.InferenceSession.create(model.onnx, {
    intraOpNumThreads: os.availableParallelism(),
    // Between two batches onnxruntime's threads would spin, waiting for work: they would take the
    // cores from DuckDB reading the next batch and from the worker's other steps. Measured on 1M
    // rows on a busy machine, spinning made the graph 1.7 to 2.8 times slower.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const labelIndex = new Map(model.labels.map((label, index) => [String(label), index]));
  const batch = new InputBatch(model.inputs, batchRows);
  let done = 0;
  const answers = new Float64Array(batchRows);
  const flush = async () => {
    if (batch.rows === 0) return;
    const outputs = await session.run(batch.feeds());
    const rows = batch.rows;
    if (model.task === 'regression') {
      const values = outputs.value?.data;
      if (!(values instanceof Float64Array)) throw new Error(`${model.name} gave no "value" output`);
      columns.append(appender, { rows, answers: values, probabilities: NO_PROBABILITIES });
    } else {
      const probabilities = outputs.probabilities?.data;
      const labels = outputs.label?.data;
      if (!(probabilities instanceof Float32Array) || !labels)
        throw new Error(`${model.name} gave no "label" and "probabilities" outputs`);
      for (let row = 0; row < rows; row++) answers[row] = labelIndex.get(String(labels[row])) ?? 0;
      columns.append(appender, { rows, answers, probabilities });
    }
    done += rows;
    batch.clear();
    onBatch(done);
  };
  try {
    await duck.forEachDataChunk(
      `select ${model.inputs.map(batchInputSql).join(', ')} from read_parquet($1)`,
      [dataset.file],
      async (chunk) => {
        for (let from = 0; from < chunk.rowCount; ) {
          from += batch.add(chunk, from, chunk.rowCount - from);
          if (batch.full) await flush();
        }
      },
    );
    await flush();
  } finally {
    close();
    await session.release();
  }
  return { rows: done, columns: columns.names };
}
