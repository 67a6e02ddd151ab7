import { ArgumentError } from '../../base/ArgumentError.js';
import { checkPositiveInteger, show } from '../../base/check.js';
import { MAX_PLAN_ROWS } from '../../base/limits.js';
import type { Sampler } from '../Sampler.js';

/** A sampler is anything with a `candidates(space, context)` method: duck-typed, never `instanceof`. */
export function checkSampler(option: string, sampler: unknown): Sampler {
  if (sampler === null || typeof sampler !== 'object' || typeof (sampler as Sampler).candidates !== 'function') {
    throw new ArgumentError(
      option,
      `must be a sampler (RandomSampler, LHSampler, CLHSampler, Hyperband, BOHB or an object with candidates(space, context)), got ${sampler === undefined ? 'undefined' : show(sampler)}`,
    );
  }
  return sampler as Sampler;
}

/** `iterations` for a sampler that plans a fixed number of rows (`requiresIterations`): required, a positive integer up to MAX_PLAN_ROWS. */
export function checkPlanIterations(sampler: Sampler, iterations: number | undefined): number {
  if (iterations === undefined) throw new ArgumentError('iterations', `is required by ${sampler.name} (it plans a fixed number of rows)`);
  checkPositiveInteger('iterations', iterations);
  if (iterations > MAX_PLAN_ROWS) {
    throw new ArgumentError(
      'iterations',
      `must be at most ${MAX_PLAN_ROWS} (MAX_PLAN_ROWS) for ${sampler.name}, which plans every row at once, got ${iterations}: use RandomSampler for longer runs`,
    );
  }
  return iterations;
}
