import type { Sampler } from '../../samplers/Sampler.js';
import { samplerFromDescription } from '../../sinks/samplerRegistry.js';

/**
 * Rebuilds a sampler from its recorded `toJSON()` through the core registry
 * (`samplerFromDescription`: every built-in sampler, pruners, Hyperband's
 * `inner`, and samplers added with `registerSampler`), so a resumed run draws
 * with the same seed. Undefined when the description cannot be rebuilt: the
 * journal then resumes with the caller's sampler.
 */
export function samplerFromJSON(description: unknown): Sampler | undefined {
  try {
    return samplerFromDescription(description);
  } catch {
    return undefined;
  }
}
