import type { Dimension } from '../../space/Dimension.js';
import type { Rng } from '../internal/rng.js';
import { normalReferenceBandwidth, sampleKeepOrUniform, sampleTruncatedGaussian } from '../internal/kde.js';
import { CONTINUOUS, UNORDERED, type Encoding } from './Encoding.js';
import type { ModelOptions } from './ModelOptions.js';
import type { Observation } from './ObservationStore.js';
import { fitDensity, type Density } from './Density.js';
import { DensityEvaluator } from './DensityEvaluator.js';
import type { BohbPolicy, Fitted } from './BohbPolicy.js';

/** `mode: 'hpbandster'`: HpBandSter's rules exactly (algorithms.md §3.3-3.6). */
export class HpBandSterPolicy implements BohbPolicy {
  /** HpBandSter has no ordered kernel: every categorical is Aitchison–Aitken there. */
  static kindOf(dim: Dimension): number {
    return dim.kind === 'continuous' ? CONTINUOUS : UNORDERED;
  }

  /** HpBandSter counts every non-finite loss, −∞ too, as the worst. */
  static lossOf(value: number): number {
    return Number.isFinite(value) ? value : Infinity;
  }

  /** At least d + 1, as HpBandSter's min_points_in_model. */
  static minObservations(d: number, Nmin: number | undefined): number {
    return Math.max(d + 1, Nmin ?? 0);
  }

  readonly #enc: Encoding;
  readonly #o: ModelOptions;
  readonly #d: number;
  readonly #evaluator: DensityEvaluator;

  constructor(encoding: Encoding, options: ModelOptions) {
    this.#enc = encoding;
    this.#o = options;
    this.#d = encoding.kinds.length;
    this.#evaluator = new DensityEvaluator(encoding);
  }

  usable(n: number): boolean {
    // statsmodels needs more rows than columns in both sets: first model at 2(d + 1) observations.
    const { nGood, nBad } = this.#split(n);
    return n >= this.#o.Nmin && nGood > this.#d && nBad > this.#d;
  }

  #split(n: number): { nGood: number; nBad: number } {
    const { q, Nmin } = this.#o;
    // Integer percent arithmetic as HpBandSter does it; the bad set is truncated at n (Python slicing).
    const pct = Math.round(q * 100);
    const nGood = Math.min(n, Math.max(Nmin, Math.floor((pct * n) / 100)));
    const nBadWanted = Math.max(Nmin, Math.floor(((100 - pct) * n) / 100));
    return { nGood, nBad: Math.max(0, Math.min(nBadWanted, n - nGood)) };
  }

  fit(sorted: readonly Observation[]): Fitted {
    const { nGood, nBad } = this.#split(sorted.length);
    const good = sorted.slice(0, nGood).map((o) => o.x);
    const bad = sorted.slice(nGood, nGood + nBad).map((o) => o.x);
    return { good: this.#fit(good), bad: this.#fit(bad) };
  }

  /** statsmodels' KDEMultivariate with normal-reference bandwidths floored at minBandwidth. */
  #fit(rows: Float64Array[]): Density {
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
    const h = new Float64Array(n * d);
    for (let i = 0; i < n; i++) h.set(hDim, i * d);
    return fitDensity(this.#enc, rows, h, 0, false);
  }

  /** HpBandSter's get_config: Ns draws around random good rows, the one minimising max(g, 1e-32)/max(l, 1e-32). */
  propose({ good, bad }: Fitted, rng: Rng): Float64Array | undefined {
    const { Ns, bwFactor, minBandwidth } = this.#o;
    const { kinds, levels } = this.#enc;
    const d = this.#d;
    const evaluator = this.#evaluator;
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
      const l = Math.exp(evaluator.logPdf(good, x));
      const g = Math.exp(evaluator.logPdf(bad, x));
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

  /** HpBandSter draws without regard to configurations in flight. */
  pend(): boolean {
    return false;
  }

  settle(): boolean {
    return false;
  }
}
