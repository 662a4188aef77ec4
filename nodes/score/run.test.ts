import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainCustomerModel } from '../../tests/support/customer-model';
import { NodeHarness } from '../../tests/support/node-harness';
import { readDataset } from '../../tests/support/test-dataset';
import { openDataset } from '../_data/dataset-input';
import { Duck } from '../_data/duck';
import type { ArtifactRef } from '../_kit/artifact-ref';
import { nodeRuns } from '../runs';
import { closeTrainingPool } from '../train/fit-pool';
import { SCORES_TABLE, scoreDataset } from './batch-scorer';
import { canvasModel } from './scoring-model';

const harness = new NodeHarness();
let raw: ArtifactRef;
let featured: ArtifactRef;
let model: ArtifactRef;

function output(ref: ArtifactRef | undefined): ArtifactRef {
  if (!ref) throw new Error('a step gave no output');
  return ref;
}

beforeAll(async () => {
  ({ raw, featured, model } = await trainCustomerModel(harness));
}, 60_000);

afterAll(async () => {
  await closeTrainingPool();
  harness.cleanup();
});

describe('batch score', () => {
  it('adds the label and each class probability to every raw row, in order, replaying the model transforms', async () => {
    const result = await harness.run(nodeRuns.score, {}, { data: raw, model });
    const input = await readDataset(raw);
    const { rows } = await readDataset(result.outputs.scored);
    expect(rows).toHaveLength(600);
    // Every row keeps its columns, in the input's order.
    expect(rows.map((row) => row.id)).toEqual(input.rows.map((row) => row.id));
    expect(Object.keys(rows[0] ?? {})).toEqual([
      ...Object.keys(input.rows[0] ?? {}),
      'prediction',
      'probability_no',
      'probability_yes',
    ]);
    for (const row of rows) {
      const no = Number(row.probability_no);
      const yes = Number(row.probability_yes);
      expect(no + yes).toBeCloseTo(1, 5);
      expect(row.prediction).toBe(yes > no ? 'yes' : 'no');
    }
    // The rule is simple enough for a tree to learn it: the scores are right on the test rows.
    const test = rows.filter((row) => row._split === 'test');
    const right = test.filter((row) => row.prediction === row.left).length;
    expect(right / test.length).toBeGreaterThan(0.95);
    expect(result.summary).toMatchObject({
      rows: 600,
      model: 'The connected model',
      columns: 'prediction, probability_no, probability_yes',
    });
  });

  it('gives the same scores whatever the batch size, across DuckDB chunk and batch seams', async () => {
    const duck = await Duck.open();
    try {
      const dataset = await openDataset(duck, raw);
      const scoring = await canvasModel(fileURLToPath(model.uri), dataset);
      const scoresWith = async (batchRows: number) => {
        const seen: number[] = [];
        await scoreDataset(duck, dataset, scoring, (done) => seen.push(done), batchRows);
        return { rows: await duck.all(`select * from ${SCORES_TABLE}`), seen };
      };
      const whole = await scoresWith(65_536);
      const small = await scoresWith(77);
      expect(small.rows).toEqual(whole.rows);
      expect(small.seen.at(-1)).toBe(600);
      expect(small.seen).toHaveLength(Math.ceil(600 / 77));
      expect(whole.seen).toEqual([600]);
    } finally {
      duck.close();
    }
  });

  it('scores every row of a large dataset: the appender writing as it fills never ends the read early', async () => {
    const duck = await Duck.open();
    try {
      const small = await openDataset(duck, raw);
      // 420,000 rows: the 600 raw ones, 700 times over (an early stop once cut 10 M rows at 263,473).
      const file = path.join(harness.dataDir, 'many.parquet');
      await duck.exec(
        'copy (select t.* from read_parquet($1) t, range(700) r order by r.range, t.id) to $2 (format parquet)',
        [small.file, file],
      );
      const many = await openDataset(duck, { kind: 'dataset', id: 'many', uri: pathToFileURL(file).href });
      const scoring = await canvasModel(fileURLToPath(model.uri), small);
      const result = await scoreDataset(duck, many, scoring, () => {});
      expect(result.rows).toBe(420_000);
      const counts = await duck.one(
        `select count(*) as n, count(*) filter (where prediction is null) as missing from ${SCORES_TABLE}`,
      );
      expect(counts).toEqual({ n: 420_000, missing: 0 });
      // The last copy is answered as the first: the answers stayed in the rows' order.
      const ends = await duck.all(
        `select prediction from (select prediction, row_number() over () as n from ${SCORES_TABLE})
         where n <= 600 or n > 419400 order by n`,
      );
      expect(ends.slice(600)).toEqual(ends.slice(0, 600));
    } finally {
      duck.close();
    }
  });

  it('refuses, naming the field or column: no model, two models, engineered rows, a column it would overwrite', async () => {
    await expect(harness.run(nodeRuns.score, {}, { data: raw })).rejects.toMatchObject({
      message: 'Connect a trained model to the Model port, or name a registered model',
      details: { field: 'model' },
    });
    await expect(harness.run(nodeRuns.score, { model: 'churn' }, { data: raw, model })).rejects.toMatchObject(
      { details: { field: 'model' } },
    );
    await expect(harness.run(nodeRuns.score, {}, { data: featured, model })).rejects.toMatchObject({
      details: { field: 'data' },
      message: expect.stringContaining('feature engineering'),
    });
    const scored = await harness.run(nodeRuns.score, {}, { data: raw, model });
    await expect(
      harness.run(nodeRuns.score, {}, { data: output(scored.outputs.scored), model }),
    ).rejects.toMatchObject({
      message:
        'The data already has a column "prediction", which scoring adds: rename or drop it before this step',
      details: { column: 'prediction', field: 'data' },
    });
  });
});
