import { describe, expect, it } from 'vitest';
import { pairImportances } from './importance-pairs';

describe('pairImportances', () => {
  it('pairs by feature and sorts by the larger of the two, so a feature one version ignores still shows', () => {
    const { pairs, features } = pairImportances(
      [
        { feature: 'tenure', importance: 0.5 },
        { feature: 'plan_pro', importance: 0.3 },
        { feature: 'age', importance: 0.2 },
      ],
      [
        { feature: 'tenure', importance: 0.2 },
        { feature: 'charges', importance: 0.6 },
        { feature: 'plan_pro', importance: 0.2 },
      ],
    );
    expect(features).toBe(4);
    expect(pairs).toEqual([
      { feature: 'charges', a: null, b: 0.6 },
      { feature: 'tenure', a: 0.5, b: 0.2 },
      { feature: 'plan_pro', a: 0.3, b: 0.2 },
      { feature: 'age', a: 0.2, b: null },
    ]);
  });

  it('cuts to the top ones and breaks ties by name', () => {
    const same = ['c', 'a', 'b'].map((feature) => ({ feature, importance: 0.1 }));
    const { pairs, features } = pairImportances(same, [], 2);
    expect(features).toBe(3);
    expect(pairs.map((pair) => pair.feature)).toEqual(['a', 'b']);
  });

  it('gives nothing when neither version recorded importances', () => {
    expect(pairImportances([], [])).toEqual({ pairs: [], features: 0 });
  });
});
