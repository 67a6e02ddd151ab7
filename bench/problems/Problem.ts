import type { Dimension, Space } from '../../src/index.js';

/** Parameters as the library hands them to an objective. */
export type Params = Readonly<Record<string, unknown>>;

/**
 * A benchmark problem in grid form (1000 points per continuous dimension),
 * shared by our samplers and the Optuna anchor. Minimised.
 */
export interface Problem {
  /** The name problems.md and bench/optuna/anchor.py use. */
  readonly name: string;
  /** Parameter names in candidate-vector order; also Optuna's names. */
  readonly names: readonly string[];
  /** The grid-form search space, keys in candidate-vector order. */
  readonly space: Space;
  /** Dimension kinds for CLHSampler / BOHB, in key order. */
  readonly dims: readonly Dimension[];
  /** Continuous optimum. */
  readonly fStar: number;
  /** Optimum over the grid form: regret in the benchmarks is best - gridFStar. */
  readonly gridFStar: number;
  /** The function on a candidate vector, exactly as problems.md writes it. */
  readonly f: (v: readonly number[]) => number;
  /** Params (as sampled from `space`) to the candidate vector. */
  readonly toVector: (params: Params) => number[];
  /** `f(toVector(params))`: a synchronous library objective. */
  readonly objective: (params: Params) => number;
}
