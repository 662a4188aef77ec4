const PI_SQUARED = Math.PI ** 2;
const PI_FOURTH = Math.PI ** 4;
const PI_SIXTH = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const SQRT_3 = Math.sqrt(3);
/** Below this log, q underflows and the CDF is 0 (z ≈ 0.0417). */
const MIN_LOG = -708;

/**
 * Pelz & Good's (1976) approximation to the two-sided Kolmogorov CDF P(D_n <= x): the Li-Chien /
 * Korolyuk expansion K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5 in z = x√n, each K rewritten through
 * Jacobi's theta identity into sums over odd integers that converge fast for small z. Simard &
 * L'Ecuyer use it for large n where the exact methods are too slow.
 */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qLog = -PI_SQUARED / 8 / z2;
  if (qLog < MIN_LOG) return 0;
  const q = Math.exp(qLog);

  // Coefficients of m^0, m^2, m^4, m^6 (m = 2k − 1) in the terms of K1, K2 and K3.
  const k1a = -z2;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI_SQUARED) / 4;
  const k2c = (PI_FOURTH * (1 - 2 * z2)) / 16;
  const k3d = (PI_SIXTH * (5 - 30 * z2)) / 64;
  const k3c = (PI_FOURTH * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI_SQUARED * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  // Σ_k c_k q^((2k−1)²) by Horner's scheme in q^(8k), from the last term kept down to k = 1.
  const terms = Math.ceil((16 * z) / Math.PI);
  let k0 = 0;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  for (let k = terms; k >= 1; k--) {
    const m2 = (2 * k - 1) ** 2;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    k0 = k0 * qPower + 1;
    k1 = k1 * qPower + (k1a + k1b * m2);
    k2 = k2 * qPower + (k2a + k2b * m2 + k2c * m4);
    k3 = k3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  const factor = q * SQRT_2PI;
  k0 = (k0 * factor) / z;
  k1 = (k1 * factor) / (6 * z4);
  k2 = (k2 * factor) / (72 * z ** 7);
  k3 = (k3 * factor) / (6480 * z ** 10);

  // K2 and K3 also carry sums over all integers k of k² q'^(k²), q' = exp(−π²/(2z²)).
  const qAll = Math.exp(-PI_SQUARED / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  const sqrt3z = SQRT_3 * z;
  for (let k = terms; k >= 1; k--) {
    const k2Weight = k * k * qAll ** (k * k);
    const kPi = Math.PI * k;
    k2Extra += k2Weight;
    k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2Weight;
  }
  k2 += (k2Extra * PI_SQUARED * SQRT_2PI) / (-36 * z3);
  k3 += (k3Extra * PI_SQUARED * SQRT_2PI) / (216 * z6);
  return k0 + k1 / Math.sqrt(n) + k2 / n + k3 / n ** 1.5;
}
