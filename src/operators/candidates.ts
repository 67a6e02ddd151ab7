import { EMPTY, Observable, type Observable as Obs } from 'rxjs';
import type { Candidate } from '../Trial.js';
import type { Sampler } from '../samplers/Sampler.js';
import type { ParamsOf, Space } from '../space/Space.js';
import { checkSpace } from '../space/checkSpace.js';
import { checkPlanIterations, checkSampler } from '../samplers/internal/checkSampler.js';

export interface CandidatesOptions {
  /** How many to draw. @default endless for RandomSampler and BOHB; required for LHSampler and CLHSampler */
  readonly iterations?: number;
}

/**
 * A sampler's candidates as a plain Observable, outside any optimization
 * loop: as many as `iterations`, or endless (stop it with `take`). No results
 * flow back, so adaptive samplers draw from their prior.
 *
 * ## Example
 * ```ts
 * import { candidates, RandomSampler, linrange } from 'hyperopt-rx';
 * import { take } from 'rxjs';
 * candidates(new RandomSampler({ seed: 7 }), { a: linrange(1, 5, 1000), b: [true, false] })
 *   .pipe(take(3))
 *   .subscribe(({ i, params }) => console.log(i, params.a, params.b));
 * ```
 */
export function candidates<S extends Space>(sampler: Sampler, space: S, options: CandidatesOptions = {}): Obs<Candidate<ParamsOf<S>>> {
  checkSampler('sampler', sampler);
  checkSpace(space);
  const { iterations } = options;
  if (iterations !== undefined || sampler.requiresIterations) checkPlanIterations(sampler, iterations);
  sampler.validate?.(space, iterations);
  return sampler.candidates(space, { iterations, start: 0, past: [], results$: EMPTY, demand$: endlessDemand, concurrency: 1 }) as Obs<Candidate<ParamsOf<S>>>;
}

/** Ticks synchronously for as long as the sampler listens: a pull source with no results to wait for. */
const endlessDemand = new Observable<void>((subscriber) => {
  while (!subscriber.closed) subscriber.next();
});
