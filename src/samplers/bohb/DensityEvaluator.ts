import { CONTINUOUS, UNORDERED, type Encoding } from './Encoding.js';
import { NEGLIGIBLE, type Density } from './Density.js';

/** exp(-k / EXP_STEPS) for k = 0..40·EXP_STEPS + 1: the marginal sums' exps, which dominate a draw. */
const EXP_STEPS = 64;
const EXP_TABLE = Float64Array.from({ length: 40 * EXP_STEPS + 2 }, (_, k) => Math.exp(-k / EXP_STEPS));

/** Evaluates densities over one encoding, with scratch buffers reused by every evaluation (one per run). */
export class DensityEvaluator {
  readonly #kinds: readonly number[];
  /** Dimensions in evaluation order: continuous ones first. */
  readonly #order: number[];
  #sums = new Float64Array(0);

  constructor({ kinds }: Encoding) {
    this.#kinds = kinds;
    this.#order = [...kinds.keys()].sort((a, b) => Number(kinds[a] !== CONTINUOUS) - Number(kinds[b] !== CONTINUOUS) || a - b);
  }

  /** log density of x (the joint product kernel). */
  logPdf(density: Density, x: Float64Array): number {
    return this.evaluate(density, x, undefined);
  }

  /**
   * The joint log density of x and, when `marginals` is given, the log
   * marginal density of every dimension, in one pass over the kernels.
   */
  evaluate(density: Density, x: Float64Array, marginals: Float64Array | undefined): number {
    const { n, d, logW, margRef, margCut } = density;
    const { centresT, invHT, logPeakT, logOtherT } = density;
    const kinds = this.#kinds;
    if (this.#sums.length < n) this.#sums = new Float64Array(2 * n);
    const sums = this.#sums;
    for (let i = 0; i < n; i++) sums[i] = logW[i];
    // Dimension by dimension over contiguous (transposed) arrays: tight loops the JIT vectorises well.
    // Continuous dimensions first, then categorical ones: the order every sum is taken in.
    // Marginal sums are taken against a fixed upper bound (margRef), so one pass suffices;
    // the prior component keeps every sum far from underflow.
    const order = this.#order;
    for (let c = 0; c < d; c++) {
      const j = order[c];
      const xj = x[j];
      const off = j * n;
      const kind = kinds[j];
      const ref = margRef[j];
      const cutJ = margCut[j];
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const k = off + i;
        let term: number;
        if (kind === CONTINUOUS) {
          const z = (xj - centresT[k]) * invHT[k];
          term = logPeakT[k] - 0.5 * z * z;
        } else if (kind === UNORDERED) {
          term = xj === centresT[k] ? logPeakT[k] : logOtherT[k];
        } else {
          // Wang–Ryzin: 1 - h at the level, ½(1 - h)·h^|Δ| elsewhere.
          const dist = Math.abs(xj - centresT[k]);
          term = dist === 0 ? logPeakT[k] : logPeakT[k] - Math.LN2 + dist * logOtherT[k];
        }
        sums[i] += term;
        if (marginals) {
          const v = logW[i] + term - ref;
          if (v > cutJ) {
            // exp(v) for v in (-40, 0] from a table, linearly interpolated (relative error < 4e-5).
            const u = -v * EXP_STEPS;
            const e = u | 0;
            acc += EXP_TABLE[e] + (u - e) * (EXP_TABLE[e + 1] - EXP_TABLE[e]);
          }
        }
      }
      if (marginals) marginals[j] = ref + Math.log(acc + Math.exp(density.margPrior[j] - ref));
    }
    let max = density.logPrior;
    for (let i = 0; i < n; i++) if (sums[i] > max) max = sums[i];
    if (max === -Infinity) return -Infinity;
    const cut = max - NEGLIGIBLE;
    let sum = density.logPrior > cut ? Math.exp(density.logPrior - max) : 0;
    for (let i = 0; i < n; i++) if (sums[i] > cut) sum += Math.exp(sums[i] - max);
    return max + Math.log(sum);
  }
}
