import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import ort from 'onnxruntime-node';
import { allNodes, decodeModel } from '../../ml/onnx-import/describe';
import {
  type ImportSample,
  importFolder,
  importSampleSchema,
  REWRITTEN_FILE,
  SAMPLE_FILE,
} from './import-files';
import type { ImportCheckInput, ImportCheckResult, ModelImportActivities } from './model-import.types';

function refuse(message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'ModelImportRefused');
}

export function createModelImportActivities(deps: { dataDir: string }): ModelImportActivities {
  return {
    async checkImportedModel(input: ImportCheckInput): Promise<ImportCheckResult> {
      const folder = importFolder(deps.dataDir, input.importId);
      const bytes = new Uint8Array(await readFile(path.join(folder, REWRITTEN_FILE)));
      const sample = importSampleSchema.parse(
        JSON.parse(await readFile(path.join(folder, SAMPLE_FILE), 'utf8')),
      );
      const session = await openSession(bytes);
      try {
        return await checkRows(session, sample, input);
      } finally {
        await session.release();
      }
    },
  };
}

/** The graph's session; an operator onnxruntime cannot run is named in the refusal. */
async function openSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  } catch (error) {
    const said = headline(error);
    const graph = decodeModel(bytes).graph;
    const operators = graph ? allNodes(graph) : [];
    // onnxruntime names the operator it has no kernel for ("com.example:FooBar(-1) is not a registered …").
    const words = new Set(said.split(/[^A-Za-z0-9_]+/));
    const culprit = operators.find((node) => node.opType && words.has(node.opType));
    if (culprit)
      refuse(
        `onnxruntime cannot run operator ${culprit.opType} (domain ${culprit.domain || 'ai.onnx'}): ${said}`,
      );
    refuse(`onnxruntime cannot load the model: ${said}`);
  }
}

/** An error's first line, without onnxruntime's file and line prefixes. */
function headline(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).replace(/^\[[^\]]*\]\s*/, '').slice(0, 500);
}

async function checkRows(
  session: ort.InferenceSession,
  sample: ImportSample,
  input: ImportCheckInput,
): Promise<ImportCheckResult> {
  const fromSample = sample.rows.length > 0;
  // Without a sample, one row of zeros (and empty text) shows the graph runs and answers in shape.
  const rows = fromSample
    ? sample.rows
    : [sample.columns.map((column) => (column.type === 'string' ? '' : 0))];
  let outputs: ort.InferenceSession.OnnxValueMapType;
  try {
    outputs = await session.run(feedsOf(sample.columns, rows));
  } catch (error) {
    refuse(await failingRow(session, sample.columns, rows, error));
  }
  checkAnswers(outputs, rows.length, input, (row) => whyNoAnswer(sample.columns, rows[row]));
  return { rows: rows.length, sample: fromSample };
}

type SampleRow = ImportSample['rows'][number];

function feedsOf(columns: ImportSample['columns'], rows: readonly SampleRow[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  columns.forEach((column, index) => {
    feeds[column.name] =
      column.type === 'string'
        ? new ort.Tensor(
            'string',
            rows.map((row) => (row[index] == null ? '' : String(row[index]))),
            [rows.length, 1],
          )
        : new ort.Tensor(
            'float64',
            Float64Array.from(rows, (row) => {
              const value = row[index];
              return value === null || value === undefined ? Number.NaN : Number(value);
            }),
            [rows.length, 1],
          );
  });
  return feeds;
}

/** Which row makes the graph fail, found by running the rows one at a time. */
async function failingRow(
  session: ort.InferenceSession,
  columns: ImportSample['columns'],
  rows: readonly SampleRow[],
  error: unknown,
): Promise<string> {
  for (const [index, row] of rows.entries()) {
    try {
      await session.run(feedsOf(columns, [row]));
    } catch (rowError) {
      return `Row ${index + 1} of the sample fails in the model (${columns.map((column, at) => `${column.name}=${JSON.stringify(row[at] ?? null)}`).join(', ')}): ${headline(rowError)}`;
    }
  }
  return `The model fails on the sample rows: ${headline(error)}`;
}

/** Refuses outputs that are not one answer per row in the served form (no NaN, as many probabilities as labels). */
function checkAnswers(
  outputs: ort.InferenceSession.OnnxValueMapType,
  rows: number,
  input: ImportCheckInput,
  why: (row: number) => string,
): void {
  if (input.task === 'regression') {
    const value = outputs.value?.data;
    if (!(value instanceof Float64Array) || value.length !== rows)
      refuse(`The rewritten model gives no value per row (${value?.length ?? 0} values for ${rows} rows)`);
    const missing = value.findIndex((number) => !Number.isFinite(number));
    if (missing >= 0)
      refuse(`Row ${missing + 1} of the sample gives no value (${value[missing]}): ${why(missing)}`);
    return;
  }
  const probabilities = outputs.probabilities?.data;
  const labels = outputs.label?.data;
  if (!(probabilities instanceof Float32Array) || !labels || labels.length !== rows)
    refuse('The rewritten model gives no label and probabilities per row');
  const width = probabilities.length / rows;
  if (width !== input.labelCount)
    refuse(
      `The model gives ${width} probabilities per row but has ${input.labelCount} labels: give as many labels as classes`,
    );
  for (let row = 0; row < rows; row++)
    for (let k = 0; k < width; k++)
      if (!Number.isFinite(probabilities[row * width + k] ?? Number.NaN))
        refuse(`Row ${row + 1} of the sample gives no probabilities (NaN): ${why(row)}`);
}

/** What to say about a row the model gives no answer for: its missing cells, if it has any. */
function whyNoAnswer(columns: ImportSample['columns'], row: SampleRow | undefined): string {
  const missing = columns.filter((_, index) => (row?.[index] ?? null) === null).map((column) => column.name);
  return missing.length > 0
    ? `the model does not take a missing ${missing.join(', ')} (fill it in the sample, or impute it before the model)`
    : 'check its values';
}
