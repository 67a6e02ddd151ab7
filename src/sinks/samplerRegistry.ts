import { ArgumentError } from '../base/ArgumentError.js';
import { checkFunction, show } from '../base/check.js';
import type { Pruner } from '../multifidelity/Pruner.js';
import { MedianPruner } from '../multifidelity/MedianPruner.js';
import { SuccessiveHalvingPruner } from '../multifidelity/SuccessiveHalvingPruner.js';
import type { Sampler } from '../samplers/Sampler.js';
import { checkSampler } from '../samplers/internal/checkSampler.js';
import { RandomSampler } from '../samplers/RandomSampler.js';
import { LHSampler } from '../samplers/LHSampler.js';
import { CLHSampler } from '../samplers/CLHSampler.js';
import { BOHB } from '../samplers/BOHB.js';
import { GPSampler } from '../samplers/GPSampler.js';
import { Hyperband } from '../multifidelity/Hyperband.js';
import { withPruner } from '../multifidelity/withPruner.js';

/**
 * Rebuilds a sampler from its description: what its `toJSON()` returned
 * (`name` included), after a trip through JSON. `revive` rebuilds a nested
 * description, such as Hyperband's `inner` (`key` names it in errors).
 */
export type SamplerReviver = (description: Readonly<Record<string, unknown>>, revive: (description: unknown, key?: string) => Sampler) => Sampler;

/** Constructor options are the description without its name. */
const options = ({ name: _name, ...rest }: Readonly<Record<string, unknown>>): Record<string, unknown> => rest;

const BUILT_IN: ReadonlyMap<string, SamplerReviver> = new Map<string, SamplerReviver>([
  ['RandomSampler', (d) => new RandomSampler(options(d))],
  ['LHSampler', (d) => new LHSampler(options(d))],
  ['CLHSampler', (d) => new CLHSampler(options(d))],
  ['BOHB', (d) => new BOHB(options(d))],
  ['GPSampler', (d) => new GPSampler(options(d))],
  // Descriptions before 0.2.0 name the largest budget `R`: a journal or JSON written then still loads.
  [
    'Hyperband',
    ({ inner, R, ...d }, revive) =>
      new Hyperband({
        ...(options(d) as { maxResource: number }),
        ...(R === undefined ? {} : { maxResource: R as number }),
        inner: inner === undefined ? undefined : revive(inner, 'inner'),
      }),
  ],
]);

/** The pruners `withPruner` records (`sampler.toJSON().pruner`); descriptions before 0.2.0 name their factories. */
const PRUNERS: Readonly<Record<string, new (options: never) => Pruner>> = {
  MedianPruner,
  SuccessiveHalvingPruner,
  medianPruner: MedianPruner,
  successiveHalvingPruner: SuccessiveHalvingPruner,
};

const registered = new Map<string, SamplerReviver>();

/**
 * Teaches `fromJSON` (and journal resume) to rebuild your own sampler from
 * the description its `toJSON()` returns: `fromDescription` gets that
 * description (`name` included) and returns the sampler. Register once, at
 * start-up, before loading; registering a name again replaces it. The
 * built-in samplers (RandomSampler, LHSampler, CLHSampler, BOHB, GPSampler, Hyperband,
 * and any of them under `withPruner`) need no registration, and their names
 * cannot be taken.
 *
 * ## Example
 * ```ts
 * import { registerSampler, RandomSampler, type Sampler } from 'hyperopt-rx';
 * class Tempered implements Sampler { ... toJSON() { return { name: 'Tempered', seed: this.seed }; } }
 * registerSampler('Tempered', ({ seed }) => new Tempered({ seed: seed as number }));
 * ```
 */
export function registerSampler(name: string, fromDescription: SamplerReviver): void {
  if (typeof name !== 'string' || name === '') throw new ArgumentError('name', `must be a non-empty string, got ${show(name)}`);
  if (BUILT_IN.has(name)) throw new ArgumentError('name', `${JSON.stringify(name)} is a built-in sampler, rebuilt without registration`);
  registered.set(name, checkFunction<SamplerReviver>('fromDescription', fromDescription));
}

/**
 * The sampler a description stands for (`sampler.toJSON()`, after JSON):
 * a built-in or registered sampler with the same options and seed, so a
 * continuation draws what the original would have. A description with a
 * `pruner` (from `withPruner`) comes back wrapped with that pruner. An
 * unknown name or options the sampler refuses are an ArgumentError naming
 * `option`.
 *
 * ## Example
 * ```ts
 * import { samplerFromDescription, Hyperband, BOHB } from 'hyperopt-rx';
 * const sampler = new Hyperband({ maxResource: 27, inner: new BOHB({ seed: 1 }) });
 * const again = samplerFromDescription(JSON.parse(JSON.stringify(sampler.toJSON())));
 * ```
 */
export function samplerFromDescription(description: unknown, option = 'sampler'): Sampler {
  if (description === null || typeof description !== 'object' || Array.isArray(description)) {
    throw new ArgumentError(option, `must be a sampler description (what sampler.toJSON() returns), got ${show(description)}`);
  }
  const { pruner, ...rest } = description as Record<string, unknown>;
  if (pruner !== undefined) return withPruner(samplerFromDescription(rest, option), prunerFromDescription(pruner, `${option}.pruner`));
  const name = rest.name;
  const revive = typeof name === 'string' ? (BUILT_IN.get(name) ?? registered.get(name)) : undefined;
  if (revive === undefined) {
    throw new ArgumentError(
      option,
      `names ${show(name)}, which no registered sampler rebuilds: call registerSampler(${typeof name === 'string' ? JSON.stringify(name) : 'name'}, fromDescription) first, or pass the sampler yourself`,
    );
  }
  let sampler: unknown;
  try {
    sampler = revive(rest, (nested, key) => samplerFromDescription(nested, key === undefined ? option : `${option}.${key}`));
  } catch (error) {
    if (error instanceof ArgumentError && error.option.startsWith(`${option}.`)) throw error; // a nested description, already named
    throw new ArgumentError(option, `(${name as string}) cannot be rebuilt: ${error instanceof Error ? error.message : String(error)}`);
  }
  return checkSampler(option, sampler);
}

function prunerFromDescription(description: unknown, option: string): Pruner {
  const { name, ...rest } = (description !== null && typeof description === 'object' ? description : {}) as Record<string, unknown>;
  const Make = typeof name === 'string' && Object.hasOwn(PRUNERS, name) ? PRUNERS[name] : undefined;
  if (Make === undefined) throw new ArgumentError(option, `must describe MedianPruner or SuccessiveHalvingPruner, got ${show(name ?? description)}`);
  try {
    return new Make(rest as never);
  } catch (error) {
    throw new ArgumentError(option, `(${name as string}) cannot be rebuilt: ${error instanceof Error ? error.message : String(error)}`);
  }
}
