import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeHarness } from '../../tests/support/node-harness';
import { csvDataset, readDataset } from '../../tests/support/test-dataset';
import { Duck } from '../_data/duck';
import type { ArtifactRef } from '../_kit/artifact-ref';
import { nodeRuns } from '../runs';

const harness = new NodeHarness();
let breastCancer: ArtifactRef;

beforeAll(async () => {
  const ingested = await harness.run(nodeRuns.ingest, { source: 'sample', sample: 'breast_cancer' });
  if (!ingested.outputs.data) throw new Error('no data');
  breastCancer = ingested.outputs.data;
});
afterAll(() => harness.cleanup());

async function query(ref: ArtifactRef | undefined, sql: string) {
  const duck = await Duck.open();
  try {
    return await duck.all(sql.replace('DATA', 'read_parquet($1)'), [new URL(ref?.uri ?? '').pathname]);
  } finally {
    duck.close();
  }
}

describe('split', () => {
  it('stratifies by the target: each class keeps its share in the test part', async () => {
    const result = await harness.run(
      nodeRuns.split,
      { method: 'stratified', stratifyBy: 'target', testFraction: 0.2 },
      { data: breastCancer },
    );
    // 212 malignant (0) and 357 benign (1): round(42.4) + round(71.4) test rows.
    expect(result.summary).toEqual({ rows: 569, train: 456, validation: 0, test: 113 });
    const byClass = await query(
      result.outputs.data,
      'select target, _split, count(*)::integer as n from DATA group by all order by all',
    );
    expect(byClass).toEqual([
      { target: 0, _split: 'test', n: 42 },
      { target: 0, _split: 'train', n: 170 },
      { target: 1, _split: 'test', n: 71 },
      { target: 1, _split: 'train', n: 286 },
    ]);
  });

  it('gives the same split for the same seed, a different one for another seed, and keeps row order', async () => {
    const config = { method: 'random', testFraction: 0.25, validationFraction: 0.1, seed: 7 };
    const first = await harness.run(nodeRuns.split, config, { data: breastCancer });
    const again = await harness.run(nodeRuns.split, config, { data: breastCancer });
    const other = await harness.run(nodeRuns.split, { ...config, seed: 8 }, { data: breastCancer });
    expect(first.summary).toEqual({ rows: 569, train: 370, validation: 57, test: 142 });
    const labels = async (ref: ArtifactRef | undefined) =>
      (await query(ref, 'select _split from DATA')).map((row) => row._split).join();
    expect(await labels(again.outputs.data)).toBe(await labels(first.outputs.data));
    expect(await labels(other.outputs.data)).not.toBe(await labels(first.outputs.data));
    const original = await query(breastCancer, 'select mean_radius as r from DATA limit 5');
    expect(await query(first.outputs.data, 'select mean_radius as r from DATA limit 5')).toEqual(original);
  });

  it('puts the latest rows in the test part for a time split', async () => {
    const result = await harness.run(
      nodeRuns.split,
      { method: 'time', timeColumn: 'mean_radius', testFraction: 0.1 },
      { data: breastCancer },
    );
    const [bounds] = await query(
      result.outputs.data,
      `select max(mean_radius) filter (where _split = 'train') as train_max, min(mean_radius) filter (where _split = 'test') as test_min from DATA`,
    );
    expect(Number(bounds?.train_max)).toBeLessThanOrEqual(Number(bounds?.test_min));
    expect(result.summary?.test).toBe(57);
  });

  it('names a missing column and refuses to split twice', async () => {
    await expect(
      harness.run(nodeRuns.split, { method: 'stratified', stratifyBy: 'label' }, { data: breastCancer }),
    ).rejects.toThrow(/^Column "label" is not in the data \(columns: mean_radius, /);
    const once = await harness.run(nodeRuns.split, { method: 'random' }, { data: breastCancer });
    await expect(
      harness.run(nodeRuns.split, { method: 'random' }, { data: once.outputs.data ?? breastCancer }),
    ).rejects.toThrow('The data already has a "_split" column');
  });

  it("splits data that has a column named like DuckDB's row number, the same way", async () => {
    const csv = (header: string) =>
      `${header},y\n${Array.from({ length: 10 }, (_, row) => `${row},${row % 2}`).join('\n')}\n`;
    const config = { method: 'random', testFraction: 0.3, seed: 7 } as const;
    const plain = await harness.run(nodeRuns.split, config, {
      data: await csvDataset(harness, 'rn-a', csv('n')),
    });
    const named = await harness.run(nodeRuns.split, config, {
      data: await csvDataset(harness, 'rn-b', csv('file_row_number')),
    });
    const parts = async (ref: ArtifactRef | undefined) =>
      (await readDataset(ref)).rows.map((row) => row._split);
    expect(await parts(named.outputs.data)).toEqual(await parts(plain.outputs.data));
    expect((await parts(named.outputs.data)).filter((part) => part === 'test')).toHaveLength(3);
    expect((await readDataset(named.outputs.data)).rows[4]).toMatchObject({ file_row_number: 4, y: 0 });
  });
});
