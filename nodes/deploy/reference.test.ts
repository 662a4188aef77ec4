import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetInput } from '../_data/dataset-input';
import { Duck } from '../_data/duck';
import { describeRelation } from '../_data/profile';
import { REFERENCE_ROWS, referenceOf } from './reference';

const folder = mkdtempSync(path.join(os.tmpdir(), 'pipewright-reference-'));
let duck: Duck;
let dataset: DatasetInput;

beforeAll(async () => {
  duck = await Duck.open();
  const file = path.join(folder, 'split.parquet');
  // 12,000 training rows and 3,000 test rows; n = 0..11999 on training rows (every 10th missing),
  // city cycles Oslo, Oslo, Lima, null; test rows hold n = -1 and city Rome, which must not count.
  await duck.exec(`copy (
    select case when i % 10 = 9 then null else i end::double as n,
      i % 2 = 0 as flag,
      case i % 4 when 0 then 'Oslo' when 1 then 'Oslo' when 2 then 'Lima' else null end as city,
      'train' as _split
    from range(12000) t(i)
    union all
    select -1.0, false, 'Rome', 'test' from range(3000)
  ) to '${file}' (format parquet)`);
  dataset = { file, columns: await describeRelation(duck, 'read_parquet($1)', [file]) };
});

afterAll(() => {
  duck.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('referenceOf', () => {
  it('measures deciles, frequencies and missing rates over every training row, and samples 10,000 of them the same way each time', async () => {
    const inputs = [
      { name: 'n', type: 'number' as const },
      { name: 'flag', type: 'boolean' as const },
      { name: 'city', type: 'string' as const },
    ];
    const first = await referenceOf(duck, dataset, inputs);
    expect(first.reference.n).toMatchObject({ kind: 'number', missingRate: 0.1 });
    const n = first.reference.n;
    if (n?.kind !== 'number') throw new Error('n is not a number');
    expect(n.deciles).toHaveLength(9);
    // The median of 0..11999 without every 10th value is close to 6000; test rows (−1) stay out.
    expect(n.deciles[4]).toBeGreaterThan(5900);
    expect(n.deciles[4]).toBeLessThan(6100);
    expect(first.reference.city).toEqual({
      kind: 'category',
      frequencies: { Oslo: 0.5, Lima: 0.25 },
      missingRate: 0.25,
    });
    expect(first.reference.flag).toEqual({
      kind: 'category',
      frequencies: { false: 0.5, true: 0.5 },
      missingRate: 0,
    });
    expect(first.missingRates).toEqual(
      new Map([
        ['n', 0.1],
        ['flag', 0],
        ['city', 0.25],
      ]),
    );
    expect(first.sample.columns).toEqual(['n', 'flag', 'city']);
    expect(first.sample.rows).toHaveLength(REFERENCE_ROWS);
    expect(first.sample.rows.some((row) => row[2] === 'Rome')).toBe(false);
    expect(first.sample.rows.some((row) => typeof row[1] === 'boolean')).toBe(true);
    const again = await referenceOf(duck, dataset, inputs);
    expect(again.sample).toEqual(first.sample);
  });
});
