import type { Rng } from '../internal/rng.js';
import { defaultTheta, thetaBounds, type Theta } from './Hyperparameters.js';
import { minimizeInBox, type Curvature } from './minimizeInBox.js';
import { negLogMarginalLikelihood, pairTable } from './negLogMarginalLikelihood.js';

export interface FitOptions {
  /** Local optimisations from different starting points; the first starts at `warm` (or the default θ), the others at random. */
  readonly starts: number;
  /** L-BFGS iterations per start. */
  readonly maxIter: number;
  /** The previous fit's θ: where the first start begins. */
  readonly warm?: Theta;
  /** The previous fit's L-BFGS memory, for the start at `warm`: the likelihood moves little with one more observation. */
  readonly curvature?: Curvature;
}

/** The fitted θ, and the L-BFGS memory that reached it (for the next warm start). */
export interface HyperparameterFit {
  readonly theta: Theta;
  readonly curvature: Curvature;
}

/**
 * Maximum-likelihood hyperparameters (type-II ML): L-BFGS in log space
 * within `thetaBounds`, from `starts` points (the warm start, the default
 * and random ones), best marginal likelihood wins.
 */
export function fitHyperparameters(X: Float64Array, n: number, D: number, y: Float64Array, rng: Rng, { starts, maxIter, warm, curvature }: FitOptions): HyperparameterFit {
  const pairs = pairTable(X, n, D);
  const { lo, hi } = thetaBounds(D);
  const f = (theta: Float64Array, grad: Float64Array) => negLogMarginalLikelihood(pairs, y, theta, grad);
  const origins: Theta[] = [warm ?? defaultTheta(D)];
  if (warm && starts > 1) origins.push(defaultTheta(D));
  while (origins.length < starts) {
    const t = new Float64Array(D + 2);
    // Random length scales in [0.05, 2], amplitude around 1, small noise.
    for (let d = 0; d < D; d++) t[d] = Math.log(0.05) + rng() * (Math.log(2) - Math.log(0.05));
    t[D] = Math.log(0.5) + rng() * Math.log(4);
    t[D + 1] = Math.log(1e-5) + rng() * (Math.log(1e-2) - Math.log(1e-5));
    origins.push(t);
  }
  let best: HyperparameterFit = { theta: origins[0], curvature: curvature ?? { S: [], Y: [], rho: [] } };
  let bestValue = Infinity;
  origins.forEach((origin, k) => {
    const result = minimizeInBox(f, origin, lo, hi, { maxIter, curvature: k === 0 && warm ? curvature : undefined });
    if (result.value < bestValue) {
      bestValue = result.value;
      best = { theta: result.x, curvature: result.curvature };
    }
  });
  return best;
}
