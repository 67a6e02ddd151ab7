import { ArgumentError } from '../base/ArgumentError.js';
import type { Sampler } from '../samplers/Sampler.js';
import { checkSampler } from '../samplers/internal/checkSampler.js';
import { checkSpace } from '../space/checkSpace.js';
import type { Space } from '../space/Space.js';
import { checkOptions, show } from '../base/check.js';
import { Hyperoptimizer } from './Hyperoptimizer.js';
import { samplerFromDescription } from './samplerRegistry.js';
import { RandomSampler } from '../samplers/RandomSampler.js';
import { decodeTrial } from './internal/trialCodec.js';
import { describeSpace, sameSpace, spaceDifference, spaceFromDescription } from '../space/describeSpace.js';
import { checkDirection } from '../trial/internal/lossView.js';

export interface FromJSONOptions<S extends Space = Space> {
  /**
   * The space the data was recorded for. Give it when candidate vectors hold
   * values JSON cannot carry (functions, class instances): params then come
   * back as the very elements of your vectors. Checked against the recorded
   * description: another space is an ArgumentError.
   * @default the space rebuilt from the recorded description
   */
  readonly space?: S;
  /**
   * The sampler of the returned optimizer (used if you iterate or continue it).
   * @default the recorded sampler rebuilt with its options and seed (`samplerFromDescription`; your own
   * samplers after `registerSampler`), a fresh RandomSampler when none was recorded
   */
  readonly sampler?: Sampler;
}

/**
 * Rebuilds a Hyperoptimizer from `ho.toJSON()` (or its JSON text), so results
 * can be inspected, plotted or continued later, in the direction it was run
 * (data without one: 'minimize'). Failed trials come back with
 * their error message as an `Error`, missing values as NaN. The sampler comes
 * back with its options and seed (Hyperband with its inner sampler, a
 * `withPruner` sampler with its pruner), so continuing draws what the
 * original would have; a sampler of your own needs `registerSampler` first
 * (else an ArgumentError naming `json.sampler`), or pass `sampler`.
 *
 * ## Example
 * ```ts
 * import { hyperopt, fromJSON, linrange } from 'hyperopt-rx';
 * const ho = await hyperopt({ space: { x: linrange(-1, 1, 21) }, iterations: 10 }, ({ x }) => x * x);
 * const text = JSON.stringify(ho);
 * const again = fromJSON(JSON.parse(text));
 * console.log(again.minimum === ho.minimum); // Logs: true
 * ```
 */
export function fromJSON<S extends Space = Space>(json: unknown, options: FromJSONOptions<S> = {}): Hyperoptimizer {
  checkOptions('fromJSON', options, ['space', 'sampler']);
  const data = (typeof json === 'string' ? parse(json) : json) as Record<string, unknown>;
  if (data === null || typeof data !== 'object' || !Array.isArray(data.trials)) {
    throw new ArgumentError('json', `must be what Hyperoptimizer.toJSON() returns (an object with trials), got ${show(data)}`);
  }
  let space: Space;
  if (options.space !== undefined) {
    space = checkSpace(options.space);
    const current = describeSpace(space);
    if (data.space !== undefined && !sameSpace(data.space, current)) {
      throw new ArgumentError('space', `is not the space the data was recorded for: ${spaceDifference(data.space as Record<string, unknown>, current)}`);
    }
  } else space = checkSpace(spaceFromDescription(data.space, 'json.space'), 'json.space');
  let sampler: Sampler;
  if (options.sampler !== undefined) sampler = checkSampler('sampler', options.sampler);
  else sampler = data.sampler === undefined ? new RandomSampler() : samplerFromDescription(data.sampler, 'json.sampler');
  const trials = (data.trials as unknown[]).map((t, k) => decodeTrial(space, t, `json.trials[${k}]`));
  const iterations = typeof data.iterations === 'number' && Number.isInteger(data.iterations) && data.iterations >= 1 ? data.iterations : Math.max(1, trials.length);
  const direction = checkDirection(data.direction ?? 'minimize', 'json.direction');
  const ho = new Hyperoptimizer({ space, iterations, sampler, direction });
  for (const t of trials) ho.record(t);
  return ho;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ArgumentError('json', `is not valid JSON: ${(error as Error).message}`);
  }
}
