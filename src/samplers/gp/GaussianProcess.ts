import { choleskyInPlace, solveLower, solveUpper } from './cholesky.js';
import { matern52, matern52Factor } from './matern52.js';
import { JITTER } from './negLogMarginalLikelihood.js';
import type { Theta } from './Hyperparameters.js';

/** Posterior mean and variance at one point, and optionally their gradients in x. */
export interface Prediction {
  mu: number;
  variance: number;
}

/**
 * A GP posterior for fixed hyperparameters: amplitude·Matérn-5/2(ARD) plus
 * noise on the training points, zero prior mean (outputs are standardised
 * by the caller). Predictions are of the latent function: the noise term
 * is not in the variance, so a noiseless objective's EI vanishes at the
 * points already evaluated.
 */
export class GaussianProcess {
  readonly n: number;
  readonly D: number;
  readonly #X: Float64Array;
  readonly #L: Float64Array;
  readonly #alpha: Float64Array;
  readonly #inv2: Float64Array;
  readonly #amp: number;
  // Scratch for one prediction: no allocation per candidate.
  readonly #k: Float64Array;
  readonly #v: Float64Array;
  readonly #fac: Float64Array;

  private constructor(X: Float64Array, n: number, D: number, L: Float64Array, alpha: Float64Array, inv2: Float64Array, amp: number) {
    this.#X = X;
    this.n = n;
    this.D = D;
    this.#L = L;
    this.#alpha = alpha;
    this.#inv2 = inv2;
    this.#amp = amp;
    this.#k = new Float64Array(n);
    this.#v = new Float64Array(n);
    this.#fac = new Float64Array(n);
  }

  /** Conditions on (X, y); undefined if the kernel matrix is not positive definite even with the jitter. */
  static fit(X: Float64Array, n: number, D: number, y: Float64Array, theta: Theta): GaussianProcess | undefined {
    const inv2 = new Float64Array(D);
    for (let d = 0; d < D; d++) inv2[d] = Math.exp(-2 * theta[d]);
    const amp = Math.exp(theta[D]);
    const noise = Math.exp(theta[D + 1]);
    const L = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      L[i * n + i] = amp + noise + JITTER;
      for (let j = 0; j < i; j++) {
        let r2 = 0;
        for (let d = 0; d < D; d++) {
          const diff = X[i * D + d] - X[j * D + d];
          r2 += diff * diff * inv2[d];
        }
        L[i * n + j] = amp * matern52(r2);
      }
    }
    if (!choleskyInPlace(L, n)) return undefined;
    const alpha = solveUpper(L, n, solveLower(L, n, Float64Array.from(y)));
    return new GaussianProcess(X, n, D, L, alpha, inv2, amp);
  }

  /** Posterior mean and latent variance at x. */
  predict(x: ArrayLike<number>, out: Prediction): Prediction {
    const { n, D } = this;
    const X = this.#X;
    const inv2 = this.#inv2;
    const k = this.#k;
    let mu = 0;
    for (let i = 0; i < n; i++) {
      let r2 = 0;
      const base = i * D;
      for (let d = 0; d < D; d++) {
        const diff = x[d] - X[base + d];
        r2 += diff * diff * inv2[d];
      }
      k[i] = this.#amp * matern52(r2);
      mu += k[i] * this.#alpha[i];
    }
    const v = this.#v;
    for (let i = 0; i < n; i++) v[i] = k[i];
    solveLower(this.#L, n, v);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += v[i] * v[i];
    out.mu = mu;
    out.variance = Math.max(this.#amp - vv, 0);
    return out;
  }

  /** As `predict`, and writes ∂μ/∂x and ∂σ²/∂x into `dMu` and `dVar`. */
  predictWithGradient(x: ArrayLike<number>, out: Prediction, dMu: Float64Array, dVar: Float64Array): Prediction {
    const { n, D } = this;
    const X = this.#X;
    const inv2 = this.#inv2;
    const k = this.#k;
    const fac = this.#fac;
    let mu = 0;
    for (let i = 0; i < n; i++) {
      let r2 = 0;
      const base = i * D;
      for (let d = 0; d < D; d++) {
        const diff = x[d] - X[base + d];
        r2 += diff * diff * inv2[d];
      }
      k[i] = this.#amp * matern52(r2);
      fac[i] = this.#amp * matern52Factor(r2);
      mu += k[i] * this.#alpha[i];
    }
    const v = this.#v;
    for (let i = 0; i < n; i++) v[i] = k[i];
    solveLower(this.#L, n, v);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += v[i] * v[i];
    // w = K⁻¹k, so ∂σ²/∂x = −2 Σ_i w_i ∂k_i/∂x.
    const w = solveUpper(this.#L, n, v);
    dMu.fill(0);
    dVar.fill(0);
    for (let i = 0; i < n; i++) {
      const base = i * D;
      const a = fac[i] * this.#alpha[i];
      const b = fac[i] * w[i];
      for (let d = 0; d < D; d++) {
        // ∂k_i/∂x_d = −fac_i·Δ_d/ℓ_d².
        const g = (x[d] - X[base + d]) * inv2[d];
        dMu[d] -= a * g;
        dVar[d] += 2 * b * g;
      }
    }
    out.mu = mu;
    out.variance = Math.max(this.#amp - vv, 0);
    return out;
  }
}
