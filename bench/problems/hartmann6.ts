import { grid } from './grid.js';
import type { Params, Problem } from './Problem.js';
import { continuous } from '../../src/index.js';

const ALPHA = [1.0, 1.2, 3.0, 3.2];
const A = [
  [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
  [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
  [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
  [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
];
// Decimal literals, not 1e-4 * 1312: the products round differently.
const P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];

/** Hartmann 6-D on `[x1..x6]`, sums from 0.0 in index order (problems.md §2). */
export function hartmann6(v: readonly number[]): number {
  let total = 0.0;
  for (let i = 0; i < 4; i++) {
    let s = 0.0;
    for (let j = 0; j < 6; j++) {
      const d = v[j] - P[i][j];
      s = s + A[i][j] * (d * d);
    }
    total = total + ALPHA[i] * Math.exp(-s);
  }
  return -total;
}

const NAMES = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'] as const;
const toVector = (p: Params): number[] => NAMES.map((n) => p[n] as number);

/** Hartmann6 in grid form: every dimension grid(0, 1). */
export const hartmann6Problem: Problem = {
  name: 'hartmann6',
  names: NAMES,
  space: Object.fromEntries(NAMES.map((n) => [n, grid(0, 1)])),
  dims: NAMES.map(() => continuous()),
  fStar: -3.322368011415515,
  gridFStar: -3.322354884274974,
  f: hartmann6,
  toVector,
  objective: (p) => hartmann6(toVector(p)),
};
