import type { Sampler } from '../../samplers/Sampler.js';
import { RandomSampler } from '../../samplers/RandomSampler.js';
import { withPruner } from '../../samplers/withPruner.js';
import type { Pruner } from '../../operators/Pruner.js';
import { successiveHalvingPruner } from '../../operators/successiveHalvingPruner.js';
import { medianPruner } from '../../operators/medianPruner.js';

/** The sampler classes a journal may name, by the file that exports each (loaded only when named). */
const MODULES: Readonly<Record<string, string>> = {
  LHSampler: '../../samplers/LHSampler.js',
  CLHSampler: '../../samplers/CLHSampler.js',
  Hyperband: '../../samplers/Hyperband.js',
  BOHB: '../../samplers/BOHB.js',
};

/**
 * Rebuilds a sampler from its recorded `toJSON()` (name plus constructor
 * options, seed included; Hyperband's `inner` recursively), so a resumed run
 * draws with the same seed. Undefined when the name is unknown here or its
 * module cannot be loaded.
 */
export async function samplerFromJSON(description: unknown): Promise<Sampler | undefined> {
  if (description === null || typeof description !== 'object') return undefined;
  const { name, pruner, ...options } = description as Record<string, unknown>;
  if (pruner !== undefined) {
    // withPruner(sampler, pruner) records the sampler's description plus its pruner's.
    const sampler = await samplerFromJSON({ name, ...options });
    const rebuilt = prunerFromJSON(pruner);
    return sampler && rebuilt ? withPruner(sampler, rebuilt) : undefined;
  }
  if (name === 'RandomSampler') {
    try {
      return new RandomSampler(options as { seed?: number | string });
    } catch {
      return undefined;
    }
  }
  if (typeof name !== 'string' || !(name in MODULES)) return undefined;
  if (options.inner !== undefined) {
    const inner = await samplerFromJSON(options.inner);
    if (inner === undefined) return undefined;
    options.inner = inner;
  }
  try {
    const module = (await import(MODULES[name])) as Record<string, new (options: object) => Sampler>;
    const Class = module[name];
    return typeof Class === 'function' ? new Class(options) : undefined;
  } catch {
    return undefined;
  }
}

/** A pruner from its recorded `toJSON()`; undefined when unknown or invalid. */
function prunerFromJSON(description: unknown): Pruner | undefined {
  if (description === null || typeof description !== 'object') return undefined;
  const { name, ...options } = description as Record<string, unknown>;
  try {
    if (name === 'successiveHalvingPruner') return successiveHalvingPruner(options as never);
    if (name === 'medianPruner') return medianPruner(options as never);
  } catch {
    // recorded with options this version rejects
  }
  return undefined;
}
