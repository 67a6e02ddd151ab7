import { EMPTY, Observable } from 'rxjs';
import type { Candidate } from '../trial/Trial.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { checkOptions } from '../base/check.js';
import { Feed } from '../trial/internal/Feed.js';
import type { Sampler } from '../samplers/Sampler.js';
import type { ParamsOf, Space } from '../space/Space.js';
import { checkSpace } from '../space/checkSpace.js';
import { checkPlanIterations, checkSampler } from '../samplers/internal/checkSampler.js';

/**
 * Most candidates an endless `candidates()` hands out in one go. Taken one
 * by one (`take(n)`) the stream stops long before; anything more means
 * something downstream buffers it, without bound.
 */
const MAX_ENDLESS_BURST = 1e5;

export interface CandidatesOptions {
  /** How many to draw; required for LHSampler and CLHSampler. @default endless (RandomSampler, BOHB, Hyperband) */
  readonly iterations?: number;
}

/**
 * A sampler's candidates as a plain Observable, outside any optimization
 * loop: as many as `iterations`, or endless (stop it with `take` right after
 * it). An endless stream into an operator that buffers, such as `evaluate`,
 * errors with an ArgumentError naming `iterations` after 100,000 candidates.
 * No results flow back, so adaptive samplers draw from their prior.
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
export function candidates<S extends Space>(sampler: Sampler, space: S, options: CandidatesOptions = {}): Observable<Candidate<ParamsOf<S>>> {
  checkSampler('sampler', sampler);
  checkSpace(space);
  checkOptions('candidates', options, ['iterations']);
  const { iterations } = options;
  if (iterations !== undefined || sampler.requiresIterations) checkPlanIterations(sampler, iterations);
  sampler.validate?.(space, iterations);
  return new Observable<Candidate>((subscriber) => {
    // The sampler's callbacks are guarded as in a run: a throw in them errors this stream.
    const demand$ = new Feed<void>((error) => subscriber.error(error));
    const context = { iterations, start: 0, past: [], results$: EMPTY, demand$, concurrency: 1 };
    const subscription = sampler.candidates(space, context).subscribe(subscriber);
    // A pull source with no results to wait for: one tick after another for as long as the sampler listens.
    for (let ticks = 0; demand$.observed && !subscriber.closed; ticks++) {
      if (iterations === undefined && ticks === MAX_ENDLESS_BURST) {
        subscriber.error(
          new ArgumentError(
            'iterations',
            `is missing and ${MAX_ENDLESS_BURST} candidates went by without the stream stopping: something downstream buffers an endless stream ` +
              '(evaluate, mergeMap). Pass { iterations } to candidates(), or take(n) right after it',
          ),
        );
        break;
      }
      demand$.next();
    }
    return () => {
      subscription.unsubscribe();
      demand$.complete();
    };
  }) as Observable<Candidate<ParamsOf<S>>>;
}
