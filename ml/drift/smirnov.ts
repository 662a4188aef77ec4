/** log(2^-1075): below this, e^(−2nx²) and with it the survival function underflow doubles. */
const MIN_LOG = -745.1332191019412;
/** Beyond this n, the sum takes too long and Smirnov's asymptotic form is used, as scipy does. */
const MAX_EXACT_N = 1_000_000;

/**
 * The one-sided Kolmogorov–Smirnov survival function P(D_n+ >= x), scipy.special.smirnov(n, x): by
 * the Birnbaum–Tingey sum
 *   x · Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (1 − x − j/n)^(n−j) (x + j/n)^(j−1),
 * every term formed in log space (so no power or binomial overflows) and the sum stopped once the
 * terms left cannot move it, as xsf's cephes kolmogorov.h does. Its double-double arithmetic is not
 * reproduced: plain doubles keep about 1e-11 relative accuracy here, far inside what a p-value needs.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  if (nx <= 1) return 1 - x * (1 + x) ** (n - 1); // x <= 1/n: a closed form
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nx >= n - 1) return (1 - x) ** n; // x >= 1 − 1/n
  if (n > MAX_EXACT_N) return Math.exp(-((6 * nx + 1) ** 2) / 18 / n);
  return x * birnbaumTingeySum(n, x);
}

/** Σ_j C(n, j) (1 − x − j/n)^(n−j) (x + j/n)^(j−1) over the j where 1 − x − j/n > 0. */
function birnbaumTingeySum(n: number, x: number): number {
  // Terms where 1 − x − j/n has reached zero contribute nothing (or next to nothing, at rounding).
  const terms = Math.min(n, Math.ceil(n * (1 - x)));
  const middle = Math.floor(n / 2);
  let logBinomial = 0; // log C(n, j)
  let sum = 0;
  for (let j = 0; j < terms; j++) {
    const upper = (n - j) / n - x; // 1 − x − j/n
    if (upper <= 0) break;
    const lower = x + j / n;
    // log(1 − lower) through log1p while lower is small, where 1 − lower would lose its digits.
    const logUpper = lower < 0.5 ? Math.log1p(-lower) : Math.log(upper);
    const term = Math.exp(logBinomial + (n - j) * logUpper + (j - 1) * Math.log(lower));
    sum += term;
    // Stop when even `terms − j` more terms this size could not change the sum's last bit.
    if (term !== 0) {
      if (4 * (terms - j) * term < Number.EPSILON * sum && j !== terms - 1) break;
    } else if (j > middle) break;
    logBinomial += Math.log((n - j) / (j + 1));
  }
  return sum;
}
