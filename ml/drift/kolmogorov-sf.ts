import { clampProbability } from './clamp-probability';
import { durbinMatrixCdf } from './durbin-matrix';
import { pelzGoodCdf } from './pelz-good';
import { pomeranzCdf } from './pomeranz';
import { kolmogorovLowerEndCdf, kolmogorovUpperEndSf } from './ruben-gambino';
import { smirnovSf } from './smirnov';

/**
 * The survival function of the two-sided one-sample Kolmogorov–Smirnov statistic, P(D_n > x):
 * scipy.stats.kstwo.sf(x, n). The method for each (n, x) is Simard & L'Ecuyer's (2011), as scipy's
 * _kolmogn(n, x, cdf=False) chooses it:
 * - the ends (x <= 1/n, x >= 1 − 1/n): Ruben & Gambino's closed forms;
 * - x >= 0.5: exactly twice the one-sided Smirnov tail (the two tails cannot both be crossed);
 * - n <= 140: Durbin's matrix (n·x² <= 0.754693), Pomeranz's recursion (<= 4), else 2·smirnov;
 * - n > 140: 0 from n·x² >= 370, 2·smirnov from 2.2, and below that 1 − CDF, the CDF by Durbin's
 *   matrix when n <= 100,000 and n·x^1.5 <= 1.4, else by Pelz & Good's approximation.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) return Number.NaN;
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) return clampProbability(1 - kolmogorovLowerEndCdf(n, x));
  if (t >= n - 1) return clampProbability(kolmogorovUpperEndSf(n, x));
  if (x >= 0.5) return clampProbability(2 * smirnovSf(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clampProbability(1 - durbinMatrixCdf(n, x));
    if (nxSquared <= 4) return clampProbability(1 - pomeranzCdf(n, x));
    return clampProbability(2 * smirnovSf(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clampProbability(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinMatrixCdf(n, x) : pelzGoodCdf(n, x);
  return clampProbability(1 - cdf);
}
