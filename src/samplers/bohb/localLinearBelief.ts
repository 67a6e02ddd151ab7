import { choleskyInPlace, solveLower, solveUpper } from '../internal/cholesky.js';

/** Ridge on the slopes of the local fit (not the intercept): keeps the solve defined when the neighbours are collinear. */
const RIDGE = 1e-3;

/**
 * The loss a configuration in flight is believed to have: a linear fit,
 * by least squares, to the losses of its 2p nearest observations (p: the
 * length of a feature row), evaluated at it. `rows` and `point` are feature
 * rows (KMeansBatch's `features`, so distances are the clustering's);
 * `losses[i]` is row i's loss, finite. Cheaper than a Gaussian process and,
 * as a believer for BOHB, measured better than its nearest neighbour's
 * loss or the mean of three (BOHB's documentation has the numbers). With
 * fewer observations than 2p it fits them all; a singular fit falls back
 * to the nearest observation's loss.
 */
export function localLinearBelief(point: readonly number[], rows: readonly (readonly number[])[], losses: readonly number[]): number {
  const n = rows.length;
  if (n === 0) return NaN;
  const p = point.length;
  const near = nearest(point, rows, Math.min(n, 2 * p));
  // Normal equations of [slopes, intercept] on coordinates centred at the point: the intercept is the belief.
  const m = p + 1;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m);
  const z = new Float64Array(m);
  for (const i of near) {
    for (let j = 0; j < p; j++) z[j] = rows[i][j] - point[j];
    z[p] = 1;
    for (let r = 0; r < m; r++) {
      b[r] += z[r] * losses[i];
      for (let c = 0; c <= r; c++) a[r * m + c] += z[r] * z[c];
    }
  }
  for (let r = 0; r < p; r++) a[r * m + r] += RIDGE;
  if (!choleskyInPlace(a, m)) return losses[near[0]];
  const w = solveUpper(a, m, solveLower(a, m, b));
  return Number.isFinite(w[p]) ? w[p] : losses[near[0]];
}

/** Indexes of the k rows nearest to the point, nearest first, ties by index (an insertion into k sorted slots: n ≫ k). */
function nearest(point: readonly number[], rows: readonly (readonly number[])[], k: number): number[] {
  const idx: number[] = [];
  const dist: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    let s = 0;
    for (let j = 0; j < point.length; j++) s += (row[j] - point[j]) ** 2;
    let at: number;
    if (idx.length < k) {
      at = idx.push(i) - 1;
      dist.push(s);
    } else if (s < dist[k - 1]) {
      at = k - 1;
      idx[at] = i;
      dist[at] = s;
    } else continue;
    // Bubble down past every larger distance: an equal one keeps its place (the lower index first).
    for (; at > 0 && dist[at] < dist[at - 1]; at--) {
      const d = dist[at];
      dist[at] = dist[at - 1];
      dist[at - 1] = d;
      const j = idx[at];
      idx[at] = idx[at - 1];
      idx[at - 1] = j;
    }
  }
  return idx;
}
