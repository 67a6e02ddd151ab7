import { LOG_SQRT_2PI, unitMass } from '../internal/kde.js';
import { CONTINUOUS, UNORDERED, type Encoding } from './Encoding.js';

/**
 * One product-kernel density, ready to evaluate in log space: per point and
 * dimension the precomputed log-normaliser (and 1/h for continuous ones), so
 * a density evaluation is n·d multiply-adds and a few exps.
 */
export interface Density {
  readonly n: number;
  readonly d: number;
  readonly centres: Float64Array;
  /** Kernel bandwidth per point and dimension. */
  readonly h: Float64Array;
  readonly invH: Float64Array;
  /** Continuous: log of the kernel's peak; categorical: log of the kernel at the centre's own level. */
  readonly logPeak: Float64Array;
  /** Categorical: log of the kernel at another level (AA) or log h (WR). */
  readonly logOther: Float64Array;
  /** log weight of each point, normalised together with the prior. */
  readonly logW: Float64Array;
  /** log of the prior component's weight (-Infinity: none); its density is uniform. */
  readonly logPriorWeight: number;
  /** log of the prior's weight times its joint density. */
  readonly logPrior: number;
  /** Cumulative weights (points, then the prior) for drawing a component. */
  readonly cumW: Float64Array;
  /** Per dimension: an upper bound of any point's weighted log kernel, the reference for marginal sums. */
  readonly margRef: Float64Array;
  /** Per dimension: log of the prior component's marginal (weight × uniform density). */
  readonly margPrior: Float64Array;
  /** Per dimension: terms below this (relative to margRef) add less than 1e-6 of the prior's share: skipped. */
  readonly margCut: Float64Array;
  /** The per-point arrays transposed (dimension-major), for evaluation. */
  readonly centresT: Float64Array;
  readonly invHT: Float64Array;
  readonly logPeakT: Float64Array;
  readonly logOtherT: Float64Array;
}

/** Terms below the running maximum by more than this add less than 1e-10 relative: skip their exp. */
export const NEGLIGIBLE = 25;

/**
 * The density with a kernel at each row, `h` its bandwidths (row-major, per
 * row and dimension), equal weights, and a uniform prior component of weight
 * `priorWeight` observations (0: none). `truncated`: continuous kernels are
 * renormalised to [0, 1]; else they are whole-line Gaussians.
 */
export function fitDensity(encoding: Encoding, rows: readonly Float64Array[], h: Float64Array, priorWeight: number, truncated: boolean): Density {
  const { kinds, levels } = encoding;
  const d = kinds.length;
  const n = rows.length;
  const centres = new Float64Array(n * d);
  const invH = new Float64Array(n * d);
  const logPeak = new Float64Array(n * d);
  const logOther = new Float64Array(n * d);
  const total = n + priorWeight;
  const logW = new Float64Array(n).fill(Math.log(1 / total));
  const cumW = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    cumW[i] = (i + 1) / total;
    for (let j = 0; j < d; j++) {
      const k = i * d + j;
      const m = rows[i][j];
      const hk = h[k];
      centres[k] = m;
      if (kinds[j] === CONTINUOUS) {
        invH[k] = 1 / hk;
        // Kernels 8 widths inside [0, 1] lose < 1e-15 of their mass: no normaliser to compute.
        const inside = m > 8 * hk && 1 - m > 8 * hk;
        logPeak[k] = -Math.log(hk) - LOG_SQRT_2PI - (truncated && !inside ? Math.log(unitMass(m, hk)) : 0);
      } else if (kinds[j] === UNORDERED) {
        logPeak[k] = Math.log(1 - hk);
        logOther[k] = levels[j] > 1 ? Math.log(hk / (levels[j] - 1)) : -Infinity;
      } else {
        logPeak[k] = Math.log(1 - hk);
        logOther[k] = Math.log(hk);
      }
    }
  }
  cumW[n] = 1;
  const logPriorWeight = priorWeight > 0 ? Math.log(priorWeight / total) : -Infinity;
  let logPrior = logPriorWeight;
  const margPrior = new Float64Array(d);
  const margRef = new Float64Array(d);
  const margCut = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    margPrior[j] = logPriorWeight - (kinds[j] !== CONTINUOUS ? Math.log(levels[j]) : 0);
    if (priorWeight > 0 && kinds[j] !== CONTINUOUS) logPrior -= Math.log(levels[j]);
    let ref = margPrior[j];
    for (let i = 0; i < n; i++) ref = Math.max(ref, logW[i] + logPeak[i * d + j], logW[i] + logOther[i * d + j]);
    margRef[j] = ref;
    margCut[j] = Math.max(-39, priorWeight > 0 ? margPrior[j] - ref - 14 : -NEGLIGIBLE);
  }
  return {
    n,
    d,
    centres,
    h,
    invH,
    logPeak,
    logOther,
    logW,
    logPriorWeight,
    logPrior,
    cumW,
    margRef,
    margPrior,
    margCut,
    centresT: transpose(centres, n, d),
    invHT: transpose(invH, n, d),
    logPeakT: transpose(logPeak, n, d),
    logOtherT: transpose(logOther, n, d),
  };
}

function transpose(a: Float64Array, n: number, d: number): Float64Array {
  const t = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) t[j * n + i] = a[i * d + j];
  return t;
}
