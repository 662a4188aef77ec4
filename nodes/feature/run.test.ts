import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHarness } from '../../tests/support/node-harness';
import { csvDataset, readDataset } from '../../tests/support/test-dataset';
import type { ArtifactRef } from '../_kit/artifact-ref';
import { nodeRuns } from '../runs';

const harness = new NodeHarness();
afterAll(() => harness.cleanup());

async function feature(data: ArtifactRef, config: Record<string, unknown>) {
  const result = await harness.run(nodeRuns.feature, config, { data });
  return { ...result, ...(await readDataset(result.outputs.data)) };
}

describe('feature', () => {
  it('standardizes and min-max scales with statistics from the training rows only', async () => {
    const data = await csvDataset(
      harness,
      'scale',
      'a,b,_split\n1,10,train\n3,20,train\n5,30,train\n100,0,test\n',
    );
    const result = await feature(data, {
      operations: [
        { op: 'standardize', columns: ['a'] },
        { op: 'min_max', columns: ['b'] },
      ],
    });
    const std = Math.sqrt(8 / 3);
    expect(result.rows.map((row) => [row.a, row.b])).toEqual([
      [-2 / std, 0],
      [0, 0.5],
      [2 / std, 1],
      [97 / std, -0.5],
    ]);
    expect(result.spec.steps.slice(0, 2)).toEqual([
      { op: 'standardize', column: 'a', mean: 3, std },
      { op: 'min_max', column: 'b', min: 10, max: 30 },
    ]);
  });

  it('one-hot encodes the top-k categories plus other, and ordinal-encodes with -1 for unseen values', async () => {
    const data = await csvDataset(
      harness,
      'encode',
      'colour,size,_split\nred,s,train\nred,m,train\nblue,s,train\ngreen,l,train\npink,xl,test\n',
    );
    const result = await feature(data, {
      operations: [
        { op: 'one_hot', columns: ['colour'], topK: 2 },
        { op: 'ordinal', columns: ['size'] },
      ],
    });
    expect(result.rows).toEqual([
      { size: 2, 'colour=red': 1, 'colour=blue': 0, 'colour=other': 0, _split: 'train' },
      { size: 1, 'colour=red': 1, 'colour=blue': 0, 'colour=other': 0, _split: 'train' },
      { size: 2, 'colour=red': 0, 'colour=blue': 1, 'colour=other': 0, _split: 'train' },
      { size: 0, 'colour=red': 0, 'colour=blue': 0, 'colour=other': 1, _split: 'train' },
      { size: -1, 'colour=red': 0, 'colour=blue': 0, 'colour=other': 1, _split: 'test' },
    ]);
    expect(result.spec.steps.slice(0, 2)).toEqual([
      { op: 'one_hot', column: 'colour', categories: ['red', 'blue'], other: true },
      { op: 'ordinal', column: 'size', categories: ['l', 'm', 's'] },
    ]);
  });

  it('takes logs and square roots, bins, derives columns from an expression and extracts date parts', async () => {
    const data = await csvDataset(
      harness,
      'shape',
      'x,y,day\n0,4,2026-01-05 10:30:00\n3,9,2026-03-15 08:00:00\n15,16,2026-12-31 23:59:00\n',
    );
    const result = await feature(data, {
      operations: [
        { op: 'derive', name: 'ratio', expression: 'y / (x + 1)' },
        { op: 'log', columns: ['x'] },
        { op: 'sqrt', columns: ['y'] },
        { op: 'bin', column: 'ratio', bins: 2, method: 'width' },
        { op: 'date_parts', column: 'day', parts: ['month', 'weekday'] },
      ],
      features: ['x', 'y', 'ratio', 'day_month', 'day_weekday'],
    });
    expect(result.rows).toEqual([
      { x: 0, y: 2, ratio: 1, day_month: 1, day_weekday: 1 },
      { x: Math.log(4), y: 3, ratio: 0, day_month: 3, day_weekday: 7 },
      { x: Math.log(16), y: 4, ratio: 0, day_month: 12, day_weekday: 4 },
    ]);
    expect(result.spec.steps.find((step) => step.op === 'bin')).toEqual({
      op: 'bin',
      column: 'ratio',
      edges: [2.5],
    });
    expect(result.spec.steps.at(-1)).toEqual({
      op: 'select',
      features: ['x', 'y', 'ratio', 'day_month', 'day_weekday'],
    });
  });

  it('chooses features by type, keeps the target, and names bad input', async () => {
    const data = await csvDataset(harness, 'select', 'a,b,c,label\n1,2,x,yes\n3,4,y,no\n');
    const result = await feature(data, { features: { byType: 'numeric' }, target: 'label' });
    expect(result.rows).toEqual([
      { a: 1, b: 2, label: 'yes' },
      { a: 3, b: 4, label: 'no' },
    ]);
    await expect(feature(data, { target: 'outcome' })).rejects.toThrow(
      /^Column "outcome" is not in the data/,
    );
    await expect(feature(data, { operations: [{ op: 'standardize', columns: ['c'] }] })).rejects.toThrow(
      'standardize needs numeric columns; "c" is not numeric',
    );
    await expect(
      feature(data, { operations: [{ op: 'derive', name: 'd', expression: 'a +' }] }),
    ).rejects.toThrow(/^Expression "a \+": .* at position 4$/);
    const huge = await csvDataset(harness, 'huge', 'x\n1e200\n3e200\n');
    await expect(
      feature(huge, { operations: [{ op: 'standardize', columns: ['x'] }] }),
    ).rejects.toMatchObject({
      name: 'NodeInputError',
      message: 'Cannot standardize "x": STDDEV_POP is out of range!',
      details: { field: 'operations.0', column: 'x' },
    });
    const powers = await csvDataset(harness, 'powers', 'x,y\n1,0\n2,1\n');
    await expect(
      feature(powers, { operations: [{ op: 'derive', name: 'z', expression: 'x ^ 1000 ^ 1000' }] }),
    ).rejects.toMatchObject({
      name: 'NodeInputError',
      message:
        'Column "z" = x ^ 1000 ^ 1000 is Infinity on row 2 (x = 2): the result is too large for a number',
      details: { field: 'operations.0.expression', column: 'z', row: 2 },
    });
    await expect(
      feature(powers, { operations: [{ op: 'derive', name: 'z', expression: 'log(y)' }] }),
    ).rejects.toThrow('Column "z" = log(y) cannot be computed: cannot take logarithm of zero');
    const negative = await csvDataset(harness, 'negative', 'x\n1\n-2\n');
    await expect(feature(negative, { operations: [{ op: 'sqrt', columns: ['x'] }] })).rejects.toThrow(
      'sqrt of "x" needs values zero or more: value -2 on row 2',
    );
  });

  it('takes columns named like built-in object keys through ingest, clean and feature', async () => {
    const file = path.join(harness.dataDir, 'uploads', 'keys.csv');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      'constructor,__proto__,toString,hasOwnProperty,value\na,1,10,1,x\nb,,20,2,y\na,3,30,3,z\n',
    );
    const ingested = await harness.run(nodeRuns.ingest, {
      source: 'file',
      file: 'uploads/keys.csv',
      columnTypes: { constructor: 'categorical', hasOwnProperty: 'numeric' },
    });
    expect(ingested.artifacts[0]?.meta.schema).toEqual({
      columns: [
        { name: 'constructor', type: 'categorical', storage: 'VARCHAR' },
        { name: '__proto__', type: 'numeric', storage: 'BIGINT' },
        { name: 'toString', type: 'numeric', storage: 'BIGINT' },
        { name: 'hasOwnProperty', type: 'numeric', storage: 'DOUBLE' },
        { name: 'value', type: 'categorical', storage: 'VARCHAR' },
      ],
    });
    const cleaned = await harness.run(
      nodeRuns.clean,
      {
        operations: [
          { op: 'impute', columns: ['__proto__'], strategy: 'mean' },
          { op: 'rename', from: 'toString', to: 'valueOf' },
          { op: 'filter', condition: { column: 'hasOwnProperty', operator: '>=', value: 2 } },
        ],
      },
      { data: ingested.outputs.data ?? fail('no ingested data') },
    );
    const result = await feature(cleaned.outputs.data ?? fail('no cleaned data'), {
      operations: [
        { op: 'one_hot', columns: ['constructor'], topK: 5 },
        { op: 'derive', name: 'isPrototypeOf', expression: 'col("__proto__") * valueOf' },
      ],
      features: ['__proto__', 'valueOf', 'constructor=a', 'constructor=b', 'isPrototypeOf'],
      target: 'value',
    });
    // A literal `{ __proto__: 2 }` would set the prototype: the expected rows are built from entries.
    const row = (values: (string | number)[]) =>
      Object.fromEntries(
        ['__proto__', 'valueOf', 'constructor=a', 'constructor=b', 'isPrototypeOf', 'value'].map(
          (name, index) => [name, values[index]],
        ),
      );
    expect(result.rows).toEqual([row([2, 20, 0, 1, 40, 'y']), row([3, 30, 1, 0, 90, 'z'])]);
    expect(result.rows.every((row) => Object.hasOwn(row, '__proto__'))).toBe(true);
    await expect(
      feature(cleaned.outputs.data ?? fail('no cleaned data'), {
        operations: [{ op: 'derive', name: 'd', expression: 'constructor(valueOf)' }],
      }),
    ).rejects.toThrow(/^Expression "constructor\(valueOf\)": unknown function constructor\(\)/);
    expect(result.spec.steps).toContainEqual({
      op: 'impute',
      column: '__proto__',
      strategy: 'mean',
      value: 2,
    });
    expect(result.spec.steps).toContainEqual({
      op: 'one_hot',
      column: 'constructor',
      categories: ['a', 'b'],
      other: false,
    });
  });
});

function fail(message: string): never {
  throw new Error(message);
}
