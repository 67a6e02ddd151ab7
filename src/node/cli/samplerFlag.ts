import { ArgumentError } from '../../base/ArgumentError.js';
import type { Sampler } from '../../samplers/Sampler.js';
import { SHORT_NAMES, samplerFromName } from '../internal/samplerFromName.js';
import { didYouMean } from './didYouMean.js';
import { UsageError } from './UsageError.js';

/** `run --sampler`, checked: how the journal's command record names it, and the sampler for a seed. */
export interface SamplerChoice {
  /** `random`, `lhs`, `clhs`, `bohb`, `gp`, another registered sampler's name, or the JSON description, compact. */
  readonly name: string;
  readonly build: (seed: number | string | undefined) => Sampler;
}

/**
 * `--sampler`: any name `hyperopt-rx serve --sampler` takes (a registered
 * sampler's name in any case, with or without "Sampler": `random`, `lhs`,
 * `clhs`, `bohb`, `gp`, `GPSampler`), or a JSON description
 * (`{"name":"GPSampler","seed":1}`). Hyperband is `--hyperband`, not a
 * sampler here. An unknown name is a UsageError listing the names, with the
 * closest one.
 */
export function parseSamplerFlag(text: string): SamplerChoice {
  const trimmed = text.trim();
  const isJson = trimmed.startsWith('{');
  const notHyperband = () =>
    new UsageError(`--sampler cannot be Hyperband: use --hyperband MAX[,eta], which runs the --sampler as its inner sampler, got ${JSON.stringify(text)}`);
  if (/^hyperband(sampler)?$/i.test(trimmed)) throw notHyperband();
  const build = (seed: number | string | undefined) => samplerFromName(trimmed, seed, '--sampler');
  let sampler: Sampler;
  try {
    sampler = build(undefined); // checked now, before anything runs
  } catch (error) {
    if (!(error instanceof ArgumentError && error.message.includes('names no known sampler'))) throw error;
    const names = Object.keys(SHORT_NAMES);
    throw new UsageError(
      `--sampler must be ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]} (a sampler's name in any case, or a JSON description such as {"name":"GPSampler","seed":1}), got ${JSON.stringify(text)}${didYouMean(trimmed.toLowerCase(), names)}`,
    );
  }
  if (sampler.name === 'Hyperband') throw notHyperband();
  const short = Object.keys(SHORT_NAMES).find((k) => SHORT_NAMES[k] === sampler.name);
  return { name: isJson ? JSON.stringify(JSON.parse(trimmed)) : (short ?? sampler.name), build };
}
