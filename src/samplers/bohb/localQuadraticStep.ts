import { gaussian, type Rng } from '../internal/rng.js';
import { choleskyInPlace, solveLower, solveUpper } from '../internal/cholesky.js';
import { CONTINUOUS, type Encoding } from './Encoding.js';
import type { Observation } from './ObservationStore.js';

/** Continuous dimensions above which no quadratic is fitted: its (m + 1)(m + 2) / 2 terms grow as m². */
export const MAX_QUADRATIC_DIMS = 20;

/** Model minima searched per step: Gaussian draws around the incumbent. */
const SEARCH = 512;

/** Ridge on every term but the constant: keeps the solve defined when the neighbours are degenerate. */
const RIDGE = 1e-3;

/** Draws spread this many times each dimension's neighbourhood radius (a trust region: the model is fitted there). */
const SPREAD = 0.5;

/** Two steps in flight stay this far apart (squared, in radius units per dimension), so a batch does not repeat one point. */
const APART = 0.05;

/**
 * A refinement step from the incumbent (`observed[0]`): a full quadratic in
 * the continuous dimensions, fitted by least squares to the losses of the
 * 2P nearest observations (P: its term count; an observation on another
 * level of a categorical dimension counts as 1 farther per dimension), and
 * the point where it is lowest among its own minimum (when convex, pulled
 * into the neighbourhood's box) and Gaussian draws around the incumbent
 * half as wide as the neighbourhood. Categorical dimensions keep the
 * incumbent's levels. A sequence of steps is a model-based local search:
 * each uses every nearby result, where the Parzen ratio only reweights
 * draws, and several in flight (at concurrency) form a small design around
 * the incumbent instead of waiting for each other. `avoid`: earlier steps
 * still in flight. Undefined when there is nothing to fit: no continuous
 * dimension, more than MAX_QUADRATIC_DIMS, fewer than P + m finite
 * observations, or a singular fit.
 */
export function localQuadraticStep(observed: readonly Observation[], { kinds }: Encoding, avoid: readonly Float64Array[], rng: Rng): Float64Array | undefined {
  const cont: number[] = [];
  for (let j = 0; j < kinds.length; j++) if (kinds[j] === CONTINUOUS) cont.push(j);
  const m = cont.length;
  if (m === 0 || m > MAX_QUADRATIC_DIMS) return undefined;
  const P = 1 + m + (m * (m + 1)) / 2;
  // +∞ (failed, pruned) sorts last: the finite losses are a prefix, unless the incumbent is −∞ (nothing left to refine).
  let end = observed.length;
  while (end > 0 && !Number.isFinite(observed[end - 1].loss)) end--;
  if (end < P + m || !Number.isFinite(observed[0].loss)) return undefined;
  const incumbent = observed[0].x;
  const near = nearestTo(incumbent, observed, end, kinds, Math.min(end, 2 * P));
  // Per-dimension radius of the neighbourhood: the model's coordinates are scaled by it.
  const radius = new Float64Array(m);
  for (const i of near) for (let c = 0; c < m; c++) radius[c] = Math.max(radius[c], Math.abs(observed[i].x[cont[c]] - incumbent[cont[c]]));
  for (let c = 0; c < m; c++) radius[c] = Math.max(radius[c], 1e-9);
  const u = new Float64Array(m);
  const z = new Float64Array(P);
  const terms = (x: Float64Array): Float64Array => {
    for (let c = 0; c < m; c++) u[c] = (x[cont[c]] - incumbent[cont[c]]) / radius[c];
    let k = 0;
    z[k++] = 1;
    for (let c = 0; c < m; c++) z[k++] = u[c];
    for (let c = 0; c < m; c++) for (let e = c; e < m; e++) z[k++] = u[c] * u[e];
    return z;
  };
  const a = new Float64Array(P * P);
  const b = new Float64Array(P);
  for (const i of near) {
    terms(observed[i].x);
    const loss = observed[i].loss;
    for (let r = 0; r < P; r++) {
      b[r] += z[r] * loss;
      for (let c = 0; c <= r; c++) a[r * P + c] += z[r] * z[c];
    }
  }
  for (let r = 1; r < P; r++) a[r * P + r] += RIDGE;
  if (!choleskyInPlace(a, P)) return undefined;
  const w = solveUpper(a, P, solveLower(a, P, b));
  let best: Float64Array | undefined;
  let bestValue = Infinity;
  const consider = (x: Float64Array) => {
    if (avoid.some((p) => scaledDistance(x, p, cont, radius) < APART * m)) return;
    terms(x);
    let value = 0;
    for (let r = 0; r < P; r++) value += w[r] * z[r];
    if (value < bestValue) {
      bestValue = value;
      best = x;
    }
  };
  const newton = newtonPoint(w, m);
  if (newton) {
    const x = incumbent.slice();
    for (let c = 0; c < m; c++) x[cont[c]] = Math.min(1, Math.max(0, incumbent[cont[c]] + radius[c] * newton[c]));
    consider(x);
  }
  for (let s = 0; s < SEARCH; s++) {
    const x = incumbent.slice();
    for (let c = 0; c < m; c++) x[cont[c]] = Math.min(1, Math.max(0, incumbent[cont[c]] + SPREAD * radius[c] * gaussian(rng)));
    consider(x);
  }
  return Number.isFinite(bestValue) ? best : undefined;
}

/** Indexes of the k of observed[0..end) nearest to x, ties by index: squared distance in the continuous dimensions plus 1 per other level. */
function nearestTo(x: Float64Array, observed: readonly Observation[], end: number, kinds: readonly number[], k: number): number[] {
  const dist = new Float64Array(end);
  for (let i = 0; i < end; i++) {
    const y = observed[i].x;
    let s = 0;
    for (let j = 0; j < kinds.length; j++) s += kinds[j] === CONTINUOUS ? (y[j] - x[j]) ** 2 : y[j] === x[j] ? 0 : 1;
    dist[i] = s;
  }
  const order = [...dist.keys()].sort((p, q) => dist[p] - dist[q] || p - q);
  return order.slice(0, k);
}

function scaledDistance(x: Float64Array, y: Float64Array, cont: readonly number[], radius: Float64Array): number {
  let s = 0;
  for (let c = 0; c < cont.length; c++) s += ((x[cont[c]] - y[cont[c]]) / radius[c]) ** 2;
  return s;
}

/**
 * The fitted quadratic's stationary point in the scaled coordinates, when
 * its Hessian is positive definite (a minimum), pulled back into the unit
 * box of the neighbourhood (|u| ≤ 1 per dimension); undefined otherwise.
 */
function newtonPoint(w: Float64Array, m: number): Float64Array | undefined {
  const h = new Float64Array(m * m);
  let k = 1 + m;
  for (let c = 0; c < m; c++) {
    for (let e = c; e < m; e++) {
      const coefficient = w[k++];
      if (e === c) h[c * m + c] = 2 * coefficient;
      else h[e * m + c] = h[c * m + e] = coefficient;
    }
  }
  if (!choleskyInPlace(h, m)) return undefined;
  const g = new Float64Array(m);
  for (let c = 0; c < m; c++) g[c] = -w[1 + c];
  const u = solveUpper(h, m, solveLower(h, m, g));
  let largest = 0;
  for (let c = 0; c < m; c++) largest = Math.max(largest, Math.abs(u[c]));
  if (!Number.isFinite(largest)) return undefined;
  if (largest > 1) for (let c = 0; c < m; c++) u[c] /= largest;
  return u;
}
