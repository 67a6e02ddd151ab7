import { braninProblem } from './branin.js';
import { countingOnesProblem } from './countingOnes.js';
import { hartmann6Problem } from './hartmann6.js';
import { hyperoptjlProblem } from './hyperoptjl.js';
import type { Problem } from './Problem.js';

/** Every single-fidelity problem, in report order; counting ones here is its noise-free loss. */
export const problems: readonly Problem[] = [braninProblem, hartmann6Problem, hyperoptjlProblem, countingOnesProblem];
