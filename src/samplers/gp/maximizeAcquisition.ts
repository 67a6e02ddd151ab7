import type { Rng } from '../internal/rng.js';
import type { GaussianProcess, Prediction } from './GaussianProcess.js';
import type { GpEncoding } from './GpEncoding.js';
import { logExpectedImprovement, type LogEi } from './logExpectedImprovement.js';
import { minimizeInBox } from './minimizeInBox.js';

/** Smallest posterior variance EI is computed with (of the standardised output): keeps log σ finite at observed points. */
const MIN_VARIANCE = 1e-12;

export interface AcquisitionOptions {
  /** Points scored before the local search: half uniform, half around the best observations. */
  readonly candidates: number;
  /** Local searches, from the best-scored candidates. */
  readonly starts: number;
  /** L-BFGS iterations per local search. */
  readonly maxIter: number;
  /** The best observations (encoded), around which half the candidates are drawn. */
  readonly incumbents: readonly Float64Array[];
  /** The GP's length scales per input dimension: the size of a move around an incumbent. */
  readonly lengthScales: Float64Array;
  /** Keys (`pointKey`) of points already observed or in flight: never proposed again. */
  readonly taken: ReadonlySet<string>;
}

/** A point's identity once snapped. */
export function pointKey(x: Float64Array): string {
  return Array.prototype.join.call(x, ',');
}

/**
 * The point with the largest log-EI below `best`: `candidates` points
 * scored (uniform draws and moves around the incumbents at three scales),
 * then projected L-BFGS on −log EI with its analytic gradient from the
 * `starts` best of them, over the ordered coordinates (one-hot blocks stay
 * as drawn), each result snapped onto the space. Points already observed
 * or in flight are skipped; undefined if every scored point is one of
 * them (a small discrete space, used up).
 */
export function maximizeAcquisition(gp: GaussianProcess, encoding: GpEncoding, best: number, rng: Rng, options: AcquisitionOptions): Float64Array | undefined {
  const { candidates, starts, maxIter, incumbents, lengthScales, taken } = options;
  const D = encoding.D;
  const pred: Prediction = { mu: 0, variance: 0 };
  const ei: LogEi = { value: 0, dMu: 0, dSigma: 0 };
  const score = (x: Float64Array): number => {
    gp.predict(x, pred);
    return logExpectedImprovement(pred.mu, Math.sqrt(Math.max(pred.variance, MIN_VARIANCE)), best, ei).value;
  };
  const points: Float64Array[] = [];
  const scales = [1, 0.25, 0.05];
  for (let c = 0; c < candidates; c++) {
    const global = incumbents.length === 0 || c % 2 === 0;
    points.push(global ? encoding.random(rng) : encoding.perturb(incumbents[Math.floor(rng() * incumbents.length)], lengthScales, scales[(c >> 1) % scales.length], rng));
  }
  const mu = new Float64Array(candidates);
  const variance = new Float64Array(candidates);
  gp.predictMany(points, mu, variance);
  const scored = points.map((x, c) => ({
    x,
    value: logExpectedImprovement(mu[c], Math.sqrt(Math.max(variance[c], MIN_VARIANCE)), best, ei).value,
    global: incumbents.length === 0 || c % 2 === 0,
  }));
  scored.sort((a, b) => b.value - a.value);
  // The local searches start from the best candidates, and from the best uniform one whatever its rank: a region far
  // from every incumbent gets refined too, not only the incumbents' neighbourhoods.
  const firstGlobal = scored.findIndex((c) => c.global);
  if (firstGlobal >= starts) scored.splice(starts - 1, 0, ...scored.splice(firstGlobal, 1));

  const dMu = new Float64Array(D);
  const dVar = new Float64Array(D);
  const negLogEi = (x: Float64Array, grad: Float64Array): number => {
    gp.predictWithGradient(x, pred, dMu, dVar);
    const variance = Math.max(pred.variance, MIN_VARIANCE);
    const sigma = Math.sqrt(variance);
    logExpectedImprovement(pred.mu, sigma, best, ei);
    const clipped = pred.variance <= MIN_VARIANCE;
    for (let d = 0; d < D; d++) grad[d] = -(ei.dMu * dMu[d] + (clipped ? 0 : (ei.dSigma * dVar[d]) / (2 * sigma)));
    return -ei.value;
  };
  const lo = new Float64Array(D);
  const hi = new Float64Array(D);
  const seen = new Set<string>();
  let winner: Float64Array | undefined;
  let winnerValue = -Infinity;
  const consider = (x: Float64Array, value: number) => {
    if (value > winnerValue && !taken.has(pointKey(x))) {
      winner = x;
      winnerValue = value;
    }
  };
  for (const { x, value } of scored) {
    consider(x, value);
    if (seen.size >= starts) continue;
    const key = pointKey(x);
    if (seen.has(key)) continue;
    seen.add(key);
    for (let d = 0; d < D; d++) {
      lo[d] = encoding.movable[d] ? 0 : x[d];
      hi[d] = encoding.movable[d] ? 1 : x[d];
    }
    const local = encoding.snap(minimizeInBox(negLogEi, x, lo, hi, { maxIter }).x);
    consider(local, score(local));
  }
  return winner;
}
