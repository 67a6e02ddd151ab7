import { BOHB, CLHSampler, LHSampler, RandomSampler, type Sampler } from '../../src/index.js';
import type { Problem } from '../problems/index.js';
import type { OptunaSampler } from './anchor.js';

/** One of our samplers as the benchmarks run it. Adding a sampler is one entry in `ourSamplers`. */
export interface OurSampler {
  /** Row label in the tables. */
  readonly label: string;
  /** The Optuna sampler it is set against in the ratio columns. */
  readonly anchor: OptunaSampler;
  /**
   * True for samplers whose first n trials are what a run of n would draw
   * (random, model-based): one run of the largest size serves every n.
   * False for plans sized to the run (Latin hypercubes): one run per n.
   */
  readonly anytime: boolean;
  /** A fresh sampler for one run. */
  readonly make: (seed: number, problem: Problem) => Sampler;
}

/** Random search, the baseline of every figure. */
export const randomSampler: OurSampler = { label: 'RandomSampler', anchor: 'random', anytime: true, make: (seed) => new RandomSampler({ seed }) };

/** The model-based sampler (BOHB standalone). */
export const modelBasedSampler: OurSampler = { label: 'BOHB', anchor: 'tpe_multivariate', anytime: true, make: (seed, p) => new BOHB({ seed, dims: p.dims }) };

/** Our samplers in report order. */
export const ourSamplers: readonly OurSampler[] = [
  randomSampler,
  { label: 'LHSampler', anchor: 'qmc', anytime: false, make: (seed) => new LHSampler({ seed }) },
  { label: 'CLHSampler', anchor: 'qmc', anytime: false, make: (seed, p) => new CLHSampler({ seed, dims: p.dims }) },
  modelBasedSampler,
];
