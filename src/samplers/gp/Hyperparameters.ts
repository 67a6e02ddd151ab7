/**
 * The GP's hyperparameters as the fit moves them, all in log space:
 * `theta = [log ℓ_1 … log ℓ_D, log amplitude, log noise]`, for outputs
 * standardised to mean 0 and variance 1 and inputs in the unit cube.
 */
export type Theta = Float64Array;

/** Bounds of θ: length scales 0.01..20 (of the unit cube), amplitude 0.05..20, noise 1e-8..1 (of the output variance). */
export function thetaBounds(D: number): { lo: Float64Array; hi: Float64Array } {
  const lo = new Float64Array(D + 2).fill(Math.log(0.01));
  const hi = new Float64Array(D + 2).fill(Math.log(20));
  lo[D] = Math.log(0.05);
  hi[D] = Math.log(20);
  lo[D + 1] = Math.log(1e-8);
  hi[D + 1] = Math.log(1);
  return { lo, hi };
}

/** The usual starting point: length scale 0.5, amplitude 1, noise 1e-3. */
export function defaultTheta(D: number): Theta {
  const theta = new Float64Array(D + 2).fill(Math.log(0.5));
  theta[D] = 0;
  theta[D + 1] = Math.log(1e-3);
  return theta;
}
