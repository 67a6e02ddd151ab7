import { defer, type Observable } from 'rxjs';
import type { Candidate } from '../trial/Trial.js';
import type { Dimensions } from '../space/Dimension.js';
import type { Space } from '../space/Space.js';
import type { Range } from '../space/Range.js';
import { isRange } from '../space/Range.js';
import { fromUnit } from '../space/fromUnit.js';
import { toUnit } from '../space/toUnit.js';
import { checkDims, resolveDimensions } from '../space/inferDimensions.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { checkOptions, checkOneOf, checkPositiveInteger, checkSeed, show } from '../base/check.js';
import { setOwn } from '../base/setOwn.js';
import { MAX_BOHB_CANDIDATES } from '../base/limits.js';
import type { Sampler, SamplerContext } from './Sampler.js';
import { createRng, randomSeed, type Rng } from './internal/rng.js';
import { modelCandidates } from './internal/modelCandidates.js';
import { CONTINUOUS } from './bohb/Encoding.js';
import type { ModelOptions } from './bohb/ModelOptions.js';
import type { BohbPolicyClass } from './bohb/BohbPolicy.js';
import { DefaultPolicy } from './bohb/DefaultPolicy.js';
import { HpBandSterPolicy } from './bohb/HpBandSterPolicy.js';
import { BohbModel } from './bohb/BohbModel.js';

export interface BOHBOptions {
  /** Dimension kinds, in key order or by name. @default inferred from the space (`inferDimensions`) */
  readonly dims?: Dimensions;
  /**
   * 'default': the measured improvements listed on the class below;
   * 'hpbandster': HpBandSter's rules, for reproducing BOHB as published.
   * @default 'default'
   */
  readonly mode?: 'default' | 'hpbandster';
  /** ρ: fraction of configurations drawn uniformly at random. @default 0 (hpbandster: 1/3) */
  readonly rho?: number;
  /** Fraction of observations in the good set (TPE's γ). @default 0.15 */
  readonly q?: number;
  /** N_s: candidates drawn per proposal; the best l/g wins. With k configurations in flight, Ns / (k + 1)^(2/3). At most 1e5. @default 64 */
  readonly Ns?: number;
  /** b_w: scale of the good kernels when drawing candidates (default mode: times (d / 8)^3 above 8 dimensions). @default 0.25 (hpbandster: 3) */
  readonly bwFactor?: number;
  /** Smallest bandwidth of any kernel. @default 1e-3 */
  readonly minBandwidth?: number;
  /**
   * Observations a budget needs before its model is used; in the default
   * mode configurations in flight count too once 2 results are in, so the
   * model starts at the same trial at any concurrency. @default 10
   * (hpbandster: d + 1; smaller values are raised to d + 1)
   */
  readonly Nmin?: number;
  /** Default mode: the good set holds at most this many observations. @default 25 */
  readonly maxGood?: number;
  /** Default mode: weight of the uniform prior component of l and g, in observations. @default 1 */
  readonly priorWeight?: number;
  /**
   * Default mode: 'joint' scores candidates by the joint l/g only; 'hybrid'
   * also recombines half of them dimension by dimension and adds every
   * dimension's marginal l/g (what univariate TPE sees). @default 'hybrid'
   */
  readonly kernel?: 'joint' | 'hybrid';
  /** Default mode: probability that a proposal is a coordinate move from the best configuration. @default 0.1 */
  readonly local?: number;
  /**
   * Default mode: share of proposals that are a local quadratic step from
   * the best configuration (a least-squares quadratic in the continuous
   * dimensions over its nearest observations, at its lowest point nearby).
   * With k slots and k × refine ≥ 1, that many of them (rounded) hold one;
   * below, a coin per proposal, at most one in flight. 0 turns them off.
   * @default 0.125 (hpbandster: 0)
   */
  readonly refine?: number;
  /** Default mode: the bad density uses the most recent `window` bad observations (keeps a draw fast). @default 150 */
  readonly window?: number;
  /**
   * Default mode, for a proposal made while others are in flight (concurrency
   * above 1, or a Hyperband bracket asking for several configurations at
   * once): 'kmeans' clusters the best candidates into one group per
   * configuration in flight plus one and proposes the best of a group no
   * configuration in flight is nearest to (Groves & Pyzer-Knapp 2018);
   * 'none' proposes the best of fewer candidates, configurations in flight
   * counting as bad observations (constant liar). @default 'kmeans'
   */
  readonly batch?: 'kmeans' | 'none';
  /**
   * Default mode with `batch: 'kmeans'` (recorded, but without effect,
   * otherwise): 'linear' predicts each configuration in flight's loss by a
   * linear fit to its nearest observations, and those predicted at or below
   * the good set's threshold count as observed at that prediction until
   * their results arrive (a believer: a draw made while they run refines
   * around them as a sequential run would); 'none' leaves them out of the
   * densities. @default 'linear'
   */
  readonly believer?: 'linear' | 'none';
  /** Same seed, same space, concurrency 1, same objective: the same run. @default a fresh random seed */
  readonly seed?: number | string;
}

const KNOWN = [
  'dims',
  'mode',
  'kernel',
  'local',
  'refine',
  'window',
  'rho',
  'q',
  'Ns',
  'bwFactor',
  'minBandwidth',
  'Nmin',
  'maxGood',
  'priorWeight',
  'batch',
  'believer',
  'seed',
] as const;

/**
 * BOHB's model-based sampler (Falkner et al. 2018): observations kept per
 * budget, the largest budget with enough of them split into a good set (the
 * best `q`) and a bad set, one product-kernel density per set (continuous:
 * Gaussian truncated to [0, 1]; ordered levels: Wang–Ryzin; unordered:
 * Aitchison–Aitken), and each proposal the best of `Ns` draws from the good
 * density by l(x)/g(x). Standalone it is Bayesian optimisation in the TPE
 * family; as Hyperband's `inner` it learns from every rung. It subscribes to
 * the run's results and draws one configuration per free slot, so with
 * concurrency 1 every draw has seen every earlier result; draws made while
 * others run spread over the good region by k-means, and those in flight
 * that look good count as observed (the believer below).
 *
 * The default mode (`mode: 'default'`) departs from HpBandSter where
 * measurement showed it losing to Optuna's TPE (BENCHMARKS.md, section
 * "BOHB against Optuna TPE": 20 seeds × 200 trials on the grid-form
 * problems, where HpBandSter's rules end at median regret 0.057 on branin
 * and 12 on the README function, against 0.00074 and 0.22 here). Each
 * deviation, and why:
 * - Bandwidths: per kernel and dimension, the larger gap to its neighbours
 *   (Optuna's univariate rule), clipped to [1/min(100, n + 1), 1], instead of
 *   the normal-reference rule, which collapses on tight good sets and
 *   smears multi-modal ones (branin's three basins).
 * - Kernels truncated to [0, 1] in the densities too (HpBandSter truncates
 *   only its draws), and a uniform prior component of weight `priorWeight`
 *   in l and g, so no region's ratio is ever 0/0; no random fraction
 *   (`rho = 0`): the prior component explores instead.
 * - Good set: ⌈q·n⌉ capped at `maxGood` (25), from `Nmin` = 10 observations
 *   on (HpBandSter: at least d + 1 rows and a first model at 2(d + 1)).
 * - Categorical kernels with Optuna's smoothing (h = (L − 1)/(n + L)), and
 *   Wang–Ryzin for ordered `categorical(L)` dims.
 * - Draws at a quarter of the kernel width (`bwFactor = 0.25`; HpBandSter
 *   widens by 3): later trials refine instead of wandering (hartmann6 at
 *   200 trials: 0.025 against 0.128 with bwFactor 1).
 * - `kernel: 'hybrid'`: half the candidates recombine dimensions from
 *   different good points, and every score adds each dimension's marginal
 *   l/g to the joint one; separable problems then learn per dimension as
 *   univariate TPE does (counting ones at 200: 1.0 against 1.8 joint only)
 *   while coupled ones keep the joint model.
 * - `local = 0.1`: that share of proposals is a one-coordinate move from the
 *   best configuration; the ratio alone never proposes a level that only bad
 *   configurations have tried (the README function's `b`; 0.22 against 0.59
 *   without at 200 trials).
 * - `refine = 0.125`: that share of proposals is a local quadratic step
 *   from the incumbent (a least-squares quadratic in the continuous
 *   dimensions over its 2P nearest observations, proposed where it is
 *   lowest nearby); with k slots and k × refine ≥ 1 (from concurrency 8 on),
 *   that many of them hold one, else a coin decides. The ratio refines by reweighting random draws, which stalls inside
 *   a basin; a quadratic uses every nearby result at once, and steps in
 *   flight together form a small design around the incumbent, so refining
 *   does not wait for each result at concurrency. Median regret, sequential,
 *   at 150 / 200 trials, against `refine: 0`: hartmann6 0.0016 / 0.000065
 *   against 0.031 / 0.021 (200 seeds), counting ones 0.61 / 0 against
 *   0.87 / 0.55 (100 seeds). A step costs about 0.8 ms of CPU at 6
 *   dimensions and 1,000 observations, 9 ms at 16 and 30 ms at 20 (about
 *   twice that on a loaded machine); none above 20 continuous dimensions.
 * - The bad density uses the most recent `window` = 150 bad observations,
 *   which keeps a draw under a millisecond at 1,000 observations (measured
 *   no worse at 200 trials than 250 or all).
 * - Draws from the good kernels widen above 8 dimensions (bwFactor ×
 *   (d / 8)^3): a product kernel's reach shrinks like width^d (counting
 *   ones, 16 dims, 40 seeds, at 100 / 200 trials: 1.26 / 0.56 against
 *   1.46 / 0.77 without).
 * - Configurations in flight (`batch: 'kmeans'`, Groves & Pyzer-Knapp 2018):
 *   the best quarter of the Ns candidates, the good region of l/g, is
 *   clustered by k-means (ml-kmeans, seeded from the run's rng) into one
 *   group per configuration in flight plus one (two levels of one of m
 *   unordered dimensions at distance 1/√m, a continuous range being 1, so
 *   groups split by position too, not only by level pattern); each configuration in flight
 *   claims its nearest group, and the proposal is the best candidate of the
 *   best unclaimed group. Draws made while others run, at concurrency k or
 *   for a Hyperband bracket asking for several configurations at once, thus
 *   spread over the good region. `batch: 'none'` (0.1's rule) counts them as
 *   bad observations (constant liar) and scores Ns / (k + 1)^(2/3) draws.
 * - A believer for configurations in flight (`believer: 'linear'`, with
 *   the k-means rule): each one's loss is predicted by a least-squares
 *   linear fit to its 2p nearest observations (p: its k-means feature
 *   length); those predicted at or below the good set's threshold are added
 *   to the observations at the prediction, never better than the best
 *   observed, and the good and bad sets are split over all. A sequential run refines around a
 *   good result from the next draw on; a draw made while 7 others run would
 *   otherwise wait 8 trials to see that they look good. Measured at
 *   concurrency 8 on hartmann6, seeds of 40 within 0.1 of the optimum by
 *   trial 200 (23 sequentially by 150): no believer 12; every configuration
 *   in flight at a predicted loss: nearest neighbour's 16, mean of the 3
 *   nearest 17, a GP's posterior mean 15 (at 40× the cost), the local linear
 *   fit 18, the true loss (not available to a real run) 21; the local
 *   linear fit for those predicted good only, the rule here, 21.
 *
 * Concurrency costs trials: a draw made while k trials run cannot use their
 * results. Median regret over 100 seeds at concurrency 8 and 200 trials, with
 * the believer / k-means alone / neither, against concurrency 1 at 150
 * trials: branin 2.1e-5 / 3.5e-5 / 4.8e-5 against 2.1e-5, hartmann6 0.0016 /
 * 0.050 / 0.0070 against 0.0047, the README function 0.31 / 0.19 / 0.28
 * against 0.48, counting ones 0.49 / 0.51 / 0.29 against 0.61: 75 %
 * efficiency or better on all four (concurrency 1 matches concurrency 8's
 * 200 trials at 162, 187 and 160 trials on the last three: 81, 94 and 80 %;
 * on branin both stop at the same grid point, which concurrency 1 reaches by
 * 135). Only the default meets it on hartmann6, where refining decides; on
 * counting ones the constant liar alone ends lower at 200 (0.29), though not
 * at 150 (0.84 against 0.64). Far below Optuna's constant-liar TPE at
 * concurrency 8 on all four (BENCHMARKS.md, "Concurrency 8 against 1").
 *
 * `mode: 'hpbandster'` restores every published rule (algorithms.md
 * §3.3-3.6), except that categorical bandwidths are capped at 1 and kernels
 * use the declared number of levels (HpBandSter's issue 100).
 *
 * ## Example
 * ```ts
 * import { hyperopt, BOHB, linrange, explinrange } from 'hyperopt-rx';
 * const ho = await hyperopt(
 *   { space: { a: linrange(1, 5, 1000), b: [true, false], c: explinrange(-1, 3, 1000) }, iterations: 100,
 *     sampler: new BOHB({ seed: 1 }) },
 *   ({ a, b, c }) => 100 + (a - 3) ** 2 + (b ? 10 : 20) + (c - 100) ** 2,
 * );
 * ho.printmin();
 * ```
 * @see Hyperband for BOHB proper (`new Hyperband({ R, inner: new BOHB() })`)
 */
export class BOHB implements Sampler {
  readonly name = 'BOHB';
  readonly seed: number | string;
  readonly dims: Dimensions | undefined;
  readonly mode: 'default' | 'hpbandster';
  readonly rho: number;
  readonly q: number;
  readonly Ns: number;
  readonly bwFactor: number;
  readonly minBandwidth: number;
  readonly Nmin: number | undefined;
  readonly maxGood: number;
  readonly priorWeight: number;
  readonly kernel: 'joint' | 'hybrid';
  readonly local: number;
  readonly refine: number;
  readonly window: number;
  readonly batch: 'kmeans' | 'none';
  readonly believer: 'linear' | 'none';
  /** Everything the mode decides, picked once. */
  readonly #policy: BohbPolicyClass;

  constructor(options: BOHBOptions = {}) {
    checkOptions('BOHB', options, KNOWN);
    this.mode = checkOneOf('mode', options.mode ?? 'default', ['default', 'hpbandster'] as const);
    const hp = this.mode === 'hpbandster';
    this.seed = checkSeed('seed', options.seed ?? randomSeed());
    this.dims = checkDims(options.dims);
    this.rho = checkUnit('rho', options.rho ?? (hp ? 1 / 3 : 0), true);
    this.q = checkUnit('q', options.q ?? 0.15, false);
    this.Ns = checkPositiveInteger('Ns', options.Ns ?? 64);
    if (this.Ns > MAX_BOHB_CANDIDATES) throw new ArgumentError('Ns', `must be at most ${MAX_BOHB_CANDIDATES} (MAX_BOHB_CANDIDATES), got ${this.Ns}`);
    this.bwFactor = checkPositive('bwFactor', options.bwFactor ?? (hp ? 3 : 0.25));
    this.minBandwidth = checkPositive('minBandwidth', options.minBandwidth ?? 1e-3);
    this.Nmin = options.Nmin === undefined ? undefined : checkPositiveInteger('Nmin', options.Nmin);
    this.maxGood = checkPositiveInteger('maxGood', options.maxGood ?? 25);
    this.priorWeight = checkNonNegative('priorWeight', options.priorWeight ?? 1);
    this.local = checkUnit('local', options.local ?? 0.1, true);
    this.refine = checkUnit('refine', options.refine ?? (hp ? 0 : 0.125), true);
    this.window = checkPositiveInteger('window', options.window ?? 150);
    this.kernel = checkOneOf('kernel', options.kernel ?? 'hybrid', ['joint', 'hybrid'] as const);
    this.batch = checkOneOf('batch', options.batch ?? 'kmeans', ['kmeans', 'none'] as const);
    this.believer = checkOneOf('believer', options.believer ?? 'linear', ['linear', 'none'] as const);
    this.#policy = hp ? HpBandSterPolicy : DefaultPolicy;
  }

  validate(space: Space): void {
    resolveDimensions(space, this.dims, 'dims');
  }

  candidates(space: Space, context: SamplerContext): Observable<Candidate> {
    const { start } = context;
    const keys = Object.keys(space);
    const entries = keys.map((k) => space[k]);
    const dims = resolveDimensions(space, this.dims, 'dims');
    const d = keys.length;
    const Policy = this.#policy;
    const kinds = dims.map((dim) => Policy.kindOf(dim));
    const levels = dims.map((dim, j) => (dim.kind === 'continuous' ? 0 : (entries[j] as readonly unknown[]).length));
    const options: ModelOptions = { ...this.#settings(), Nmin: Policy.minObservations(d, this.Nmin) };
    return defer(() => {
      // A continuation must not replay the first run's random draws.
      const rng = createRng(start > 0 ? `${this.seed}:${start}` : this.seed);
      const model = new BohbModel(new Policy({ kinds, levels }, options), this.rho);
      const indexes = entries.map((entry) => (isRange(entry) ? undefined : indexMap(entry)));
      const encode = (params: Record<string, unknown>): Float64Array | undefined => {
        const x = new Float64Array(d);
        for (let j = 0; j < d; j++) {
          const entry = entries[j];
          const value = params[keys[j]];
          if (isRange(entry)) {
            const u = toUnit(entry, value);
            if (!Number.isFinite(u)) return undefined;
            x[j] = Math.min(1, Math.max(0, u));
            continue;
          }
          const k = indexes[j]!.get(value);
          if (k === undefined) return undefined;
          x[j] = kinds[j] === CONTINUOUS ? (k + 0.5) / entry.length : k;
        }
        return x;
      };
      return modelCandidates(context, {
        model,
        encode,
        // Failed and pruned trials count as the worst; NaN too (the model maps it to +∞); −∞ as the mode says.
        lossOf: (trial) => (trial.status === 'ok' ? Policy.lossOf(trial.value) : Infinity),
        propose: () => model.propose(rng) ?? priorDraw(kinds, levels, rng),
        decode: (x) => decode(keys, entries, kinds, x),
      });
    });
  }

  toJSON(): object {
    return {
      name: this.name,
      seed: this.seed,
      mode: this.mode,
      ...this.#settings(),
      Nmin: this.Nmin,
      ...(this.dims === undefined ? {} : { dims: this.dims }),
    };
  }

  /** The model's settings, shared by the model and the recorded description. */
  #settings() {
    const { rho, q, Ns, bwFactor, minBandwidth, maxGood, priorWeight, kernel, local, refine, window, batch, believer } = this;
    return { rho, q, Ns, bwFactor, minBandwidth, maxGood, priorWeight, kernel, local, refine, window, batch, believer };
  }
}

/** Candidate → index, by identity (a Map is SameValueZero: NaN finds NaN; ±0 merge, harmlessly). */
function indexMap(vector: readonly unknown[]): Map<unknown, number> {
  const m = new Map<unknown, number>();
  for (let k = vector.length - 1; k >= 0; k--) m.set(vector[k], k);
  return m;
}

function priorDraw(kinds: readonly number[], levels: readonly number[], rng: Rng): Float64Array {
  const x = new Float64Array(kinds.length);
  for (let j = 0; j < kinds.length; j++) x[j] = kinds[j] === CONTINUOUS ? rng() : Math.min(levels[j] - 1, Math.floor(rng() * levels[j]));
  return x;
}

function decode(keys: string[], entries: (readonly unknown[] | Range)[], kinds: readonly number[], x: Float64Array): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (let j = 0; j < keys.length; j++) {
    const entry = entries[j];
    setOwn(params, keys[j], kinds[j] === CONTINUOUS ? fromUnit(entry, Math.min(x[j], 1 - 1e-12)) : (entry as readonly unknown[])[x[j]]);
  }
  return params;
}

function checkUnit(option: string, value: unknown, closed: boolean): number {
  if (typeof value !== 'number' || !(closed ? value >= 0 && value <= 1 : value > 0 && value < 1)) {
    throw new ArgumentError(option, `must be a number in ${closed ? '[0, 1]' : '(0, 1)'}, got ${show(value)}`);
  }
  return value;
}

function checkPositive(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ArgumentError(option, `must be a finite number > 0, got ${show(value)}`);
  return value;
}

function checkNonNegative(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ArgumentError(option, `must be a finite number >= 0, got ${show(value)}`);
  return value;
}
