import { grid } from './grid.js';
import { mulberry32 } from './mulberry32.js';
import { noiseKey } from './noiseKey.js';
import type { Params, Problem } from './Problem.js';
import { continuous, unorderedCategorical } from '../../src/index.js';
import type { Objective } from '../../src/index.js';

/** Hyperband budgets (Bernoulli draws per continuous dim): min 9, max 729, eta 3. */
export const COUNTING_ONES_BUDGETS = { min: 9, max: 729, eta: 3, rungs: [9, 27, 81, 243, 729] } as const;

/** Noise-free ("test") loss on `[c0..c7, x0..x7]`: -(sum of all 16), summed left to right. */
export function countingOnes(v: readonly number[]): number {
  let y = 0.0;
  for (let i = 0; i < 16; i++) y = y + v[i];
  return -y;
}

/**
 * Noisy loss at `budget`: each x_j replaced by the fraction of `budget`
 * mulberry32 draws below it, the stream keyed by (seed, trial, budget) and
 * consumed dimension-major (problems.md §4).
 */
export function countingOnesNoisy(v: readonly number[], budget: number, seed: number, trial: number): number {
  const rnd = mulberry32(noiseKey(seed, trial, budget));
  let y = 0.0;
  for (let i = 0; i < 8; i++) y = y + v[i];
  for (let j = 0; j < 8; j++) {
    let cnt = 0;
    for (let k = 0; k < budget; k++) if (rnd() < v[8 + j]) cnt++;
    y = y + cnt / budget;
  }
  return -y;
}

const CATS = Array.from({ length: 8 }, (_, i) => `c${i}`);
const CONTS = Array.from({ length: 8 }, (_, j) => `x${j}`);
const NAMES = [...CATS, ...CONTS];
const toVector = (p: Params): number[] => NAMES.map((n) => p[n] as number);

/**
 * The library objective for multi-fidelity runs: the noisy loss at budget
 * `resourceUnit * trial.resources`, noise keyed by the run `seed` and the
 * configuration index `trial.i` (Optuna's `trial.number`), so a promoted
 * configuration draws fresh noise at each budget. With `Hyperband({ maxResource: 81 })`
 * and `resourceUnit` 9 the budgets are 9, 27, 81, 243, 729.
 */
export function countingOnesNoisyObjective(seed: number, resourceUnit = 1): Objective<Params> {
  return (params, trial) => {
    if (trial.resources === undefined) throw new Error('countingOnesNoisyObjective needs trial.resources (run it under Hyperband)');
    // Rounded: a float resource such as 81 / 27 * 3 must still name an integer number of draws.
    return countingOnesNoisy(toVector(params), Math.round(resourceUnit * trial.resources), seed, trial.i);
  };
}

/** Counting ones 8+8 in grid form: c_i in [0, 1], x_j = grid(0, 1). `objective` is the noise-free loss. */
export const countingOnesProblem: Problem = {
  name: 'counting_ones',
  names: NAMES,
  space: Object.fromEntries<readonly unknown[]>([...CATS.map((n) => [n, [0, 1]] as const), ...CONTS.map((n) => [n, grid(0, 1)] as const)]),
  dims: [...CATS.map(() => unorderedCategorical(2)), ...CONTS.map(() => continuous())],
  fStar: -16,
  gridFStar: -16,
  f: countingOnes,
  toVector,
  objective: (p) => countingOnes(toVector(p)),
};
