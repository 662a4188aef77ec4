import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { categoricalFeatureDrift } from './categorical-drift';
import { numericFeatureDrift } from './numeric-drift';
import { prepareNumericReference } from './numeric-reference';

// The reference drift case of issue 16: tests/fixtures/drift/drift-case.csv and .json are copies of
// ../shared/reference/drift-case.csv (byte for byte) and drift-case.json (same content, laid out by
// Biome so that `biome check .` passes), so the suite runs wherever the project is cloned. The JSON's
// figures come from numpy and scipy 1.17.1; its "how" says how each is made.
const fixtures = path.resolve(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'drift');

const countsSchema = z.array(z.number().int());
const caseSchema = z.object({
  shift_feature: z.literal('num_05'),
  shift_amount: z.number(),
  psi_eps_floor: z.number(),
  shifted: z.object({
    psi_quantile10: z.number(),
    ks_statistic: z.number(),
    ks_pvalue: z.number(),
    quantile10_inner_edges: z.array(z.number()),
    quantile10_ref_counts: countsSchema,
    quantile10_cur_counts: countsSchema,
  }),
  controls: z.object({
    'num_05 before the shift': z.object({
      psi_quantile10: z.number(),
      ks_statistic: z.number(),
      ks_pvalue: z.number(),
    }),
    num_06: z.object({ psi_quantile10: z.number(), ks_statistic: z.number(), ks_pvalue: z.number() }),
    cat_a: z.object({
      psi_categorical: z.number(),
      categories: z.array(z.string()),
      ref_counts: countsSchema,
      cur_counts: countsSchema,
    }),
  }),
});

const figures = caseSchema.parse(JSON.parse(readFileSync(path.join(fixtures, 'drift-case.json'), 'utf8')));

/** The CSV's columns split by its `half` column (reference first, current after), empty cells missing. */
function loadCase() {
  const [header = '', ...lines] = readFileSync(path.join(fixtures, 'drift-case.csv'), 'utf8')
    .trim()
    .split('\n');
  const names = header.split(',');
  const at = (name: string) => names.indexOf(name);
  const rows = lines.map((line) => line.split(','));
  const half = (which: string) => rows.filter((row) => row[at('half')] === which);
  const numbers = (which: string, name: string) =>
    Float64Array.from(half(which), (row) => (row[at(name)] === '' ? Number.NaN : Number(row[at(name)])));
  const texts = (which: string, name: string) =>
    half(which).map((row) => (row[at(name)] === '' ? null : (row[at(name)] ?? null)));
  return { numbers, texts };
}

const data = loadCase();

describe('the reference drift case (../shared/reference/drift-case.json)', () => {
  it('reads 50,000 reference and 50,000 current rows', () => {
    expect(data.numbers('reference', 'num_05')).toHaveLength(50_000);
    expect(data.numbers('current', 'num_05')).toHaveLength(50_000);
  });

  it('reproduces the shifted column: PSI 0.2543, KS D 0.2134 with p = 0, the decile edges and both counts', () => {
    const current = data.numbers('current', 'num_05').map((value) => value + figures.shift_amount);
    const drift = numericFeatureDrift(prepareNumericReference(data.numbers('reference', 'num_05')), current);
    const expected = figures.shifted;
    expect(drift.psi).toBeCloseTo(0.2543, 4);
    expect(drift.psi).toBeCloseTo(expected.psi_quantile10, 12);
    expect(drift.ks?.statistic).toBeCloseTo(0.2134, 4);
    expect(drift.ks?.statistic).toBe(expected.ks_statistic); // the same double as scipy's
    expect(drift.ks?.pValue).toBe(0);
    expect(drift.ks?.pValue).toBe(expected.ks_pvalue);
    expect(drift.ks?.effectiveSize).toBe(25_000);
    // numpy.quantile's 'linear' deciles, bit for bit.
    expect(drift.bins?.innerEdges).toEqual(expected.quantile10_inner_edges);
    expect(drift.bins?.referenceCounts).toEqual(expected.quantile10_ref_counts);
    expect(drift.bins?.currentCounts).toEqual(expected.quantile10_cur_counts);
    expect(drift.state).toBe('alert');
    // Not in the JSON: scipy.stats.wasserstein_distance(ref, cur) and
    // scipy.spatial.distance.jensenshannon(ref_counts, cur_counts, base=2) on the same data (scipy 1.17.1).
    expect(drift.wasserstein).toBeCloseTo(1.7742303748092514, 10);
    expect(drift.jensenShannon).toBeCloseTo(0.21193678198083232, 12);
    expect(drift.missing).toEqual({ reference: 0, current: 0, change: 0 });
  });

  it('finds no drift in num_05 before the shift: PSI, KS D and p = 0.4870 as scipy', () => {
    const drift = numericFeatureDrift(
      prepareNumericReference(data.numbers('reference', 'num_05')),
      data.numbers('current', 'num_05'),
    );
    const expected = figures.controls['num_05 before the shift'];
    expect(drift.psi).toBeCloseTo(expected.psi_quantile10, 12);
    expect(drift.ks?.statistic).toBe(expected.ks_statistic);
    expect(drift.ks?.pValue).toBeCloseTo(0.487, 3);
    expect(drift.ks?.pValue).toBeCloseTo(expected.ks_pvalue, 12);
    expect(drift.state).toBe('ok');
    expect(drift.wasserstein).toBeCloseTo(0.029025628120000056, 12);
    expect(drift.jensenShannon).toBeCloseTo(0.005259601748578555, 12);
  });

  it('finds no drift in num_06: PSI, KS D 0.0050 and p = 0.5578 as scipy', () => {
    const drift = numericFeatureDrift(
      prepareNumericReference(data.numbers('reference', 'num_06')),
      data.numbers('current', 'num_06'),
    );
    const expected = figures.controls.num_06;
    expect(drift.psi).toBeCloseTo(expected.psi_quantile10, 12);
    expect(drift.ks?.statistic).toBeCloseTo(0.005, 4);
    expect(drift.ks?.statistic).toBe(expected.ks_statistic);
    expect(drift.ks?.pValue).toBeCloseTo(0.5578, 4);
    expect(drift.ks?.pValue).toBeCloseTo(expected.ks_pvalue, 12);
    expect(drift.state).toBe('ok');
    expect(drift.wasserstein).toBeCloseTo(0.01475477158000001, 12);
    expect(drift.jensenShannon).toBeCloseTo(0.008704253235605173, 12);
  });

  it('finds no drift in cat_a: categorical PSI and the counts per category as the JSON', () => {
    const drift = categoricalFeatureDrift(data.texts('reference', 'cat_a'), data.texts('current', 'cat_a'));
    const expected = figures.controls.cat_a;
    expect(drift.psi).toBeCloseTo(expected.psi_categorical, 15);
    expect(drift.categories).toEqual(expected.categories);
    expect(drift.referenceCounts).toEqual(expected.ref_counts);
    expect(drift.currentCounts).toEqual(expected.cur_counts);
    expect(drift.state).toBe('ok');
    // Not in the JSON: scipy.stats.chi2_contingency([ref_counts, cur_counts], correction=False) and
    // jensenshannon(ref_counts, cur_counts, base=2) (scipy 1.17.1).
    expect(drift.chiSquare?.statistic).toBeCloseTo(1.796, 10);
    expect(drift.chiSquare?.degreesOfFreedom).toBe(4);
    expect(drift.chiSquare?.pValue).toBeCloseTo(0.7732140969838678, 12);
    expect(drift.jensenShannon).toBeCloseTo(0.003599369432948111, 12);
  });
});
