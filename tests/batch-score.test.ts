/**
 * The Batch score node through Temporal with a model from the registry: a real model (trained by
 * the real nodes) registered twice, rows ingested from a CSV, and [ingest → score] runs picking the
 * production version, a numbered one, and one that does not exist.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts } from '../db/schema';
import { Duck } from '../nodes/_data/duck';
import { setUpDatabaseAndWorker } from './support/fixture';
import { NodeHarness } from './support/node-harness';
import { pipelineDoc } from './support/pipeline-doc';
import { runToEnd, savePipeline, stepRows } from './support/pipelines';
import { registerTestModel, type TrainedModel, trainTestModel } from './support/registered-model';

const fixture = setUpDatabaseAndWorker();
const harness = new NodeHarness(os.tmpdir());
let model: TrainedModel;

/** 40 rows to score: sizes (a few missing), weights and colours, no label. */
const ROWS = Array.from({ length: 40 }, (_, i) => ({
  size: i % 9 === 4 ? null : (i * 11) % 50,
  weight: (i * 7) % 40,
  colour: ['red', 'green', 'blue'][i % 3] ?? 'red',
}));

beforeAll(async () => {
  model = await trainTestModel(harness);
  await registerTestModel(fixture.database.sql, { name: 'sizes', model, alias: 'production' });
  await registerTestModel(fixture.database.sql, { name: 'sizes', model, alias: 'staging' });
  const uploads = path.join(fixture.worker.dataDir, 'uploads');
  mkdirSync(uploads, { recursive: true });
  writeFileSync(
    path.join(uploads, 'to-score.csv'),
    ['size,weight,colour', ...ROWS.map((row) => `${row.size ?? ''},${row.weight},${row.colour}`)].join('\n'),
  );
}, 120_000);

afterAll(() => harness.cleanup());

function scorePipeline(config: Record<string, unknown>) {
  return pipelineDoc(
    [
      { id: 'ingest', type: 'ingest', config: { source: 'file', file: 'uploads/to-score.csv' } },
      { id: 'score', type: 'score', config },
    ],
    ['ingest.data->score.data'],
  );
}

/** What the graph answers for the rows, run directly: the scores must be these. */
async function graphAnswers(): Promise<{ label: string; probabilities: number[] }[]> {
  const session = await ort.InferenceSession.create(model.onnx);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      feeds[name] =
        name === 'colour'
          ? new ort.Tensor(
              'string',
              ROWS.map((row) => row.colour),
              [ROWS.length, 1],
            )
          : new ort.Tensor(
              'float64',
              Float64Array.from(ROWS, (row) => (name === 'size' ? (row.size ?? Number.NaN) : row.weight)),
              [ROWS.length, 1],
            );
    }
    const { label, probabilities } = await session.run(feeds);
    return ROWS.map((_, row) => ({
      label: String(label?.data[row]),
      probabilities: [Number(probabilities?.data[row * 2]), Number(probabilities?.data[row * 2 + 1])],
    }));
  } finally {
    await session.release();
  }
}

/** The rows of the step's scored dataset. */
async function scoredRows(stepId: string) {
  const [artifact] = await fixture.database.db.select().from(artifacts).where(eq(artifacts.stepId, stepId));
  if (!artifact) throw new Error('the score step stored no dataset');
  const duck = await Duck.open();
  try {
    return { rows: await duck.all('select * from read_parquet($1)', [fileURLToPath(artifact.uri)]) };
  } finally {
    duck.close();
  }
}

async function scoreRun(config: Record<string, unknown>) {
  const { version } = await savePipeline(fixture.database.db, scorePipeline(config), 'score sizes');
  const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
  const step = (await stepRows(fixture.database.db, started.runId)).find((row) => row.nodeId === 'score');
  return { result, step };
}

describe('Batch score with a registered model', () => {
  it("scores every row with the production version's graph, as the graph itself answers", async () => {
    const { result, step } = await scoreRun({ model: 'sizes' });
    expect(result.status).toBe('succeeded');
    expect(step?.outputSummary).toMatchObject({ rows: 40, model: 'sizes version 1', version: 1 });
    const scored = await scoredRows(step?.id ?? '');
    const expected = await graphAnswers();
    expect(scored.rows.map((row) => [row.weight, row.prediction])).toEqual(
      ROWS.map((row, index) => [row.weight, expected[index]?.label]),
    );
    scored.rows.forEach((row, index) => {
      expect(row.probability_big).toBeCloseTo(expected[index]?.probabilities[0] ?? Number.NaN, 6);
      expect(row.probability_small).toBeCloseTo(expected[index]?.probabilities[1] ?? Number.NaN, 6);
    });
    // Not one answer for all: the model tells big from small on these rows.
    expect(new Set(scored.rows.map((row) => row.prediction))).toEqual(new Set(['big', 'small']));
  });

  it('takes a numbered version or the staging one, and fails naming the model when there is none', async () => {
    const numbered = await scoreRun({ model: 'sizes', version: 'number', versionNumber: 2 });
    expect(numbered.step?.outputSummary).toMatchObject({ model: 'sizes version 2', version: 2 });
    const staging = await scoreRun({ model: 'sizes', version: 'staging' });
    expect(staging.step?.outputSummary).toMatchObject({ version: 2 });
    const missing = await scoreRun({ model: 'sizes', version: 'number', versionNumber: 9 });
    expect(missing.result.status).toBe('failed');
    expect(missing.step?.error).toContain('Model "sizes" has no version 9');
    const unknown = await scoreRun({ model: 'nobody' });
    expect(unknown.step?.error).toContain('No production version of model "nobody"');
  });
});
