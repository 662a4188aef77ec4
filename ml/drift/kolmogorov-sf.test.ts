import { describe, expect, it } from 'vitest';
import { durbinMatrixCdf } from './durbin-matrix';
import { kolmogorovSf } from './kolmogorov-sf';
import { pelzGoodCdf } from './pelz-good';
import { pomeranzCdf } from './pomeranz';
import { kolmogorovLowerEndCdf } from './ruben-gambino';
import { smirnovSf } from './smirnov';

// Expected values from scipy 1.17.1 (numpy 2.4.6) in a throwaway venv, not needed to run this test:
//   from scipy import stats, special
//   stats.kstwo.sf(x, n); stats.kstwo.cdf(x, n); special.smirnov(n, x)
// for each [n, x] below, printed with repr().

/** [n, x, scipy.stats.kstwo.sf(x, n), the branch of scipy's _kolmogn that computes it] */
const SURVIVAL: [number, number, number, string][] = [
  [10, 0.05, 1.0, 'n·x <= 1/2: certain'],
  [10, 0.08, 0.9999978058034054, 'Ruben-Gambino lower end, n <= 140'],
  [500, 0.0019, 1.0, 'Ruben-Gambino lower end through Stirling, n > 140'],
  [10, 0.95, 1.9531250000000172e-13, 'Ruben-Gambino upper end'],
  [10, 0.6, 0.0005681672000000003, 'x >= 0.5: 2·smirnov'],
  [1000, 0.7, 0.0, 'x >= 0.5: 2·smirnov, underflows'],
  [20, 0.15, 0.7044671549442872, 'n <= 140, small n·x²: Durbin matrix'],
  [140, 0.05, 0.8576480297656114, 'n <= 140, small n·x²: Durbin matrix'],
  [3, 0.4, 0.5946666666666665, 'n <= 140, n·x² <= 4: Pomeranz'],
  [20, 0.3, 0.04306706665851623, 'n <= 140, n·x² <= 4: Pomeranz'],
  [140, 0.12, 0.03252638258561632, 'n <= 140, n·x² <= 4: Pomeranz'],
  [100, 0.25, 5.408871776434847e-6, 'n <= 140, large n·x²: 2·smirnov'],
  [140, 0.2, 2.1981563302200222e-5, 'n <= 140, large n·x²: 2·smirnov'],
  [1000, 0.01, 0.9999496745370611, 'n > 140, n·x² < 2.2, n·x^1.5 <= 1.4: 1 − Durbin matrix'],
  [141, 0.1, 0.11128445516467944, 'n > 140, n·x² < 2.2: 1 − Pelz-Good'],
  [1000, 0.03, 0.3226902143914636, 'n > 140, n·x² < 2.2: 1 − Pelz-Good'],
  [25000, 0.005, 0.5578336507542061, 'n > 140, n·x² < 2.2: 1 − Pelz-Good (num_06 of drift-case)'],
  [90909, 0.004, 0.1087426132633087, 'n > 140, n·x² < 2.2: 1 − Pelz-Good'],
  [200000, 0.0001, 1.0, 'n > 100,000: Pelz-Good even for tiny x'],
  [1000, 0.05, 0.013012074781090332, 'n > 140, n·x² >= 2.2: 2·smirnov'],
  [5000, 0.02, 0.03613941395325637, 'n > 140, n·x² >= 2.2: 2·smirnov'],
  [90909, 0.006, 0.0028617062969556214, 'n > 140, n·x² >= 2.2: 2·smirnov (1M vs 100k rows)'],
  [2000000, 0.002, 2.247704493692889e-7, 'n > 1,000,000: smirnov asymptotic form'],
  [25000, 0.2134, 0.0, 'n·x² >= 370: 0 (the shifted column of drift-case)'],
];

describe('kolmogorovSf (scipy.stats.kstwo.sf)', () => {
  it.each(SURVIVAL)('n = %d, x = %s → %s (%s)', (n, x, expected) => {
    // Absolute 1e-12 for every branch, and relative 1e-9 so that small p-values are held too.
    const value = kolmogorovSf(n, x);
    expect(Math.abs(value - expected)).toBeLessThan(1e-12);
    if (expected > 0) expect(Math.abs(value - expected) / expected).toBeLessThan(1e-9);
  });

  it('is 1 at and below 0, 0 at and above 1, and NaN for a sample size that is not a positive integer', () => {
    expect(kolmogorovSf(10, 0)).toBe(1);
    expect(kolmogorovSf(10, -0.5)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
    expect(kolmogorovSf(0, 0.3)).toBeNaN();
    expect(kolmogorovSf(2.5, 0.3)).toBeNaN();
    expect(kolmogorovSf(10, Number.NaN)).toBeNaN();
  });

  it('decreases in x across the branch boundaries for n = 1000', () => {
    let previous = 1;
    for (let x = 0.0005; x < 1; x += 0.0005) {
      const value = kolmogorovSf(1000, x);
      expect(value).toBeLessThanOrEqual(previous + 1e-12);
      previous = value;
    }
  });
});

describe('the CDF algorithms behind it, each against scipy.stats.kstwo.cdf(x, n) in its own range', () => {
  const relative = (value: number, expected: number) => Math.abs(value - expected) / expected;

  it.each([
    [10, 0.08, 2.194196594688005e-6],
    [500, 0.0019, 5.280330263798665e-239],
  ])('Ruben-Gambino lower end: n = %d, x = %s', (n, x, expected) => {
    expect(relative(kolmogorovLowerEndCdf(n, x), expected)).toBeLessThan(1e-12);
  });

  it.each([
    [20, 0.15, 0.29553284505571276],
    [140, 0.05, 0.14235197023438867],
    [1000, 0.01, 5.032546293896392e-5],
    [500, 0.004, 5.6815294900907636e-58],
    [50000, 0.0003, 1.089629924280921e-115],
    [100000, 0.00028, 8.01099669182154e-67],
  ])('Durbin matrix: n = %d, x = %s', (n, x, expected) => {
    expect(relative(durbinMatrixCdf(n, x), expected)).toBeLessThan(1e-11);
  });

  it.each([
    [7, 0.33, 0.6478673490121949],
    [10, 0.25, 0.5158884674999997],
    [20, 0.3, 0.9569329333414838],
    [50, 0.2, 0.9685612222304676],
    [140, 0.12, 0.9674736174143836],
  ])('Pomeranz: n = %d, x = %s', (n, x, expected) => {
    expect(relative(pomeranzCdf(n, x), expected)).toBeLessThan(1e-13);
  });

  it.each([
    [1000, 0.03, 0.6773097856085364],
    [5000, 0.015, 0.791538579038138],
    [25000, 0.005, 0.44216634924579384],
    [90909, 0.004, 0.8912573867366913],
    [200000, 0.002, 0.600049146309619],
    [200000, 0.0001, 1.7207165351812184e-264],
  ])('Pelz-Good: n = %d, x = %s', (n, x, expected) => {
    expect(relative(pelzGoodCdf(n, x), expected)).toBeLessThan(1e-13);
  });
});

describe('smirnovSf (scipy.special.smirnov)', () => {
  it.each([
    [5, 0.1, 0.85359],
    [7, 0.9, 9.999999999999985e-8],
    [10, 0.3, 0.1354635556],
    [100, 0.1, 0.1265906584562817],
    [1000, 0.05, 0.006506037390545166],
    [90909, 0.006, 0.0014308531484778107],
    [2000000, 0.001, 0.018303432023617325],
  ])('n = %d, x = %s', (n, x, expected) => {
    // Plain doubles in log space, where xsf sums in double-double: 1e-9 relative is what is promised.
    expect(Math.abs(smirnovSf(n, x) - expected) / expected).toBeLessThan(1e-9);
  });

  it('has the closed forms at its ends: 1 − x for n = 1, (1 − x)^n near 1, 1 − x(1 + x)^(n−1) below 1/n', () => {
    expect(smirnovSf(1, 0.3)).toBeCloseTo(0.7, 15);
    expect(smirnovSf(10, 0.95)).toBeCloseTo(0.05 ** 10, 25);
    expect(smirnovSf(10, 0.05)).toBeCloseTo(1 - 0.05 * 1.05 ** 9, 15);
    expect(smirnovSf(10, 0)).toBe(1);
    expect(smirnovSf(10, 1)).toBe(0);
    expect(smirnovSf(10, 1.5)).toBeNaN();
  });
});
