import type { Dimension } from '../../space/Dimension.js';
import type { Rng } from '../internal/rng.js';
import { sampleAitchisonAitken, sampleTruncatedGaussian, sampleWangRyzin } from '../internal/kde.js';
import { CONTINUOUS, ORDERED, UNORDERED, type Encoding } from './Encoding.js';
import type { ModelOptions } from './ModelOptions.js';
import type { Observation } from './ObservationStore.js';
import { fitDensity, type Density } from './Density.js';
import { DensityEvaluator } from './DensityEvaluator.js';
import type { BohbPolicy, Fitted } from './BohbPolicy.js';
import { features, selectFromBatch } from './KMeansBatch.js';
import { localLinearBelief } from './localLinearBelief.js';
import { localQuadraticStep } from './localQuadraticStep.js';

/** The k-means batch rule clusters the best quarter of the candidates (the acquisition's good region). */
const BATCH_TOP = 0.25;

/** Refinement steps remembered in flight at most (lost results must not grow them forever). */
const MAX_STEPS_IN_FLIGHT = 1024;

/** Results a model needs however many configurations are in flight: one for the good set, one for the bad. */
const MIN_RESULTS = 2;

/**
 * `mode: 'default'`: the measured improvements on HpBandSter that BOHB's
 * documentation lists (bandwidths, truncation and a prior component, the
 * good-set cap, Wang–Ryzin for ordered levels, hybrid scores, coordinate
 * moves, the bad-set window, and for configurations in flight k-means batch
 * selection with a believer, or bad observations with `batch: 'none'`).
 */
export class DefaultPolicy implements BohbPolicy {
  static kindOf(dim: Dimension): number {
    if (dim.kind === 'continuous') return CONTINUOUS;
    return dim.kind === 'categorical' ? ORDERED : UNORDERED;
  }

  /** −∞ is the best a run can find. */
  static lossOf(value: number): number {
    return value;
  }

  static minObservations(_d: number, Nmin: number | undefined): number {
    return Nmin ?? 10;
  }

  readonly #enc: Encoding;
  readonly #o: ModelOptions;
  readonly #d: number;
  readonly #evaluator: DensityEvaluator;
  /** Proposals in flight: bad observations (constant liar) with `batch: 'none'`; with 'kmeans', claimed groups and believed observations. */
  readonly #pending = new Map<number, Float64Array>();
  readonly #kmeans: boolean;
  /** Configurations in flight predicted good are observed at their prediction (k-means rule only). */
  readonly #believer: boolean;
  readonly #featureRows = new WeakMap<Float64Array, number[]>();
  /** The last fit's real observations, best first (the refinement steps fit to results only, never to beliefs). */
  #observed: readonly Observation[] = [];
  /** Proposals that were refinement steps. */
  readonly #steps = new WeakSet<Float64Array>();
  /**
   * Refinement steps in flight by id, apart from the bounded `#pending`: with
   * more asks outstanding than it holds (ask/tell, serve), a step that fell
   * out of it was proposed again, the fit being unchanged.
   */
  readonly #stepsInFlight = new Map<number, Float64Array>();
  // Scratch buffers for the marginal densities of one candidate.
  readonly #gMarg: Float64Array;
  readonly #lMarg: Float64Array;

  constructor(encoding: Encoding, options: ModelOptions) {
    this.#enc = encoding;
    this.#o = options;
    this.#d = encoding.kinds.length;
    this.#evaluator = new DensityEvaluator(encoding);
    this.#kmeans = options.batch === 'kmeans';
    this.#believer = this.#kmeans && options.believer === 'linear';
    this.#gMarg = new Float64Array(this.#d);
    this.#lMarg = new Float64Array(this.#d);
  }

  /**
   * `Nmin` counts configurations in flight too, once two results are in (one
   * good, one bad): a run at any concurrency then starts its model at the
   * trial a sequential run would, instead of drawing its first `Nmin`
   * observations plus one per configuration in flight at random. Measured at
   * concurrency 8 over 100 seeds, median regret at 200 trials: hartmann6
   * 0.056 against 0.080, the README function 0.46 against 0.49, counting
   * ones 0.72 against 0.75, branin 0.0016 against 0.00067.
   */
  usable(n: number): boolean {
    return n >= this.#o.Nmin || (n >= MIN_RESULTS && n + this.#pending.size >= this.#o.Nmin);
  }

  fit(observed: readonly Observation[]): Fitted {
    const { window } = this.#o;
    this.#observed = observed;
    const sorted = this.#believed(observed);
    const nGood = this.#goodCount(sorted.length);
    const good = sorted.slice(0, nGood).map((o) => o.x);
    const oldest = sorted.length - window;
    const bad: Float64Array[] = [];
    for (let r = nGood; r < sorted.length; r++) if (sorted[r].seq >= oldest) bad.push(sorted[r].x);
    if (!this.#kmeans) for (const x of this.#pending.values()) bad.push(x);
    return { good: this.#fit(good), bad: this.#fit(bad) };
  }

  #goodCount(n: number): number {
    return Math.min(this.#o.maxGood, Math.max(1, Math.ceil(this.#o.q * n - 1e-9)));
  }

  /**
   * The observations, with `believer: 'linear'` (k-means rule only) joined
   * by each configuration in flight whose local linear prediction is at or
   * below the good set's threshold, at that prediction but never better
   * than the best observed (the incumbent stays a real result); best first.
   * They count as if their results were in: the split into good and bad is
   * made over all, so they tighten the good set around themselves (at the
   * `maxGood` cap pushing its worst members into the bad set, as real
   * results would) and a draw made while they run refines around them as a
   * sequential run would. Configurations in flight predicted worse stay out,
   * spread by the k-means rule instead. Measured against keeping the good
   * set's count and the bad set to real observations (100 seeds,
   * concurrency 8, 200 trials, before `usable` counted configurations in
   * flight: hartmann6 0.13 against 0.080, counting ones 0.93 against 0.75).
   */
  #believed(sorted: readonly Observation[]): readonly Observation[] {
    if (!this.#believer || this.#pending.size === 0) return sorted;
    const threshold = sorted[this.#goodCount(sorted.length) - 1].loss;
    // +∞ (failed, pruned) sorts last and −∞ first: the finite losses are a run between; a linear fit needs finite ones.
    let begin = 0;
    let end = sorted.length;
    while (end > 0 && !Number.isFinite(sorted[end - 1].loss)) end--;
    while (begin < end && !Number.isFinite(sorted[begin].loss)) begin++;
    const finite = sorted.slice(begin, end);
    const rows = finite.map((o) => this.#features(o.x));
    const losses = finite.map((o) => o.loss);
    const extra: Observation[] = [];
    for (const x of this.#pending.values()) {
      const loss = localLinearBelief(this.#features(x), rows, losses);
      if (loss <= threshold) extra.push({ x, loss: Math.max(sorted[0].loss, loss), seq: sorted.length + extra.length });
    }
    if (extra.length === 0) return sorted;
    // A merge, not a sort of all: the observations are sorted already and the believed are few.
    extra.sort((a, b) => a.loss - b.loss || a.seq - b.seq);
    const merged: Observation[] = [];
    let e = 0;
    for (const o of sorted) {
      // An observation goes first on a tie: its seq is always the smaller.
      while (e < extra.length && extra[e].loss < o.loss) merged.push(extra[e++]);
      merged.push(o);
    }
    while (e < extra.length) merged.push(extra[e++]);
    return merged;
  }

  /** A point's feature row, computed once: every refit asks for all of them again. */
  #features(x: Float64Array): number[] {
    let row = this.#featureRows.get(x);
    if (!row) this.#featureRows.set(x, (row = features(x, this.#enc)));
    return row;
  }

  /**
   * TPE-like: each continuous kernel is a Gaussian truncated to [0, 1] as
   * wide as the larger gap to its neighbours in that dimension (Optuna's
   * univariate rule), clipped to [1/min(100, n + 1), 1] so a tight cluster
   * cannot collapse; categorical kernels carry prior mass 1/n per level as
   * Optuna's do; a uniform prior component keeps every region alive.
   */
  #fit(rows: Float64Array[]): Density {
    const d = this.#d;
    const n = rows.length;
    const { kinds, levels } = this.#enc;
    const h = new Float64Array(n * d);
    const minH = Math.max(this.#o.minBandwidth, 1 / Math.min(100, n + 1));
    const idx = new Array<number>(n);
    const col = new Float64Array(n);
    for (let j = 0; j < d; j++) {
      if (kinds[j] === CONTINUOUS) {
        for (let i = 0; i < n; i++) col[i] = rows[i][j];
        sortedOrder(col, n, idx);
        for (let r = 0; r < n; r++) {
          const v = col[idx[r]];
          const left = r > 0 ? v - col[idx[r - 1]] : v;
          const right = r < n - 1 ? col[idx[r + 1]] - v : 1 - v;
          h[idx[r] * d + j] = Math.min(1, Math.max(minH, left, right));
        }
      } else {
        const hc = (levels[j] - 1) / (n + levels[j]);
        for (let i = 0; i < n; i++) h[i * d + j] = hc;
      }
    }
    return fitDensity(this.#enc, rows, h, this.#o.priorWeight, true);
  }

  propose(fitted: Fitted, rng: Rng): Float64Array {
    const step = this.#refineStep(rng);
    if (step) return step;
    const { local } = this.#o;
    if (local > 0 && rng() < local) return this.#proposeLocal(fitted, rng);
    return this.#proposeRatio(fitted, rng);
  }

  /**
   * A local quadratic step from the incumbent (localQuadraticStep), for a
   * `refine` share of the proposals. With k slots (the configurations in
   * flight plus this one) and k × refine at least 1 (at the default, from
   * concurrency 8 on), whenever fewer than k × refine slots hold one, so a
   * concurrent run refines as a sequential one does instead of each draw
   * waiting for the others' results; below, by a coin, as sequentially, with
   * at most one in flight. Undefined when none is due or none can be fitted.
   */
  #refineStep(rng: Rng): Float64Array | undefined {
    const { refine } = this.#o;
    if (refine === 0) return undefined;
    const steps = [...this.#stepsInFlight.values()];
    const slots = refine * (this.#pending.size + 1);
    const due = slots >= 1 ? steps.length < Math.round(slots) : steps.length === 0 && rng() < refine;
    if (!due) return undefined;
    const x = localQuadraticStep(this.#observed, this.#enc, steps, rng);
    if (x) this.#steps.add(x);
    return x;
  }

  /**
   * A coordinate move from the incumbent (the good set's first row): one
   * dimension changed, a categorical to another level, a continuous one
   * within its (narrowed) kernel. The l/g ratio never proposes a level that
   * only bad configurations have tried, even when that is all that is wrong.
   */
  #proposeLocal({ good }: Fitted, rng: Rng): Float64Array {
    const { kinds, levels } = this.#enc;
    const d = this.#d;
    const x = good.centres.slice(0, d);
    const j = Math.min(d - 1, Math.floor(rng() * d));
    if (kinds[j] === CONTINUOUS) x[j] = sampleTruncatedGaussian(x[j], Math.min(1, this.#drawWidth() * good.h[j]), rng);
    else if (levels[j] > 1) {
      const k = Math.min(levels[j] - 2, Math.floor(rng() * (levels[j] - 1)));
      x[j] = k >= x[j] ? k + 1 : k;
    }
    return x;
  }

  /**
   * Ns draws from l (its prior component included), the one with the
   * largest log l - log g. 'hybrid' recombines every other draw dimension
   * by dimension from different good points and adds each dimension's
   * marginal log-ratio to the score (separable structure, as univariate TPE
   * sees it). With configurations in flight, `batch: 'kmeans'` picks from
   * the best quarter of the draws by k-means (KMeansBatch); 'none' scores
   * fewer draws and takes the best.
   */
  #proposeRatio({ good, bad }: Fitted, rng: Rng): Float64Array {
    const { kernel } = this.#o;
    const bwFactor = this.#drawWidth();
    const pending = this.#pending.size;
    const batch = this.#kmeans && pending > 0;
    const Ns = this.#kmeans ? this.#o.Ns : draws(this.#o.Ns, pending);
    const { kinds, levels } = this.#enc;
    const d = this.#d;
    const hybrid = kernel === 'hybrid';
    const lMarg = hybrid ? this.#lMarg : undefined;
    const gMarg = hybrid ? this.#gMarg : undefined;
    const evaluator = this.#evaluator;
    const xs: Float64Array[] = [];
    const scores: number[] = [];
    let best: Float64Array | undefined;
    let bestScore = -Infinity;
    for (let s = 0; s < Ns; s++) {
      const x = new Float64Array(d);
      const recombine = hybrid && s % 2 === 1;
      const row = pickComponent(good.cumW, good.n, rng());
      for (let j = 0; j < d; j++) {
        x[j] = drawKernel(good, kinds[j], levels[j], recombine ? pickComponent(good.cumW, good.n, rng()) : row, j, bwFactor, rng);
      }
      let score = evaluator.evaluate(good, x, lMarg) - evaluator.evaluate(bad, x, gMarg);
      if (lMarg && gMarg) for (let j = 0; j < d; j++) score += lMarg[j] - gMarg[j];
      if (batch) {
        xs.push(x);
        scores.push(score);
      }
      if (best === undefined || score > bestScore) {
        best = x;
        bestScore = score;
      }
    }
    if (batch) return selectFromBatch({ xs, scores }, [...this.#pending.values()], this.#enc, BATCH_TOP, rng);
    return best!;
  }

  /**
   * The draws' kernel scale: `bwFactor`, times (d / 8)^3 above 8 dimensions.
   * A product kernel's draws reach a volume that shrinks like width^d, so in
   * many dimensions narrow draws stop moving the good set. Measured on the one
   * 16-dimensional benchmark problem (counting ones, 40 seeds, median regret
   * at 100 / 200 trials): 1.46 / 0.77 at scale 1, 1.54 / 0.65 at 2, 1.26 /
   * 0.56 at 8 (concurrency 8 at 200: 1.65, 1.38, 1.20). The 2-, 3- and
   * 6-dimensional problems are unchanged.
   */
  #drawWidth(): number {
    return this.#o.bwFactor * Math.max(1, this.#d / 8) ** 3;
  }

  /** Bounded, so that lost results cannot grow it forever. */
  pend(id: number, x: Float64Array, limit: number): boolean {
    this.#pending.set(id, x);
    while (this.#pending.size > limit) this.#pending.delete(this.#pending.keys().next().value as number);
    if (this.#steps.has(x)) {
      this.#stepsInFlight.set(id, x);
      while (this.#stepsInFlight.size > MAX_STEPS_IN_FLIGHT) this.#stepsInFlight.delete(this.#stepsInFlight.keys().next().value as number);
    }
    // With the k-means rule alone configurations in flight shape the selection, not the densities.
    return !this.#kmeans || this.#believer;
  }

  settle(id: number): boolean {
    this.#stepsInFlight.delete(id);
    return this.#pending.delete(id) && (!this.#kmeans || this.#believer);
  }
}

/**
 * Candidates scored for one proposal with `pending` configurations in
 * flight: Ns / (pending + 1)^(2/3). A draw that cannot see the last
 * `pending` results is made less greedy, so that the draws made while they
 * run do not all refine the same spot (at concurrency 8, over 100 seeds,
 * median regret at 200 trials drops by 11-16 % on the four benchmark problems).
 */
export function draws(Ns: number, pending: number): number {
  return pending === 0 ? Ns : Math.max(1, Math.round(Ns / Math.cbrt((pending + 1) ** 2)));
}

/** A draw from one component of a density in dimension j (row n is the uniform prior). */
function drawKernel(density: Density, kind: number, levels: number, row: number, j: number, bwFactor: number, rng: Rng): number {
  if (row === density.n) return kind === CONTINUOUS ? rng() : Math.min(levels - 1, Math.floor(rng() * levels));
  const k = row * density.d + j;
  const m = density.centres[k];
  const h = density.h[k];
  if (kind === CONTINUOUS) return sampleTruncatedGaussian(m, Math.min(1, bwFactor * h), rng);
  if (kind === UNORDERED) return sampleAitchisonAitken(m, h, levels, rng);
  return sampleWangRyzin(m, h, levels, rng);
}

function pickComponent(cumW: Float64Array, n: number, u: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cumW[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The permutation sorting col[0..n) ascending, into idx. Values in [0, 1] are
 * packed with their index into one double and sorted natively (far faster
 * than a comparator); quantised at 2^-32, which no bandwidth notices.
 */
function sortedOrder(col: Float64Array, n: number, idx: number[]): void {
  if (n > 2048) {
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort((a, b) => col[a] - col[b]);
    return;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = Math.floor(Math.min(1, Math.max(0, col[i])) * 4294967296) * 2048 + i;
  keys.sort();
  for (let r = 0; r < n; r++) idx[r] = keys[r] % 2048;
}
