import { grid } from './grid.js';
import type { Params, Problem } from './Problem.js';
import { continuous } from '../../src/index.js';

const PI = Math.PI;
const B = 5.1 / (4.0 * PI * PI);
const C = 5.0 / PI;
const T = 1.0 / (8.0 * PI);

/** Branin on `[x1, x2]`, evaluated left to right as problems.md §1 writes it (no reassociation). */
export function branin(v: readonly number[]): number {
  const x1 = v[0],
    x2 = v[1];
  const u = x2 - B * x1 * x1 + C * x1 - 6.0;
  return u * u + 10.0 * (1.0 - T) * Math.cos(x1) + 10.0;
}

const toVector = (p: Params): number[] => [p.x1 as number, p.x2 as number];

/** Branin in grid form: x1 = grid(-5, 10), x2 = grid(0, 15). */
export const braninProblem: Problem = {
  name: 'branin',
  names: ['x1', 'x2'],
  space: { x1: grid(-5, 10), x2: grid(0, 15) },
  dims: [continuous(), continuous()],
  fStar: 0.39788735772973816,
  gridFStar: 0.3979449742728942,
  f: branin,
  toVector,
  objective: (p) => branin(toVector(p)),
};
