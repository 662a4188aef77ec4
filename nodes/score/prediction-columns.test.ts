import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck } from '../_data/duck';
import { type ClassLabel, predictionColumns } from './prediction-columns';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

/** Appends one batch to a fresh table and reads it back in order. */
async function written(
  task: 'classification' | 'regression',
  labels: ClassLabel[],
  batch: { answers: number[]; probabilities: number[] },
) {
  const columns = predictionColumns(task, labels, ['id', 'x']);
  await duck.exec(`create or replace table written (${columns.ddl})`);
  const { appender, close } = await duck.appender('written');
  try {
    columns.append(appender, {
      rows: batch.answers.length,
      answers: Float64Array.from(batch.answers),
      probabilities: Float32Array.from(batch.probabilities),
    });
  } finally {
    close();
  }
  return { names: columns.names, rows: await duck.all('select * from written') };
}

describe('prediction columns', () => {
  it('writes the label of each winning class in the labels’ own type, and each class probability', async () => {
    // 5,000 rows: three DuckDB chunks, the last one short.
    const answers = Array.from({ length: 5000 }, (_, row) => row % 3);
    const probabilities = answers.flatMap((best) => [0, 1, 2].map((k) => (k === best ? 0.5 : 0.25)));
    const numbers = await written('classification', [10, 20, 30], { answers, probabilities });
    expect(numbers.names).toEqual(['prediction', 'probability_10', 'probability_20', 'probability_30']);
    expect(numbers.rows).toHaveLength(5000);
    expect(numbers.rows.slice(4998)).toEqual([
      { prediction: 10, probability_10: 0.5, probability_20: 0.25, probability_30: 0.25 },
      { prediction: 20, probability_10: 0.25, probability_20: 0.5, probability_30: 0.25 },
    ]);
    expect(numbers.rows.map((row) => row.prediction)).toEqual(answers.map((best) => [10, 20, 30][best]));

    const yesNo = await written('classification', [false, true], {
      answers: [1, 0],
      probabilities: [0.125, 0.875, 0.75, 0.25],
    });
    expect(yesNo.rows).toEqual([
      { prediction: true, probability_false: 0.125, probability_true: 0.875 },
      { prediction: false, probability_false: 0.75, probability_true: 0.25 },
    ]);
    const texts = await written('classification', ['no', 'yes'], {
      answers: [1],
      probabilities: [0.5, 0.5],
    });
    expect(texts.rows).toEqual([{ prediction: 'yes', probability_no: 0.5, probability_yes: 0.5 }]);
  });

  it('writes a regression value, and a value that is not finite as missing', async () => {
    const { rows } = await written('regression', [], {
      answers: [1.5, Number.NaN, -2, Number.POSITIVE_INFINITY],
      probabilities: [],
    });
    expect(rows.map((row) => row.prediction)).toEqual([1.5, null, -2, null]);
  });

  it('refuses data that already has a column it would add, naming the column', () => {
    expect(() => predictionColumns('classification', ['a', 'x'], ['probability_x'])).toThrow(
      'The data already has a column "probability_x"',
    );
  });
});
