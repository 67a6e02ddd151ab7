/** A function to minimise: returns f(x) and writes ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** L-BFGS's memory: the last steps s, gradient changes y and 1/(s·y), oldest first. */
export interface Curvature {
  readonly S: readonly Float64Array[];
  readonly Y: readonly Float64Array[];
  readonly rho: readonly number[];
}

export interface BoxResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly evaluations: number;
  /** The memory at the end, to start a later minimisation of a similar function with. */
  readonly curvature: Curvature;
}

export interface BoxOptions {
  readonly maxIter?: number;
  /** Curvature pairs kept. */
  readonly memory?: number;
  readonly tol?: number;
  /**
   * A previous minimisation's memory, for a function close to that one (the likelihood after one more
   * observation): its first step is then quasi-Newton instead of a capped steepest descent that backtracks.
   */
  readonly curvature?: Curvature;
}

/**
 * Minimises a smooth function in the box [lo, hi] by projected L-BFGS: the
 * two-loop quasi-Newton direction over the free coordinates (those not held
 * at a bound by their gradient), an Armijo search along the projected
 * path that backtracks by quadratic interpolation, and a steepest-descent
 * restart when the direction is not one of descent. Small problems only
 * (tens of variables, tens of iterations): the GP's hyperparameters and the
 * acquisition's local search.
 */
export function minimizeInBox(
  f: Objective,
  x0: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  { maxIter = 50, memory = 6, tol = 1e-6, curvature }: BoxOptions = {},
): BoxResult {
  const n = x0.length;
  let x = Float64Array.from(x0, (v, i) => Math.min(hi[i], Math.max(lo[i], v)));
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  const S: Float64Array[] = curvature ? curvature.S.slice(-memory) : [];
  const Y: Float64Array[] = curvature ? curvature.Y.slice(-memory) : [];
  const rho: number[] = curvature ? curvature.rho.slice(-memory) : [];
  const alpha = new Float64Array(memory);
  const d = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  if (!Number.isFinite(fx)) return { x, value: fx, evaluations, curvature: { S, Y, rho } };
  for (let iter = 0; iter < maxIter; iter++) {
    // Free coordinates: not at a bound with the gradient pushing outwards.
    let pg = 0;
    for (let i = 0; i < n; i++) {
      const held = (x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0);
      d[i] = held ? 0 : -g[i];
      pg = Math.max(pg, Math.abs(d[i]));
    }
    if (pg < tol) break;
    // Two-loop recursion on the free coordinates.
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], d);
      axpy(-alpha[k], Y[k], d);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], d);
      axpy(alpha[k] - beta, S[k], d);
    }
    for (let i = 0; i < n; i++) if ((x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0)) d[i] = 0;
    if (!(dot(g, d) < 0)) {
      // Not a descent direction: forget the curvature pairs and go downhill.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = (x[i] <= lo[i] && g[i] > 0) || (x[i] >= hi[i] && g[i] < 0) ? 0 : -g[i];
    }
    // The first step of a fresh direction is capped at a unit move, so a large gradient cannot fling x across the box.
    let step = S.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(d, d))) : 1;
    let fNew = Infinity;
    let accepted = false;
    for (let tries = 0; tries < 20; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = Math.min(hi[i], Math.max(lo[i], x[i] + step * d[i]));
      fNew = f(xNew, gNew);
      evaluations++;
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += g[i] * (xNew[i] - x[i]);
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      // Back off to the minimiser of the quadratic through f(x), its slope and f(xNew), kept within [0.1, 0.5] of the
      // step: a warm-started fit's first unit move often overshoots a hundredfold, and halving took seven evaluations.
      const excess = fNew - fx - decrease;
      step *= Number.isFinite(fNew) && excess > 0 ? Math.min(0.5, Math.max(0.1, -decrease / (2 * excess))) : 0.5;
    }
    if (!accepted) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-10 * dot(y, y)) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const improvement = fx - fNew;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
    if (improvement <= tol * Math.max(1, Math.abs(fx))) break;
  }
  return { x, value: fx, evaluations, curvature: { S, Y, rho } };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}
