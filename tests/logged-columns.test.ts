import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLoggedColumns } from '../db/queries/logged-columns';
import { insertPredictionLog, type PredictionLogRow } from '../db/queries/prediction-log';
import { createTestDatabase, type TestDatabase } from './support/database';

let database: TestDatabase;
let modelId: string;
let otherModelId: string;

const inputs = [
  { name: 'age', type: 'number' },
  { name: 'plan', type: 'string' },
  { name: 'active', type: 'boolean' },
] as const;
const signature = { inputs, task: 'classification' } as const;
const start = new Date('2026-03-01T00:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

async function addModel(name: string): Promise<string> {
  const [row] = await database.sql<{ id: string }[]>`
    insert into registered_models (name) values (${name}) returning id`;
  if (!row) throw new Error('no model');
  return row.id;
}

async function addVersion(model: string, version: number, columns: readonly object[], task: string) {
  const versionSignature = JSON.stringify({ inputs: columns, output: { task, labels: ['no', 'yes'] } });
  await database.sql`
    insert into model_versions (model_id, version, task, algorithm, signature, transforms, onnx_sha256, onnx_bytes)
    values (${model}, ${version}, ${task}, 'logistic_regression', ${versionSignature}::jsonb, '{}'::jsonb,
      ${'0'.repeat(64)}, 1)`;
}

function logRow(
  model: string,
  version: number,
  minutes: number,
  values: unknown[],
  label: unknown,
): PredictionLogRow {
  return {
    predictionId: randomUUID(),
    requestId: 'request',
    modelId: model,
    version,
    at: at(minutes),
    latencyMs: 1.5 + minutes,
    inputs: values,
    outputs: { label, probabilities: { no: 0.5, yes: 0.5 } },
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  modelId = await addModel('churn');
  otherModelId = await addModel('fraud');
  const column = (name: string, type: string, extra: object = {}) => ({
    name,
    type,
    nullable: true,
    unknownCategories: 'accept',
    ...extra,
  });
  // v1 and v2 differ only in their known categories; v3 has other inputs.
  await addVersion(
    modelId,
    1,
    [column('age', 'number'), column('plan', 'string', { categories: ['pro'] }), column('active', 'boolean')],
    'classification',
  );
  await addVersion(
    modelId,
    2,
    [
      column('age', 'number'),
      column('plan', 'string', { categories: ['pro', 'team'] }),
      column('active', 'boolean'),
    ],
    'classification',
  );
  await addVersion(modelId, 3, [column('age', 'number'), column('region', 'string')], 'classification');
  await addVersion(
    otherModelId,
    1,
    [column('age', 'number'), column('plan', 'string'), column('active', 'boolean')],
    'classification',
  );
  await insertPredictionLog(database.sql, [
    logRow(modelId, 1, 0, [41.5, 'pro', true], 'yes'),
    logRow(modelId, 2, 10, [null, 'say "hi" \\ ünïcode', false], 'no'),
    logRow(modelId, 2, 20, [-0.000125, null, 1], 'yes'),
    logRow(modelId, 1, 30, [1e21, 'pro', null], 'yes'),
    // Outside the window: at its end (exclusive) and before its start.
    logRow(modelId, 1, 60, [99, 'late', true], 'no'),
    logRow(modelId, 1, -1, [98, 'early', true], 'no'),
    // Another version's inputs, another model.
    logRow(modelId, 3, 15, [97, 'north'], 'no'),
    logRow(otherModelId, 1, 15, [96, 'other', true], 'no'),
  ]);
});

/** A read column's values as a plain array, whatever its kind. */
function valuesOf(read: { columns: Map<string, Float64Array | (string | null)[]> }, name: string) {
  const column = read.columns.get(name);
  if (!column) throw new Error(`No column ${name}`);
  return Array.from<number | string | null>(column);
}

afterAll(async () => {
  await database?.drop();
});

describe('readLoggedColumns', () => {
  it('reads the window of the versions with the same inputs into typed columns, nulls as NaN and null', async () => {
    const read = await readLoggedColumns(database.sql, { modelId, from: at(0), to: at(60), signature });
    expect(read.versions).toEqual([1, 2]);
    expect(read.rows).toBe(4);
    // The order of rows is not promised: sort them by latency, which follows the minute.
    const order = Array.from(read.latencyMs.keys()).sort(
      (a, b) => (read.latencyMs[a] ?? 0) - (read.latencyMs[b] ?? 0),
    );
    const pick = <T>(values: ArrayLike<T>) => order.map((index) => values[index]);
    expect(pick(read.latencyMs)).toEqual([1.5, 11.5, 21.5, 31.5]);
    expect(pick(valuesOf(read, 'age'))).toEqual([41.5, Number.NaN, -0.000125, 1e21]);
    expect(pick(valuesOf(read, 'plan'))).toEqual(['pro', 'say "hi" \\ ünïcode', null, 'pro']);
    expect(pick(valuesOf(read, 'active'))).toEqual([1, 0, 1, Number.NaN]);
    expect(read.predictions).toMatchObject({ task: 'classification' });
    if (read.predictions.task === 'classification')
      expect(pick(read.predictions.labels)).toEqual(['yes', 'no', 'yes', 'yes']);
  });

  it('reads nothing outside the window, and nothing of a signature no version has', async () => {
    const empty = await readLoggedColumns(database.sql, { modelId, from: at(61), to: at(120), signature });
    expect(empty.rows).toBe(0);
    expect(empty.columns.get('age')).toEqual(new Float64Array(0));
    const other = await readLoggedColumns(database.sql, {
      modelId,
      from: at(0),
      to: at(60),
      signature: {
        inputs: [
          { name: 'age', type: 'number' },
          { name: 'region', type: 'string' },
        ],
        task: 'classification',
      },
    });
    expect(other.versions).toEqual([3]);
    expect(other.columns.get('region')).toEqual(['north']);
    const regression = await readLoggedColumns(database.sql, {
      modelId,
      from: at(0),
      to: at(60),
      signature: { inputs, task: 'regression' },
    });
    expect(regression.versions).toEqual([]);
    expect(regression.rows).toBe(0);
  });

  it('reads only the predictions with feedback, with their true labels, when asked for labelled rows', async () => {
    const labelledModel = await addModel('labelled');
    const columns = inputs.map((input) => ({ ...input, nullable: true, unknownCategories: 'accept' }));
    await addVersion(labelledModel, 1, columns, 'classification');
    const rows = [
      logRow(labelledModel, 1, 1, [30, 'pro', true], 'yes'),
      logRow(labelledModel, 1, 2, [40, 'team', false], 'no'),
      logRow(labelledModel, 1, 3, [50, 'pro', true], 'yes'),
      // Feedback, but outside the window.
      logRow(labelledModel, 1, 90, [60, 'pro', true], 'yes'),
    ];
    await insertPredictionLog(database.sql, rows);
    const feedback = [
      [rows[0], 'no'],
      [rows[2], 'yes'],
      [rows[3], 'no'],
    ] as const;
    for (const [row, label] of feedback)
      await database.sql`
        insert into prediction_feedback (prediction_id, model_id, version, label)
        values (${row?.predictionId ?? ''}, ${labelledModel}, 1, ${JSON.stringify(label)}::jsonb)`;
    const read = await readLoggedColumns(database.sql, {
      modelId: labelledModel,
      from: at(0),
      to: at(60),
      signature,
      labelled: true,
    });
    expect(read.rows).toBe(2);
    const order = Array.from(read.latencyMs.keys()).sort(
      (a, b) => (read.latencyMs[a] ?? 0) - (read.latencyMs[b] ?? 0),
    );
    const pick = <T>(values: ArrayLike<T>) => order.map((index) => values[index]);
    expect(pick(valuesOf(read, 'age'))).toEqual([30, 50]);
    expect(read.predictions.task === 'classification' && pick(read.predictions.labels)).toEqual([
      'yes',
      'yes',
    ]);
    expect(read.truth.task === 'classification' && pick(read.truth.labels)).toEqual(['no', 'yes']);
  });

  it('reads the predicted values of a regression model', async () => {
    const priceModel = await addModel('price');
    await addVersion(priceModel, 1, [{ name: 'rooms', type: 'number', nullable: false }], 'regression');
    await insertPredictionLog(database.sql, [
      { ...logRow(priceModel, 1, 5, [3], null), outputs: { value: 250_000.5 } },
      { ...logRow(priceModel, 1, 6, [4], null), outputs: { value: -0.25 } },
    ]);
    const read = await readLoggedColumns(database.sql, {
      modelId: priceModel,
      from: at(0),
      to: at(60),
      signature: { inputs: [{ name: 'rooms', type: 'number' }], task: 'regression' },
      parts: 1,
    });
    expect(read.rows).toBe(2);
    expect(read.predictions.task).toBe('regression');
    if (read.predictions.task === 'regression')
      expect(Array.from(read.predictions.values).sort((a, b) => a - b)).toEqual([-0.25, 250_000.5]);
    expect(valuesOf(read, 'rooms').sort()).toEqual([3, 4]);
  });

  it('refuses a model id that is not a UUID and a window that ends before it starts', async () => {
    await expect(
      readLoggedColumns(database.sql, { modelId: "x' or true --", from: at(0), to: at(1), signature }),
    ).rejects.toThrow('The model id must be a UUID');
    await expect(
      readLoggedColumns(database.sql, { modelId, from: at(0), to: at(1), signature, parts: 0 }),
    ).rejects.toThrow('The parts must be a whole number from 1 to 8');
    await expect(
      readLoggedColumns(database.sql, { modelId, from: at(2), to: at(1), signature }),
    ).rejects.toThrow('its start not after its end');
  });

  it('leaves no setting behind on the connection after reading', async () => {
    await readLoggedColumns(database.sql, { modelId, from: at(0), to: at(60), signature });
    const [row] = await database.sql<{ model: string | null }[]>`
      select current_setting('pipewright.log_model', true) as model`;
    expect(row?.model ?? '').toBe('');
  });
});
