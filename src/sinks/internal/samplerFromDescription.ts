import type { Sampler } from '../../samplers/Sampler.js';
import { RandomSampler } from '../../samplers/RandomSampler.js';

/**
 * The core rebuilds only its default sampler from a recorded description
 * (`sampler.toJSON()`); others are passed in, or rebuilt by the Node journal
 * loader, which may import every sampler.
 */
export function samplerFromDescription(description: unknown): Sampler {
  const d = description as { name?: unknown; seed?: unknown } | undefined;
  if (d?.name === 'RandomSampler' && (typeof d.seed === 'number' || typeof d.seed === 'string')) return new RandomSampler({ seed: d.seed });
  return new RandomSampler();
}
