import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { binOf, binRows, binThresholds, fitBins, MISSING_BIN, separatingMidpoint } from './binning';

const column = (values: number[]) => ({ values: Float64Array.from(values), rows: values.length, cols: 1 });

describe('binning', () => {
  it('cuts few distinct values at their midpoints and gives NaN the missing bin', () => {
    const x = column([3, 1, 2, 2, Number.NaN, 4]);
    const mapper = fitBins(x, null);
    expect(Array.from(mapper.thresholds[0] ?? [])).toEqual([1.5, 2.5, 3.5]);
    expect(Array.from(mapper.binCounts)).toEqual([4]);
    expect(Array.from(binRows(x, null, mapper))).toEqual([2, 0, 1, 1, MISSING_BIN, 3]);
    // Unseen values fall by the same cuts: below the lowest, between, above the highest.
    const unseen = column([-10, 1.5, 1.50001, 99, Number.POSITIVE_INFINITY]);
    expect(Array.from(binRows(unseen, null, mapper))).toEqual([0, 0, 1, 3, 3]);
  });

  it('gives a constant column one bin and an all-missing column none but the missing bin', () => {
    const x = { values: Float64Array.from([7, Number.NaN, 7, Number.NaN, 7, Number.NaN]), rows: 3, cols: 2 };
    const mapper = fitBins(x, null);
    expect(mapper.thresholds.map((cuts) => cuts.length)).toEqual([0, 0]);
    expect(Array.from(binRows(x, null, mapper))).toEqual([0, 0, 0, MISSING_BIN, MISSING_BIN, MISSING_BIN]);
  });

  it('takes quantile cuts when there are more distinct values than bins, as scikit-learn', () => {
    // scikit-learn: _find_binning_thresholds(np.arange(1, 101.), 4) = [25.5, 50.5, 75.5].
    const values = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(Array.from(binThresholds(values, 4))).toEqual([25.5, 50.5, 75.5]);
    // A quantile on a repeated value (scikit-learn's cut: 1) moves to the midpoint to the next value.
    expect(Array.from(binThresholds(Float64Array.from([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]), 2))).toEqual([1.5]);
  });

  it('keeps a cut between adjacent doubles representable: the lower value when the midpoint rounds up', () => {
    const low = 1 + 2 ** -52;
    const high = 1 + 2 ** -51;
    expect((low + high) / 2).toBe(high); // round-half-to-even lands on the upper value
    expect(separatingMidpoint(low, high)).toBe(low);
    expect(separatingMidpoint(1, 2)).toBe(1.5);
    expect(separatingMidpoint(-Number.MAX_VALUE, Number.MAX_VALUE)).toBe(0); // no overflow
    const cuts = binThresholds(Float64Array.from([low, high]));
    expect(Array.from(cuts)).toEqual([low]);
    expect(binOf(cuts, low)).toBe(0);
    expect(binOf(cuts, high)).toBe(1);
  });

  it('bins by the fast search exactly as by binary search, and cuts between training values', () => {
    const random = seededRandom(3);
    // 2,000 rows, values on a coarse grid (many ties, > 255 distinct), some NaN and infinities.
    const values = Array.from({ length: 2000 }, () => {
      const u = random();
      if (u < 0.03) return Number.NaN;
      if (u < 0.035) return Number.POSITIVE_INFINITY;
      if (u < 0.04) return Number.NEGATIVE_INFINITY;
      return Math.round((random() - 0.5) * 8000) / 10;
    });
    const x = column(values);
    const mapper = fitBins(x, null);
    const cuts = mapper.thresholds[0] ?? new Float64Array(0);
    expect(cuts.length).toBe(254);
    const codes = binRows(x, null, mapper);
    values.forEach((value, row) => {
      expect(codes[row]).toBe(binOf(cuts, value));
    });
    const distinct = [...new Set(values.filter((value) => !Number.isNaN(value)))].sort((a, b) => a - b);
    for (const cut of cuts) {
      const below = distinct.filter((value) => value <= cut).at(-1);
      const above = distinct.find((value) => value > cut);
      // Each cut lies between two neighbouring distinct values: at or above the lower one (which
      // falls in the bin below it), strictly below the upper one.
      expect(cut).toBeGreaterThanOrEqual(below ?? Number.POSITIVE_INFINITY);
      expect(cut).toBeLessThan(above ?? Number.NEGATIVE_INFINITY);
    }
  });

  it('takes quantiles from a seeded subsample of the rows when asked, deterministically', () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    const x = column(values);
    const a = fitBins(x, null, { subsample: 1000, random: seededRandom(1) });
    const b = fitBins(x, null, { subsample: 1000, random: seededRandom(1) });
    const c = fitBins(x, null, { subsample: 1000, random: seededRandom(2) });
    expect(Array.from(a.thresholds[0] ?? [])).toEqual(Array.from(b.thresholds[0] ?? []));
    expect(Array.from(a.thresholds[0] ?? [])).not.toEqual(Array.from(c.thresholds[0] ?? []));
    expect(a.binCounts[0]).toBe(255);
    // Only the listed rows count: rows 0..9 have values 0, 2919, 838, ... (ten distinct values).
    const some = fitBins(
      x,
      Int32Array.from({ length: 10 }, (_, i) => i),
    );
    expect(some.binCounts[0]).toBe(10);
  });
});
