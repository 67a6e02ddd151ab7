import type { Dimension } from '../../space/Dimension.js';
import type { Rng } from '../internal/rng.js';
import type { Density } from './Density.js';
import type { Encoding } from './Encoding.js';
import type { ModelOptions } from './ModelOptions.js';
import type { Observation } from './ObservationStore.js';

/** The good and bad densities, l and g, of one fit. */
export interface Fitted {
  readonly good: Density;
  readonly bad: Density;
}

/**
 * Everything in which BOHB's modes differ: when a budget has enough
 * observations, how they split into good and bad, how the densities are
 * fitted and how a proposal is drawn from them. One instance per run.
 */
export interface BohbPolicy {
  /** True when a budget with `count` observations can be modelled (with the proposals in flight now). */
  usable(count: number): boolean;
  /** The densities fitted on one budget's observations, best first. */
  fit(sorted: readonly Observation[]): Fitted;
  /** A model-based proposal, encoded; undefined: draw from the prior. */
  propose(fitted: Fitted, rng: Rng): Float64Array | undefined;
  /** Notes a proposal in flight; true when that changes the next fit. */
  pend(id: number, x: Float64Array, limit: number): boolean;
  /** Forgets a proposal in flight (its result came back); true when that changes the next fit. */
  settle(id: number): boolean;
}

/** A policy's class: what it needs to know before a run, and its constructor. */
export interface BohbPolicyClass {
  new (encoding: Encoding, options: ModelOptions): BohbPolicy;
  /** How the mode encodes a dimension (CONTINUOUS, ORDERED or UNORDERED). */
  kindOf(dim: Dimension): number;
  /** Observations a budget needs, from the dimension count and the user's `Nmin` (undefined: the mode's default). */
  minObservations(d: number, Nmin: number | undefined): number;
  /** The loss the model learns from a finished trial's value (the store counts NaN as the worst). */
  lossOf(value: number): number;
}
