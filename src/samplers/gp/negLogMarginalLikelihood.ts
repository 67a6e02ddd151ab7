import { choleskyInPlace, inverseFromCholesky, solveLower, solveUpper } from '../internal/cholesky.js';
import { matern52, matern52Factor } from './matern52.js';
import type { Theta } from './Hyperparameters.js';

/** Added to the diagonal beside the fitted noise, so that a near-duplicate pair never breaks the factorisation. */
export const JITTER = 1e-9;

/** Shape and rate of the Gamma prior on every length scale. */
const LENGTH_PRIOR_SHAPE = 3;
const LENGTH_PRIOR_RATE = 6;

/**
 * Training inputs prepared for repeated likelihood evaluations: the
 * squared difference of every pair in every dimension, which do not depend
 * on θ (n(n−1)/2 × D numbers), and the buffers each evaluation overwrites
 * (a fit makes tens of evaluations; fresh n×n arrays each time kept the
 * garbage collector busy).
 */
export interface PairTable {
  readonly n: number;
  readonly D: number;
  /** Pair (i > j) at index ((i·(i−1))/2 + j)·D + d. */
  readonly sq: Float64Array;
  readonly scratch: {
    /** K, then its Cholesky factor. */
    readonly K: Float64Array;
    readonly Kinv: Float64Array;
    /** inverseFromCholesky's n×n work array. */
    readonly U: Float64Array;
    readonly alpha: Float64Array;
    /** Each pair's correlation and kernel factor, kept for the gradient. */
    readonly corr: Float64Array;
    readonly factor: Float64Array;
    /** Per-dimension sums of the length-scale gradient. */
    readonly perDim: Float64Array;
  };
}

export function pairTable(X: Float64Array, n: number, D: number): PairTable {
  const pairsCount = (n * (n - 1)) / 2;
  const sq = new Float64Array(pairsCount * D);
  let p = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      for (let d = 0; d < D; d++) {
        const diff = X[i * D + d] - X[j * D + d];
        sq[p++] = diff * diff;
      }
    }
  }
  const scratch = {
    K: new Float64Array(n * n),
    Kinv: new Float64Array(n * n),
    U: new Float64Array(n * n),
    alpha: new Float64Array(n),
    corr: new Float64Array(pairsCount),
    factor: new Float64Array(pairsCount),
    perDim: new Float64Array(D),
  };
  return { n, D, sq, scratch };
}

/**
 * −log p(y | X, θ) − log p(θ) (the prior on length scales below) of a zero-mean GP with kernel
 * amplitude·Matérn-5/2(ARD) + noise·I, and, when `grad` is given, its
 * gradient in θ: ∂/∂θ = −½ tr((ααᵀ − K⁻¹) ∂K/∂θ). +∞ where K is not
 * positive definite (the line search then steps back).
 */
export function negLogMarginalLikelihood(pairs: PairTable, y: Float64Array, theta: Theta, grad?: Float64Array): number {
  const { n, D, sq, scratch } = pairs;
  const { K, corr, factor, alpha, perDim } = scratch;
  const inv2 = new Float64Array(D);
  for (let d = 0; d < D; d++) inv2[d] = Math.exp(-2 * theta[d]);
  const amp = Math.exp(theta[D]);
  const noise = Math.exp(theta[D + 1]);
  let p = 0;
  for (let i = 0; i < n; i++) {
    K[i * n + i] = amp + noise + JITTER;
    for (let j = 0; j < i; j++, p++) {
      let r2 = 0;
      const base = p * D;
      for (let d = 0; d < D; d++) r2 += sq[base + d] * inv2[d];
      const c = matern52(r2);
      K[i * n + j] = amp * c;
      if (grad) {
        corr[p] = c;
        factor[p] = matern52Factor(r2);
      }
    }
  }
  if (!choleskyInPlace(K, n)) return Infinity;
  alpha.set(y);
  solveUpper(K, n, solveLower(K, n, alpha));
  let value = 0.5 * n * Math.log(2 * Math.PI);
  for (let i = 0; i < n; i++) value += 0.5 * y[i] * alpha[i] + Math.log(K[i * n + i]);
  // A Gamma(3, 6) prior on each length scale (mode 1/3 of the unit cube, as BoTorch's former default): with few
  // points, maximum likelihood alone often calls a dimension irrelevant (ℓ at its upper bound) and the search then
  // never moves along it. In θ = log ℓ the log density is 3θ − 6e^θ (the Jacobian included).
  for (let d = 0; d < D; d++) value -= LENGTH_PRIOR_SHAPE * theta[d] - LENGTH_PRIOR_RATE * Math.exp(theta[d]);
  if (!grad) return value;
  const Kinv = inverseFromCholesky(K, n, scratch.Kinv, scratch.U);
  perDim.fill(0);
  // −½ Σ_ij W_ij ∂K_ij with W = ααᵀ − K⁻¹: each off-diagonal pair counts twice, so no ½ there.
  let diagW = 0;
  let ampSum = 0;
  p = 0;
  for (let i = 0; i < n; i++) {
    diagW += alpha[i] * alpha[i] - Kinv[i * n + i];
    for (let j = 0; j < i; j++, p++) {
      const w = alpha[i] * alpha[j] - Kinv[i * n + j];
      ampSum += w * corr[p];
      const f = w * factor[p];
      const base = p * D;
      for (let d = 0; d < D; d++) perDim[d] += f * sq[base + d];
    }
  }
  for (let d = 0; d < D; d++) grad[d] = -amp * inv2[d] * perDim[d] - (LENGTH_PRIOR_SHAPE - LENGTH_PRIOR_RATE * Math.exp(theta[d]));
  grad[D] = -(ampSum + 0.5 * diagW) * amp;
  grad[D + 1] = -0.5 * diagW * noise;
  return value;
}
