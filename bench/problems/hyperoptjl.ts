import { grid } from './grid.js';
import type { Params, Problem } from './Problem.js';
import { reference } from './reference.js';
import { continuous, unorderedCategorical } from '../../src/index.js';

/** Hyperopt.jl's README function on `[a, bIdx, c]`, bIdx 0 meaning b = true (problems.md §3). */
export function hyperoptjl(v: readonly number[]): number {
  const da = v[0] - 3.0,
    dc = v[2] - 100.0;
  return 100.0 + da * da + (v[1] === 0 ? 10.0 : 20.0) + dc * dc;
}

// b's choice list as written: its index is the candidate-vector encoding.
const B_CHOICES = [true, false] as const;
const toVector = (p: Params): number[] => [p.a as number, B_CHOICES.indexOf(p.b as boolean), p.c as number];

/**
 * The Hyperopt.jl README space: a = grid(1, 5), b in [true, false],
 * c = 10^grid(-1, 3) taken from reference.json, because Math.pow(10, e) is
 * 1 ulp off on about a tenth of the points.
 */
export const hyperoptjlProblem: Problem = {
  name: 'hyperoptjl',
  names: ['a', 'b', 'c'],
  space: { a: grid(1, 5), b: B_CHOICES, c: reference.hyperoptjl_grid_c },
  dims: [continuous(), unorderedCategorical(2), continuous()],
  fStar: 110,
  gridFStar: 110.05300690312768,
  f: hyperoptjl,
  toVector,
  objective: (p) => hyperoptjl(toVector(p)),
};
