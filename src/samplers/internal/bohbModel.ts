import type { Rng } from './rng.js';
import {
  LOG_SQRT_2PI,
  normalReferenceBandwidth,
  sampleAitchisonAitken,
  sampleKeepOrUniform,
  sampleTruncatedGaussian,
  sampleWangRyzin,
  unitMass,
} from './kde.js';

/** Encoded dimension kinds: continuous on [0, 1], ordered or unordered level indices. */
export const CONTINUOUS = 0;
export const ORDERED = 1;
export const UNORDERED = 2;

/** How BOHB sees the space: one kind and level count per dimension. */
export interface Encoding {
  readonly kinds: readonly number[];
  /** Levels of a categorical dimension (0 for continuous ones). */
  readonly levels: readonly number[];
}

/** Resolved options of the model (BOHB validates them). */
export interface ModelOptions {
  /** 'hpbandster': HpBandSter's rules exactly (algorithms.md §3.3-3.6); 'default': the measured improvements. */
  readonly mode: 'default' | 'hpbandster';
  readonly rho: number;
  readonly q: number;
  readonly Ns: number;
  readonly bwFactor: number;
  readonly minBandwidth: number;
  /** Observations a budget needs before its model is used. */
  readonly Nmin: number;
  /** Default mode: most observations in the good set. */
  readonly maxGood: number;
  /** Default mode: weight of the uniform prior component in l and g, in observations. */
  readonly priorWeight: number;
  /** Default mode: 'joint' scores whole configurations by l/g; 'independent' picks each dimension by its marginal l/g (univariate TPE). */
  readonly kernel: 'joint' | 'independent';
}

/**
 * One product-kernel density, ready to evaluate in log space: per point and
 * dimension the precomputed log-normaliser (and 1/h for continuous ones), so
 * a density evaluation is n·d multiply-adds and n exps.
 */
export interface Density {
  readonly n: number;
  readonly d: number;
  readonly centres: Float64Array;
  /** Kernel bandwidth per point and dimension (proposal draws use it × bwFactor where continuous). */
  readonly h: Float64Array;
  readonly invH: Float64Array;
  /** Continuous: log of the kernel's peak; categorical: log of the kernel at the centre's own level. */
  readonly logPeak: Float64Array;
  /** Categorical: log of the kernel at another level (AA) or log h (WR). */
  readonly logOther: Float64Array;
  /** log weight of each point, normalised together with the prior. */
  readonly logW: Float64Array;
  /** log of the prior component's weight times its density (uniform), or -Infinity. */
  readonly logPrior: number;
  /** log of the prior component's weight alone. */
  readonly logPriorWeight: number;
  /** Cumulative weights (points then prior) for drawing a component. */
  readonly cumW: Float64Array;
  readonly truncated: boolean;
}

export interface Observation {
  readonly x: Float64Array;
  readonly loss: number;
}

export interface Fitted {
  readonly good: Density;
  readonly bad: Density;
}

/**
 * The run state of a BOHB sampler (one per subscription): observations per
 * budget, the model fitted on the largest budget with enough of them, and
 * proposals that maximise l(x)/g(x).
 */
export class BohbModel {
  readonly #enc: Encoding;
  readonly #o: ModelOptions;
  readonly #d: number;
  readonly #byBudget = new Map<string, { budget: number; obs: Observation[] }>();
  /** Proposals in flight (default mode counts them as bad observations: constant liar). */
  readonly #pending = new Map<number, Float64Array>();
  #fitted: Fitted | undefined;
  #dirty = true;
  // Scratch buffers reused by every evaluation.
  #scratch = new Float64Array(64);

  constructor(encoding: Encoding, options: ModelOptions) {
    this.#enc = encoding;
    this.#o = options;
    this.#d = encoding.kinds.length;
  }

  /** Records one finished evaluation; a non-finite loss counts as the worst (+∞). */
  observe(x: Float64Array, loss: number, budget: number | undefined, id?: number): void {
    const key = budgetKey(budget);
    let entry = this.#byBudget.get(key);
    if (!entry) this.#byBudget.set(key, (entry = { budget: budget ?? 0, obs: [] }));
    entry.obs.push({ x, loss: Number.isFinite(loss) ? loss : Infinity });
    if (id !== undefined) this.#pending.delete(id);
    this.#dirty = true;
  }

  /** Forgets a proposal in flight (its result came back or will never come). */
  settle(id: number): void {
    if (this.#pending.delete(id)) this.#dirty = true;
  }

  /** Marks a proposal as in flight, bounded so that lost results cannot grow it forever. */
  pend(id: number, x: Float64Array, limit: number): void {
    this.#pending.set(id, x);
    while (this.#pending.size > limit) this.#pending.delete(this.#pending.keys().next().value as number);
    if (this.#o.mode === 'default') this.#dirty = true;
  }

  /** The observations of the budget the model is (or would be) fitted on. */
  modelObservations(): Observation[] | undefined {
    let best: { budget: number; obs: Observation[] } | undefined;
    for (const entry of this.#byBudget.values()) {
      if (this.#usable(entry.obs.length) && (!best || entry.budget > best.budget)) best = entry;
    }
    return best?.obs;
  }

  #usable(n: number): boolean {
    if (this.#o.mode === 'hpbandster') {
      // HpBandSter: n_good = max(Nmin, ⌊qN⌋) rows and the rest must each hold more than d rows.
      const { nGood, nBad } = this.#split(n);
      return nGood > this.#d && nBad > this.#d && n >= this.#o.Nmin;
    }
    return n >= this.#o.Nmin;
  }

  #split(n: number): { nGood: number; nBad: number } {
    const { q, Nmin, mode, maxGood } = this.#o;
    if (mode === 'hpbandster') {
      // Integer percent arithmetic as HpBandSter does it; the bad set is truncated at n (Python slicing).
      const pct = Math.round(q * 100);
      const nGood = Math.min(n, Math.max(Nmin, Math.floor((pct * n) / 100)));
      const nBadWanted = Math.max(Nmin, Math.floor(((100 - pct) * n) / 100));
      return { nGood, nBad: Math.max(0, Math.min(nBadWanted, n - nGood)) };
    }
    const nGood = Math.min(maxGood, Math.max(1, Math.ceil(q * n - 1e-9)));
    return { nGood, nBad: n - nGood };
  }

  /** Refits if needed; undefined when no budget has enough observations yet. */
  fit(): Fitted | undefined {
    if (!this.#dirty) return this.#fitted;
    this.#dirty = false;
    const obs = this.modelObservations();
    if (!obs) return (this.#fitted = undefined);
    // Stable sort by loss: ties keep arrival order, +∞ last.
    const order = obs.map((_, i) => i).sort((a, b) => obs[a].loss - obs[b].loss || a - b);
    const { nGood, nBad } = this.#split(obs.length);
    const good = order.slice(0, nGood).map((i) => obs[i].x);
    const bad = order.slice(nGood, nGood + nBad).map((i) => obs[i].x);
    if (this.#o.mode === 'hpbandster') {
      return (this.#fitted = { good: this.#fitHpBandSter(good), bad: this.#fitHpBandSter(bad) });
    }
    for (const x of this.#pending.values()) bad.push(x);
    return (this.#fitted = { good: this.#fitDefault(good), bad: this.#fitDefault(bad) });
  }

  /** statsmodels' KDEMultivariate with normal-reference bandwidths floored at minBandwidth. */
  #fitHpBandSter(rows: Float64Array[]): Density {
    const d = this.#d;
    const n = rows.length;
    const hDim = new Float64Array(d);
    const col = new Float64Array(n);
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < n; i++) col[i] = rows[i][j];
      let h = Math.max(normalReferenceBandwidth(col, d), this.#o.minBandwidth);
      // Deviation from statsmodels: categorical h capped at 1 (1 - h < 0 is no probability).
      if (this.#enc.kinds[j] !== CONTINUOUS) h = Math.min(h, 1);
      hDim[j] = h;
    }
    return this.#density(rows, (_, j) => hDim[j], new Float64Array(n).fill(1), 0, false);
  }

  /**
   * Default mode: TPE-like. Every continuous kernel is a Gaussian truncated
   * to [0, 1] whose width is the larger gap to its neighbours in that
   * dimension (Optuna's univariate rule), clipped to [1/min(100, n + 1), 1];
   * categorical kernels smooth like Optuna's (prior mass 1/n per level); a
   * uniform prior component of weight `priorWeight` keeps every region alive.
   */
  #fitDefault(rows: Float64Array[]): Density {
    const d = this.#d;
    const n = rows.length;
    const { kinds, levels } = this.#enc;
    const h = new Float64Array(n * d);
    const minH = Math.max(this.#o.minBandwidth, 1 / Math.min(100, n + 1));
    const idx = new Array<number>(n);
    for (let j = 0; j < d; j++) {
      if (kinds[j] === CONTINUOUS) {
        for (let i = 0; i < n; i++) idx[i] = i;
        idx.sort((a, b) => rows[a][j] - rows[b][j]);
        for (let r = 0; r < n; r++) {
          const v = rows[idx[r]][j];
          const left = r > 0 ? v - rows[idx[r - 1]][j] : v;
          const right = r < n - 1 ? rows[idx[r + 1]][j] - v : 1 - v;
          h[idx[r] * d + j] = Math.min(1, Math.max(minH, left, right));
        }
      } else {
        const L = levels[j];
        const hc = (L - 1) / (n + L);
        for (let i = 0; i < n; i++) h[i * d + j] = hc;
      }
    }
    return this.#density(rows, (i, j) => h[i * d + j], new Float64Array(n).fill(1), this.#o.priorWeight, true);
  }

  #density(rows: Float64Array[], bw: (i: number, j: number) => number, weights: Float64Array, priorWeight: number, truncated: boolean): Density {
    const d = this.#d;
    const n = rows.length;
    const { kinds, levels } = this.#enc;
    const centres = new Float64Array(n * d);
    const h = new Float64Array(n * d);
    const invH = new Float64Array(n * d);
    const logPeak = new Float64Array(n * d);
    const logOther = new Float64Array(n * d);
    let total = priorWeight;
    for (let i = 0; i < n; i++) total += weights[i];
    const logW = new Float64Array(n);
    const cumW = new Float64Array(n + 1);
    let acc = 0;
    for (let i = 0; i < n; i++) {
      logW[i] = Math.log(weights[i] / total);
      acc += weights[i] / total;
      cumW[i] = acc;
      for (let j = 0; j < d; j++) {
        const k = i * d + j;
        const m = rows[i][j];
        const hk = bw(i, j);
        centres[k] = m;
        h[k] = hk;
        if (kinds[j] === CONTINUOUS) {
          invH[k] = 1 / hk;
          logPeak[k] = -Math.log(hk) - LOG_SQRT_2PI - (truncated ? Math.log(unitMass(m, hk)) : 0);
        } else if (kinds[j] === UNORDERED) {
          logPeak[k] = Math.log(1 - hk);
          logOther[k] = levels[j] > 1 ? Math.log(hk / (levels[j] - 1)) : -Infinity;
        } else {
          logPeak[k] = Math.log(1 - hk);
          logOther[k] = Math.log(hk);
        }
      }
    }
    cumW[n] = 1;
    let logPrior = -Infinity;
    const logPriorWeight = priorWeight > 0 ? Math.log(priorWeight / total) : -Infinity;
    if (priorWeight > 0) {
      logPrior = logPriorWeight;
      for (let j = 0; j < d; j++) if (kinds[j] !== CONTINUOUS) logPrior -= Math.log(levels[j]);
    }
    return { n, d, centres, h, invH, logPeak, logOther, logW, logPrior, logPriorWeight, cumW, truncated };
  }

  /** log density of x under one fitted set. */
  logPdf(density: Density, x: Float64Array): number {
    const { n, d, centres, invH, logPeak, logOther, logW, truncated } = density;
    const kinds = this.#enc.kinds;
    if (this.#scratch.length < n) this.#scratch = new Float64Array(2 * n);
    const s = this.#scratch;
    let max = density.logPrior;
    for (let i = 0; i < n; i++) {
      let t = logW[i];
      const base = i * d;
      for (let j = 0; j < d; j++) {
        const k = base + j;
        const kind = kinds[j];
        if (kind === CONTINUOUS) {
          const z = (x[j] - centres[k]) * invH[k];
          t += logPeak[k] - 0.5 * z * z;
        } else if (kind === UNORDERED) {
          t += x[j] === centres[k] ? logPeak[k] : logOther[k];
        } else {
          // Wang–Ryzin: 1 - h at the level, ½(1 - h)·h^|Δ| elsewhere.
          const dist = Math.abs(x[j] - centres[k]);
          t += dist === 0 ? logPeak[k] : logPeak[k] - Math.LN2 + dist * logOther[k];
        }
      }
      s[i] = t;
      if (t > max) max = t;
    }
    if (max === -Infinity) return -Infinity;
    let sum = density.logPrior === -Infinity ? 0 : Math.exp(density.logPrior - max);
    for (let i = 0; i < n; i++) sum += Math.exp(s[i] - max);
    void truncated;
    return max + Math.log(sum);
  }

  /**
   * The next configuration, encoded; `undefined` means "draw from the
   * prior" (no model yet, or the random fraction ρ).
   */
  propose(rng: Rng): Float64Array | undefined {
    const fitted = this.fit();
    const { rho } = this.#o;
    // Same order of draws in both modes: the ρ coin first, as HpBandSter does.
    if (!fitted || (rho > 0 && rng() < rho)) return undefined;
    if (this.#o.mode === 'hpbandster') return this.#proposeHpBandSter(fitted, rng);
    return this.#o.kernel === 'independent' ? this.#proposeIndependent(fitted, rng) : this.#proposeDefault(fitted, rng);
  }

  /** HpBandSter's get_config: Ns draws around random good rows, the one minimising max(g, 1e-32)/max(l, 1e-32). */
  #proposeHpBandSter({ good, bad }: Fitted, rng: Rng): Float64Array | undefined {
    const { Ns, bwFactor, minBandwidth } = this.#o;
    const { kinds, levels } = this.#enc;
    const d = this.#d;
    let best: Float64Array | undefined;
    let bestScore = Infinity;
    for (let s = 0; s < Ns; s++) {
      const row = Math.min(good.n - 1, Math.floor(rng() * good.n));
      const x = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        const k = row * d + j;
        const m = good.centres[k];
        const h = Math.max(good.h[k], minBandwidth);
        x[j] = kinds[j] === CONTINUOUS ? sampleTruncatedGaussian(m, bwFactor * h, rng) : sampleKeepOrUniform(m, h, levels[j], rng);
      }
      const l = Math.exp(this.logPdf(good, x));
      const g = Math.exp(this.logPdf(bad, x));
      const score = Math.max(1e-32, g) / Math.max(l, 1e-32);
      if (!Number.isFinite(score)) {
        if (Number.isFinite(l)) {
          best = x;
          break;
        }
        continue;
      }
      if (score < bestScore) {
        best = x;
        bestScore = score;
      }
    }
    return best;
  }

  /** log marginal density of dimension j at v under one fitted set. */
  logMarginal(density: Density, j: number, v: number): number {
    const { n, d, centres, invH, logPeak, logOther, logW } = density;
    const kind = this.#enc.kinds[j];
    if (this.#scratch.length < n) this.#scratch = new Float64Array(2 * n);
    const s = this.#scratch;
    let logPrior = density.logPriorWeight;
    if (kind !== CONTINUOUS) logPrior -= Math.log(this.#enc.levels[j]);
    let max = logPrior;
    for (let i = 0; i < n; i++) {
      const k = i * d + j;
      let t = logW[i];
      if (kind === CONTINUOUS) {
        const z = (v - centres[k]) * invH[k];
        t += logPeak[k] - 0.5 * z * z;
      } else if (kind === UNORDERED) {
        t += v === centres[k] ? logPeak[k] : logOther[k];
      } else {
        const dist = Math.abs(v - centres[k]);
        t += dist === 0 ? logPeak[k] : logPeak[k] - Math.LN2 + dist * logOther[k];
      }
      s[i] = t;
      if (t > max) max = t;
    }
    if (max === -Infinity) return -Infinity;
    let sum = logPrior === -Infinity ? 0 : Math.exp(logPrior - max);
    for (let i = 0; i < n; i++) sum += Math.exp(s[i] - max);
    return max + Math.log(sum);
  }

  /** Univariate TPE: every dimension on its own, the best of Ns draws from its marginal l by l/g. */
  #proposeIndependent({ good, bad }: Fitted, rng: Rng): Float64Array {
    const { Ns, bwFactor } = this.#o;
    const { kinds, levels } = this.#enc;
    const d = this.#d;
    const x = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let bestScore = -Infinity;
      let bestV = NaN;
      for (let s = 0; s < Ns; s++) {
        const v = drawKernel(good, kinds[j], levels[j], pickComponent(good.cumW, good.n, rng()), j, bwFactor, rng);
        const score = this.logMarginal(good, j, v) - this.logMarginal(bad, j, v);
        if (s === 0 || score > bestScore) {
          bestScore = score;
          bestV = v;
        }
      }
      x[j] = bestV;
    }
    return x;
  }

  /** Default mode: Ns draws from l itself (prior component included), the one maximising log l - log g. */
  #proposeDefault({ good, bad }: Fitted, rng: Rng): Float64Array {
    const { Ns, bwFactor } = this.#o;
    const { kinds, levels } = this.#enc;
    const d = this.#d;
    let best: Float64Array | undefined;
    let bestScore = -Infinity;
    for (let s = 0; s < Ns; s++) {
      const x = new Float64Array(d);
      const row = pickComponent(good.cumW, good.n, rng());
      if (row === good.n) {
        for (let j = 0; j < d; j++) x[j] = kinds[j] === CONTINUOUS ? rng() : Math.min(levels[j] - 1, Math.floor(rng() * levels[j]));
      } else {
        for (let j = 0; j < d; j++) {
          const k = row * d + j;
          const m = good.centres[k];
          const h = good.h[k];
          if (kinds[j] === CONTINUOUS) x[j] = sampleTruncatedGaussian(m, Math.min(1, bwFactor * h), rng);
          else if (kinds[j] === UNORDERED) x[j] = sampleAitchisonAitken(m, h, levels[j], rng);
          else x[j] = sampleWangRyzin(m, h, levels[j], rng);
        }
      }
      const score = this.logPdf(good, x) - this.logPdf(bad, x);
      if (best === undefined || score > bestScore) {
        best = x;
        bestScore = score;
      }
    }
    return best!;
  }
}

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

/** Budgets keyed at 12 significant digits: 50/3 computed two ways is one budget. */
export function budgetKey(budget: number | undefined): string {
  return budget === undefined ? '-' : Number(budget.toPrecision(12)).toString();
}
