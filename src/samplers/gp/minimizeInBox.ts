/** A function to minimise: returns f(x) and writes ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface BoxResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly evaluations: number;
}

/**
 * Minimises a smooth function in the box [lo, hi] by projected L-BFGS: the
 * two-loop quasi-Newton direction over the free coordinates (those not held
 * at a bound by their gradient), a backtracking Armijo search along the
 * projected path, and a steepest-descent restart when the direction is not
 * one of descent. Small problems only (tens of variables, tens of
 * iterations): the GP's hyperparameters and the acquisition's local search.
 */
export function minimizeInBox(f: Objective, x0: Float64Array, lo: Float64Array, hi: Float64Array, { maxIter = 50, memory = 6, tol = 1e-6 } = {}): BoxResult {
  const n = x0.length;
  let x = Float64Array.from(x0, (v, i) => Math.min(hi[i], Math.max(lo[i], v)));
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  const d = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  if (!Number.isFinite(fx)) return { x, value: fx, evaluations };
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
      step *= 0.5;
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
  return { x, value: fx, evaluations };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}
