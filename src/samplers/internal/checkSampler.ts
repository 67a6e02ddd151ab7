import { ArgumentError } from '../../ArgumentError.js';
import { show } from '../../internal/check.js';
import type { Sampler } from '../Sampler.js';

/** A sampler is anything with a `candidates(space, context)` method: duck-typed, never `instanceof`. */
export function checkSampler(option: string, sampler: unknown): Sampler {
  if (sampler === null || typeof sampler !== 'object' || typeof (sampler as Sampler).candidates !== 'function') {
    throw new ArgumentError(option, `must be a sampler (RandomSampler, LHSampler, CLHSampler, Hyperband, BOHB or an object with candidates(space, context)), got ${sampler === undefined ? 'undefined' : show(sampler)}`);
  }
  return sampler as Sampler;
}
