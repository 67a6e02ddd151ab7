import type { Rng } from '../internal/rng.js';
import { ObservationStore } from './ObservationStore.js';
import type { BohbPolicy, Fitted } from './BohbPolicy.js';

/**
 * The run state of a BOHB sampler (one per subscription): observations per
 * budget, the model fitted on the largest budget with enough of them (refit
 * only after a change), and proposals from it; what differs between modes is
 * the policy's.
 */
export class BohbModel {
  readonly #policy: BohbPolicy;
  readonly #rho: number;
  readonly #store = new ObservationStore();
  #fitted: Fitted | undefined;
  #dirty = true;

  /** `rho`: the fraction of proposals left to the prior. */
  constructor(policy: BohbPolicy, rho: number) {
    this.#policy = policy;
    this.#rho = rho;
  }

  /** Records one finished evaluation (`id`: the proposal it answers); NaN counts as the worst (+∞), −∞ as the best. */
  observe(x: Float64Array, loss: number, budget: number | undefined, id?: number): void {
    this.#store.add(x, loss, budget);
    if (id !== undefined) this.#policy.settle(id);
    this.#dirty = true;
  }

  /** Forgets a proposal in flight (its result came back without a usable configuration). */
  settle(id: number): void {
    // Without a model, a proposal in flight can change whether a budget is usable.
    if (this.#policy.settle(id) || !this.#fitted) this.#dirty = true;
  }

  /** Marks a proposal as in flight, at most `limit` of them. */
  pend(id: number, x: Float64Array, limit: number): void {
    if (this.#policy.pend(id, x, limit) || !this.#fitted) this.#dirty = true;
  }

  /** Refits if anything changed; undefined while no budget has enough observations. */
  fit(): Fitted | undefined {
    if (!this.#dirty) return this.#fitted;
    this.#dirty = false;
    const sorted = this.#store.largest((count) => this.#policy.usable(count));
    return (this.#fitted = sorted && this.#policy.fit(sorted));
  }

  /**
   * The next configuration, encoded; `undefined` means "draw from the
   * prior" (no model yet, or the random fraction ρ).
   */
  propose(rng: Rng): Float64Array | undefined {
    const fitted = this.fit();
    // The ρ coin first, as HpBandSter tosses it.
    if (!fitted || (this.#rho > 0 && rng() < this.#rho)) return undefined;
    return this.#policy.propose(fitted, rng);
  }
}
