import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { growTree } from './cart';
import { featureRanks } from './feature-ranks';
import { ClassImpurity, type NodeImpurity, ValueImpurity } from './impurity';
import { SplitSearch } from './split-search';

/** Random data with many repeated values, so ties and empty ranks occur. */
function randomData(rows: number, cols: number, classes: number, seed: number) {
  const random = seededRandom(seed);
  const values = Float64Array.from({ length: rows * cols }, (_, i) =>
    // Feature 0 has few distinct values, the others many.
    i % cols === 0 ? Math.floor(random() * 4) : Math.floor(random() * 60) / 2,
  );
  const y = Float64Array.from({ length: rows }, () =>
    classes > 0 ? Math.floor(random() * classes) : random() * 10,
  );
  return { x: { values, rows, cols }, y };
}

/** The best weighted impurity decrease over every threshold, by brute force. */
function bruteForceGain(
  x: { values: Float64Array; cols: number },
  rows: number[],
  impurity: NodeImpurity,
  minLeaf: number,
): number {
  const all = Int32Array.from(rows);
  impurity.setNode(all, 0, all.length);
  const parent = impurity.impurity() * impurity.weight();
  let best = Number.NEGATIVE_INFINITY;
  for (let f = 0; f < x.cols; f++) {
    const values = [...new Set(rows.map((r) => x.values[r * x.cols + f] ?? 0))].sort((a, b) => a - b);
    for (const cut of values.slice(0, -1)) {
      const left = rows.filter((r) => (x.values[r * x.cols + f] ?? 0) <= cut);
      if (left.length < minLeaf || rows.length - left.length < minLeaf) continue;
      impurity.resetSweep();
      for (const r of left) impurity.addAt(rows.indexOf(r));
      best = Math.max(best, parent - impurity.childrenImpurity());
    }
  }
  return best;
}

describe('split search', () => {
  for (const [name, classes] of [
    ['gini', 3],
    ['squared error', 0],
  ] as const) {
    it(`finds the brute-force best cut by counting and by sorting (${name})`, () => {
      for (let seed = 1; seed <= 10; seed++) {
        const { x, y } = randomData(300, 3, classes, seed);
        const ranked = featureRanks(x);
        const impurity =
          classes > 0
            ? new ClassImpurity(classes, false, y, undefined, 300)
            : new ValueImpurity(y, undefined, 300);
        const search = new SplitSearch(ranked, impurity, { minSamplesLeaf: 3 });
        // All 300 rows: every feature is counted. 25 rows: the 60-valued features are sorted, with ties.
        for (const count of [300, 25]) {
          const rows = Int32Array.from({ length: count }, (_, i) => i);
          impurity.setNode(rows, 0, count);
          const split = search.find(rows, 0, count);
          expect(split?.gain).toBeCloseTo(bruteForceGain(x, Array.from(rows), impurity, 3), 9);
        }
      }
    });
  }

  it('skips a feature that is constant in the node and draws another', () => {
    const x = { values: Float64Array.from([1, 0, 1, 1, 1, 2, 1, 3]), rows: 4, cols: 2 };
    const y = [0, 0, 1, 1];
    const ranked = featureRanks(x);
    const impurity = new ClassImpurity(2, false, y, undefined, 4);
    const rows = Int32Array.from([0, 1, 2, 3]);
    impurity.setNode(rows, 0, 4);
    // One feature per node; whichever is drawn first, the constant one is passed over.
    for (let seed = 0; seed < 5; seed++) {
      const search = new SplitSearch(ranked, impurity, {
        minSamplesLeaf: 1,
        maxFeatures: 1,
        random: seededRandom(seed),
      });
      expect(search.find(rows, 0, 4)).toMatchObject({ feature: 1, threshold: 1.5 });
    }
  });

  it('treats a bootstrap count as that many copies of the row', () => {
    const { x, y } = randomData(60, 3, 2, 9);
    const random = seededRandom(3);
    const counts = Float64Array.from({ length: 60 }, () => Math.floor(random() * 3));
    const copies = Array.from(counts).flatMap((count, row) => Array<number>(count).fill(row));
    const copied = {
      values: Float64Array.from(copies.flatMap((row) => Array.from(x.values.subarray(row * 3, row * 3 + 3)))),
      rows: copies.length,
      cols: 3,
    };
    const options = { classes: 2, criterion: 'gini' as const, maxDepth: 4 };
    const weighted = growTree(featureRanks(x), y, counts, options);
    const expanded = growTree(
      featureRanks(copied),
      copies.map((row) => y[row] ?? 0),
      undefined,
      options,
    );
    expect(Array.from(weighted.threshold)).toEqual(Array.from(expanded.threshold));
    expect(Array.from(weighted.value)).toEqual(Array.from(expanded.value));
  });
});
