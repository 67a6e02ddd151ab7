import { hyperopt } from '../../src/index.js';
import type { Problem } from '../problems/index.js';
import { bestSoFar } from './bestSoFar.js';
import type { OurSampler } from './ourSamplers.js';

/** Best value after each trial, in sampling order, of one sequential run (concurrency 1). */
export async function ourBestSoFar(problem: Problem, sampler: OurSampler, seed: number, iterations: number): Promise<number[]> {
  const ho = await hyperopt({ space: problem.space, iterations, sampler: sampler.make(seed, problem), progress: false }, problem.objective);
  const trials = [...ho.trials].sort((a, b) => a.i - b.i);
  return bestSoFar(trials.map((t) => t.value));
}
