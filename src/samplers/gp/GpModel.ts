import type { Rng } from '../internal/rng.js';
import { budgetKey } from '../bohb/ObservationStore.js';
import { GaussianProcess } from './GaussianProcess.js';
import type { GpEncoding } from './GpEncoding.js';
import { fitHyperparameters, type HyperparameterFit } from './fitHyperparameters.js';
import { maximizeAcquisition, pointKey } from './maximizeAcquisition.js';

/** What the sampler's options decide for the model. */
export interface GpModelOptions {
  /** Observations a budget needs before its GP is used; random draws before. */
  readonly nInitial: number;
  /** Points the acquisition scores before its local search. */
  readonly candidates: number;
}

/** Hyperparameter fits: a full multi-start refit every `FULL_EVERY` observations (and while there are few), a warm-started one between. */
const FULL_EVERY = 10;
const FEW = 20;
/**
 * L-BFGS iterations of a warm-started fit. From the previous θ and its L-BFGS memory one iteration (about two
 * likelihood evaluations) stayed within 0.002 nats (median; 0.011 at the 90th percentile) of the converged likelihood
 * at 60-99 observations on branin and hartmann6, where ten iterations from a fresh memory took twelve evaluations,
 * most of them backtracking; median regret over 20 seeds did not change beyond seed noise.
 */
const WARM_ITERATIONS = 1;

interface Budget {
  readonly budget: number;
  readonly xs: Float64Array[];
  /** The objective's values; NaN for failed or pruned trials (they become the worst value seen), −∞ the best. */
  readonly ys: number[];
  fit?: HyperparameterFit;
  fittedAt: number;
  fullAt: number;
}

/**
 * The run state of a GPSampler (one per subscription): observations per
 * budget, the configurations in flight, and each proposal: a GP fitted on
 * the largest budget with `nInitial` observations, configurations in flight
 * added at the posterior mean (kriging believer: their neighbourhood loses
 * its variance, so parallel proposals spread out, while the mean and the
 * incumbent stay what was observed), then the point of largest log-EI.
 */
export class GpModel {
  readonly #encoding: GpEncoding;
  readonly #options: GpModelOptions;
  readonly #byBudget = new Map<string, Budget>();
  readonly #pending = new Map<number, Float64Array>();
  /** Every point observed or in flight, by key: never proposed twice. */
  readonly #taken = new Map<string, number>();

  constructor(encoding: GpEncoding, options: GpModelOptions) {
    this.#encoding = encoding;
    this.#options = options;
  }

  /** Records one finished evaluation; `value` NaN for a failed or pruned one. */
  observe(x: Float64Array, value: number, budget: number | undefined, id: number): void {
    this.settle(id);
    const key = budgetKey(budget);
    let entry = this.#byBudget.get(key);
    if (!entry) this.#byBudget.set(key, (entry = { budget: budget ?? 0, xs: [], ys: [], fittedAt: 0, fullAt: 0 }));
    entry.xs.push(x);
    entry.ys.push(value);
    this.#take(x, 1);
  }

  /** Forgets a configuration in flight. */
  settle(id: number): void {
    const x = this.#pending.get(id);
    if (x === undefined) return;
    this.#pending.delete(id);
    this.#take(x, -1);
  }

  /** Marks a proposal as in flight; beyond `limit` of them the oldest is forgotten (Hyperband draws rungs that wait). */
  pend(id: number, x: Float64Array, limit: number): void {
    this.#pending.set(id, x);
    this.#take(x, 1);
    while (this.#pending.size > limit) this.settle(this.#pending.keys().next().value as number);
  }

  /** The next configuration, encoded and snapped onto the space. */
  propose(rng: Rng): Float64Array {
    const entry = this.#largest();
    const x = entry && this.#modelProposal(entry, rng);
    return x ?? this.#randomUntaken(rng);
  }

  #modelProposal(entry: Budget, rng: Rng): Float64Array | undefined {
    const D = this.#encoding.D;
    const n = entry.xs.length;
    const y = standardize(entry.ys);
    const X = new Float64Array(n * D);
    entry.xs.forEach((x, i) => X.set(x, i * D));
    if (entry.fittedAt !== n) {
      const full = entry.fit === undefined || n <= FEW || n - entry.fullAt >= FULL_EVERY;
      const warm = { warm: entry.fit?.theta, curvature: entry.fit?.curvature };
      entry.fit = fitHyperparameters(X, n, D, y, rng, full ? { starts: 3, maxIter: 40, ...warm } : { starts: 1, maxIter: WARM_ITERATIONS, ...warm });
      entry.fittedAt = n;
      if (full) entry.fullAt = n;
    }
    const theta = entry.fit!.theta;
    let gp = GaussianProcess.fit(X, n, D, y, theta);
    if (!gp) return undefined;
    // The incumbent is the lowest posterior mean at an observed point: with a fitted noise term the mean smooths the
    // observations, and the lowest raw value would sit below every reachable mean (EI then vanishes near the best).
    let best = Infinity;
    for (let i = 0; i < n; i++) best = Math.min(best, gp.mean(entry.xs[i]));
    if (this.#pending.size > 0) {
      // Kriging believer: each configuration in flight joins the data at the posterior mean.
      const p = this.#pending.size;
      const Xa = new Float64Array((n + p) * D);
      const ya = new Float64Array(n + p);
      Xa.set(X);
      ya.set(y);
      let k = n;
      for (const x of this.#pending.values()) {
        Xa.set(x, k * D);
        ya[k++] = gp.mean(x);
      }
      gp = GaussianProcess.fit(Xa, n + p, D, ya, theta) ?? gp;
    }
    const order = Array.from(y.keys()).sort((a, b) => y[a] - y[b]);
    const lengthScales = Float64Array.from({ length: D }, (_, d) => Math.exp(theta[d]));
    return maximizeAcquisition(gp, this.#encoding, best, rng, {
      candidates: this.#options.candidates,
      starts: 3,
      maxIter: 20,
      incumbents: order.slice(0, 5).map((i) => entry.xs[i]),
      lengthScales,
      taken: new Set(this.#taken.keys()),
    });
  }

  /** The largest budget with `nInitial` observations. */
  #largest(): Budget | undefined {
    let best: Budget | undefined;
    for (const entry of this.#byBudget.values()) {
      if (entry.xs.length >= this.#options.nInitial && (!best || entry.budget > best.budget)) best = entry;
    }
    return best;
  }

  /** A uniform draw, redrawn a few times if it is already taken (small discrete spaces). */
  #randomUntaken(rng: Rng): Float64Array {
    let x = this.#encoding.random(rng);
    for (let tries = 0; tries < 20 && this.#taken.has(pointKey(x)); tries++) x = this.#encoding.random(rng);
    return x;
  }

  #take(x: Float64Array, delta: number): void {
    const key = pointKey(x);
    const count = (this.#taken.get(key) ?? 0) + delta;
    if (count > 0) this.#taken.set(key, count);
    else this.#taken.delete(key);
  }
}

/** Values to mean 0 and variance 1; NaN (failed) first becomes the worst finite value, −∞ the best. */
function standardize(values: readonly number[]): Float64Array {
  let worst = -Infinity;
  let best = Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    worst = Math.max(worst, v);
    best = Math.min(best, v);
  }
  const y = Float64Array.from(values, (v) => (Number.isFinite(v) ? v : !Number.isFinite(worst) ? 0 : v === -Infinity ? best : worst));
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  let variance = 0;
  for (const v of y) variance += (v - mean) ** 2;
  const sd = Math.sqrt(variance / y.length) || 1;
  for (let i = 0; i < y.length; i++) y[i] = (y[i] - mean) / sd;
  return y;
}
