import { choleskyInPlace, solveLower, solveLower4, solveUpper, solveUpperRows } from '../internal/cholesky.js';
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
 *
 * The acquisition predicts at hundreds of points per proposal, so the
 * training inputs are kept by dimension (Xt[d·n + i]: the distance loop runs
 * along i with no chain of dependent additions) and the factor also
 * transposed (the solve with Lᵀ then walks rows, not columns): measured
 * 1.15× faster `predict` and 1.35× faster `predictWithGradient` at n = 95,
 * D = 6, and `predictMany`, four points per pass of the solve, 1.5× faster
 * than `predict` point by point.
 */
export class GaussianProcess {
  readonly n: number;
  readonly D: number;
  readonly #Xt: Float64Array;
  readonly #L: Float64Array;
  readonly #Lt: Float64Array;
  readonly #alpha: Float64Array;
  readonly #inv2: Float64Array;
  readonly #amp: number;
  // Scratch for one prediction: no allocation per candidate.
  readonly #k: Float64Array;
  readonly #v: Float64Array;
  readonly #fac: Float64Array;
  readonly #block: Float64Array;

  private constructor(X: Float64Array, n: number, D: number, L: Float64Array, alpha: Float64Array, inv2: Float64Array, amp: number) {
    this.n = n;
    this.D = D;
    this.#Xt = new Float64Array(n * D);
    for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) this.#Xt[d * n + i] = X[i * D + d];
    this.#L = L;
    this.#Lt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) this.#Lt[j * n + i] = L[i * n + j];
    this.#alpha = alpha;
    this.#inv2 = inv2;
    this.#amp = amp;
    this.#k = new Float64Array(n);
    this.#v = new Float64Array(n);
    this.#fac = new Float64Array(n);
    this.#block = new Float64Array(4 * n);
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

  /** Writes each training point's scaled squared distance to x into `r2`. */
  #distances(x: ArrayLike<number>, r2: Float64Array): void {
    const { n, D } = this;
    const Xt = this.#Xt;
    r2.fill(0);
    for (let d = 0; d < D; d++) {
      const xd = x[d];
      const w = this.#inv2[d];
      const o = d * n;
      for (let i = 0; i < n; i++) {
        const diff = xd - Xt[o + i];
        r2[i] += diff * diff * w;
      }
    }
  }

  /** Posterior mean at x alone: O(n·D), without the O(n²) solve the variance needs. */
  mean(x: ArrayLike<number>): number {
    const k = this.#k;
    this.#distances(x, k);
    let mu = 0;
    for (let i = 0; i < this.n; i++) mu += this.#amp * matern52(k[i]) * this.#alpha[i];
    return mu;
  }

  /** Posterior mean and latent variance at x. */
  predict(x: ArrayLike<number>, out: Prediction): Prediction {
    const n = this.n;
    const k = this.#k;
    this.#distances(x, k);
    let mu = 0;
    for (let i = 0; i < n; i++) {
      k[i] = this.#amp * matern52(k[i]);
      mu += k[i] * this.#alpha[i];
    }
    const v = solveLower(this.#L, n, k);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += v[i] * v[i];
    out.mu = mu;
    out.variance = Math.max(this.#amp - vv, 0);
    return out;
  }

  /** `predict` at each point, into `mu[p]` and `variance[p]`: four points share each pass of the solve (solveLower4). */
  predictMany(points: readonly ArrayLike<number>[], mu: Float64Array, variance: Float64Array): void {
    const n = this.n;
    const amp = this.#amp;
    const alpha = this.#alpha;
    const k = this.#k;
    const block = this.#block;
    let p = 0;
    for (; p + 4 <= points.length; p += 4) {
      for (let q = 0; q < 4; q++) {
        this.#distances(points[p + q], k);
        let m = 0;
        for (let i = 0; i < n; i++) {
          const c = amp * matern52(k[i]);
          block[4 * i + q] = c;
          m += c * alpha[i];
        }
        mu[p + q] = m;
      }
      solveLower4(this.#L, n, block);
      let v0 = 0;
      let v1 = 0;
      let v2 = 0;
      let v3 = 0;
      for (let i = 0; i < n; i++) {
        v0 += block[4 * i] ** 2;
        v1 += block[4 * i + 1] ** 2;
        v2 += block[4 * i + 2] ** 2;
        v3 += block[4 * i + 3] ** 2;
      }
      variance[p] = Math.max(amp - v0, 0);
      variance[p + 1] = Math.max(amp - v1, 0);
      variance[p + 2] = Math.max(amp - v2, 0);
      variance[p + 3] = Math.max(amp - v3, 0);
    }
    const out: Prediction = { mu: 0, variance: 0 };
    for (; p < points.length; p++) {
      this.predict(points[p], out);
      mu[p] = out.mu;
      variance[p] = out.variance;
    }
  }

  /** As `predict`, and writes ∂μ/∂x and ∂σ²/∂x into `dMu` and `dVar`. */
  predictWithGradient(x: ArrayLike<number>, out: Prediction, dMu: Float64Array, dVar: Float64Array): Prediction {
    const { n, D } = this;
    const Xt = this.#Xt;
    const inv2 = this.#inv2;
    const k = this.#k;
    const fac = this.#fac;
    this.#distances(x, k);
    let mu = 0;
    for (let i = 0; i < n; i++) {
      const r2 = k[i];
      k[i] = this.#amp * matern52(r2);
      fac[i] = this.#amp * matern52Factor(r2);
      mu += k[i] * this.#alpha[i];
    }
    const v = this.#v;
    v.set(k);
    solveLower(this.#L, n, v);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += v[i] * v[i];
    // w = K⁻¹k, so ∂σ²/∂x = −2 Σ_i w_i ∂k_i/∂x; ∂k_i/∂x_d = −fac_i·Δ_d/ℓ_d².
    const w = solveUpperRows(this.#Lt, n, v);
    for (let d = 0; d < D; d++) {
      const xd = x[d];
      const o = d * n;
      let gMu = 0;
      let gVar = 0;
      for (let i = 0; i < n; i++) {
        const delta = xd - Xt[o + i];
        gMu += fac[i] * this.#alpha[i] * delta;
        gVar += fac[i] * w[i] * delta;
      }
      dMu[d] = -gMu * inv2[d];
      dVar[d] = 2 * gVar * inv2[d];
    }
    out.mu = mu;
    out.variance = Math.max(this.#amp - vv, 0);
    return out;
  }
}
