import type { Rng } from './rng.js';

/**
 * Pure kernel-density helpers for BOHB: the three product-kernel factors of
 * statsmodels' KDEMultivariate (Gaussian, Aitchison–Aitken, Wang–Ryzin), a
 * Gaussian truncated to [0, 1], their samplers and the normal-reference
 * bandwidth. No Rx, no state. Continuous values live on [0, 1]; categorical
 * ones are level indices 0..L-1 (algorithms.md §3.2, §3.5).
 */

const SQRT2 = Math.SQRT2;
/** log(√(2π)), the Gaussian's normalising constant. */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * erfc(x) with fractional error below 1.2e-7 everywhere, the tails included
 * (Chebyshev fit of Press et al., Numerical Recipes §6.2): enough for kernel
 * normalisers, and exact in the far tails where 1 - erf would cancel.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Φ(z), the standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

// Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
const QA = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const QB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const QC = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const QD = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p) for p in (0, 1); ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((QC[0] * q + QC[1]) * q + QC[2]) * q + QC[3]) * q + QC[4]) * q + QC[5]) / ((((QD[0] * q + QD[1]) * q + QD[2]) * q + QD[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((QA[0] * r + QA[1]) * r + QA[2]) * r + QA[3]) * r + QA[4]) * r + QA[5]) * q) / (((((QB[0] * r + QB[1]) * r + QB[2]) * r + QB[3]) * r + QB[4]) * r + 1);
}

/**
 * statsmodels' normal-reference rule (`bw='normal_reference'`):
 * 1.06 · σ · n^(-1/(4+k)), σ the population standard deviation (ddof 0) of
 * the column, n its length, k the number of columns of the joint KDE.
 */
export function normalReferenceBandwidth(column: ArrayLike<number>, k: number): number {
  const n = column.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += column[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (column[i] - mean) * (column[i] - mean);
  return 1.06 * Math.sqrt(ss / n) * Math.pow(n, -1 / (4 + k));
}

/** The Gaussian kernel φ((x - m)/h)/h on the whole line (HpBandSter's pdf: no truncation). */
export function gaussianKernel(x: number, m: number, h: number): number {
  const z = (x - m) / h;
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI) / h;
}

/** Probability mass a N(m, h²) puts on [0, 1]: the truncated kernel's normaliser. */
export function unitMass(m: number, h: number): number {
  const a = -m / h;
  const b = (1 - m) / h;
  // Compute in the lower tail, where Φ keeps its relative precision.
  return a > 0 ? normalCdf(-a) - normalCdf(-b) : normalCdf(b) - normalCdf(a);
}

/** The Gaussian kernel truncated to [0, 1] and renormalised there: 0 outside. */
export function truncatedGaussianKernel(x: number, m: number, h: number): number {
  if (x < 0 || x > 1) return 0;
  return gaussianKernel(x, m, h) / unitMass(m, h);
}

/**
 * A draw of N(m, h²) truncated to [0, 1], by inverting the CDF (one uniform
 * per draw, so a seed fixes the sequence). Never leaves [0, 1].
 */
export function sampleTruncatedGaussian(m: number, h: number, rng: Rng): number {
  let a = -m / h;
  let b = (1 - m) / h;
  // Mirror an interval in the upper tail into the lower one, where Φ is precise.
  const flip = a > 0;
  if (flip) [a, b] = [-b, -a];
  const pa = normalCdf(a);
  const pb = normalCdf(b);
  const z = normalQuantile(pa + rng() * (pb - pa));
  let x = m + (flip ? -z : z) * h;
  if (!(x >= 0)) x = 0;
  else if (x > 1) x = 1;
  return x;
}

/**
 * Aitchison–Aitken kernel for unordered levels: 1 - h at the data's own
 * level, h/(L - 1) at each other one; sums to 1 over the L levels for h ≤ 1.
 */
export function aitchisonAitken(x: number, m: number, h: number, levels: number): number {
  if (x === m) return 1 - h;
  return levels > 1 ? h / (levels - 1) : 0;
}

/**
 * Wang–Ryzin kernel for ordered levels: 1 - h at the data's own level,
 * ½(1 - h)·h^|x - m| elsewhere (sums to 1 over all integers).
 */
export function wangRyzin(x: number, m: number, h: number): number {
  if (x === m) return 1 - h;
  return 0.5 * (1 - h) * Math.pow(h, Math.abs(x - m));
}

/** A draw from the Aitchison–Aitken kernel: keep m with probability 1 - h, else one of the other levels. */
export function sampleAitchisonAitken(m: number, h: number, levels: number, rng: Rng): number {
  const u = rng();
  if (levels < 2 || u < 1 - h) return m;
  const k = Math.min(levels - 2, Math.floor(((u - (1 - h)) / h) * (levels - 1)));
  return k >= m ? k + 1 : k;
}

/**
 * HpBandSter's categorical proposal: keep m with probability 1 - h, else a
 * uniform level (which may be m again); h ≥ 1 always draws uniformly.
 */
export function sampleKeepOrUniform(m: number, h: number, levels: number, rng: Rng): number {
  if (rng() < 1 - h) return m;
  return Math.min(levels - 1, Math.floor(rng() * levels));
}

/** A draw from the Wang–Ryzin kernel restricted (renormalised) to levels 0..L-1. */
export function sampleWangRyzin(m: number, h: number, levels: number, rng: Rng): number {
  let total = 0;
  for (let k = 0; k < levels; k++) total += wangRyzin(k, m, h);
  let u = rng() * total;
  for (let k = 0; k < levels; k++) {
    u -= wangRyzin(k, m, h);
    if (u < 0) return k;
  }
  return m;
}
