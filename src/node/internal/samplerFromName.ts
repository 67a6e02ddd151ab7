import { ArgumentError } from '../../base/ArgumentError.js';
import type { Sampler } from '../../samplers/Sampler.js';
import { samplerFromDescription } from '../../sinks/samplerRegistry.js';

/** The short names the command line lists, and the registry's name for each (other spellings: case, "Sampler"). */
export const SHORT_NAMES: Readonly<Record<string, string>> = { random: 'RandomSampler', lhs: 'LHSampler', clhs: 'CLHSampler', bohb: 'BOHB', gp: 'GPSampler' };

/**
 * A sampler from the command line, through the sampler registry (so any
 * registered sampler works, GPSampler included once registered): a
 * registry name in any case with or without "Sampler" (`random`, `bohb`,
 * `hyperband`, `gp`), or a JSON description (`{"name":"Hyperband","maxResource":27}`).
 * `seed`, when given, is added to a description that has none.
 */
export function samplerFromName(text: string, seed: number | string | undefined, option = 'sampler'): Sampler {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let description: Record<string, unknown>;
    try {
      description = JSON.parse(trimmed) as Record<string, unknown>;
    } catch (error) {
      throw new ArgumentError(option, `is not valid JSON: ${(error as Error).message}`);
    }
    return samplerFromDescription(seed === undefined || description.seed !== undefined ? description : { ...description, seed }, option);
  }
  const lower = trimmed.toLowerCase();
  const cap = lower.charAt(0).toUpperCase() + lower.slice(1);
  const upper = lower.toUpperCase();
  const names = [...new Set([SHORT_NAMES[lower], trimmed, cap, upper, `${cap}Sampler`, `${upper}Sampler`].filter((n): n is string => n !== undefined && n !== ''))];
  for (const name of names) {
    try {
      return samplerFromDescription(seed === undefined ? { name } : { name, seed }, option);
    } catch (error) {
      // Only "no such name" moves on to the next spelling; a sampler that refuses its options is the answer.
      if (!(error instanceof ArgumentError && error.message.includes('which no registered sampler rebuilds'))) throw error;
    }
  }
  throw new ArgumentError(
    option,
    `names no known sampler: ${JSON.stringify(text)} (try ${Object.keys(SHORT_NAMES).join(', ')}, or a JSON description such as {"name":"Hyperband","maxResource":27})`,
  );
}
