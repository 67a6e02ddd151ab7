import type { Observable } from 'rxjs';
import type { Candidate } from '../trial/Trial.js';
import type { Space } from '../space/Space.js';
import type { Pruner } from './Pruner.js';
import { checkPruner, prune } from './prune.js';
import type { Sampler, SamplerContext } from '../samplers/Sampler.js';
import { checkSampler } from '../samplers/internal/checkSampler.js';

/**
 * A sampler whose candidates carry `pruner`'s rule, for `hyperopt`: a
 * streaming objective (an Observable of one value per epoch, say) is stopped
 * by unsubscription when the rule says so, recorded as 'pruned', and its
 * slot goes to the next candidate. A continued or resumed run's rule first
 * takes in the curves of its earlier trials (`past`), so it prunes as an
 * unbroken run would. Everything else is `sampler`'s. It takes
 * no direction of its own: `hyperopt({ direction: 'maximize' })` hands the rule
 * negated values, as it does the sampler's results (outside a run, use
 * `prune(pruner, { direction })`).
 *
 * ## Example
 * ```ts
 * import { hyperopt, RandomSampler, withPruner, SuccessiveHalvingPruner, linrange } from 'hyperopt-rx';
 * import { interval, map, take } from 'rxjs';
 * const ho = await hyperopt(
 *   { space: { x: linrange(0, 1, 101) }, iterations: 30, concurrency: 3,
 *     sampler: withPruner(new RandomSampler({ seed: 1 }), new SuccessiveHalvingPruner({ eta: 3 })) },
 *   ({ x }) => interval(1).pipe(take(27), map((epoch) => x + 1 / (epoch + 1))),
 * );
 * ```
 * @see prune
 */
export function withPruner(sampler: Sampler, pruner: Pruner): Sampler {
  checkSampler('sampler', sampler);
  checkPruner('pruner', pruner);
  const wrapped: Sampler = {
    name: `${sampler.name} + ${pruner.name}`,
    defaultIterations: sampler.defaultIterations,
    requiresIterations: sampler.requiresIterations,
    candidates: (space: Space, context: SamplerContext): Observable<Candidate> => sampler.candidates(space, context).pipe(prune(pruner, { past: context.past })),
    toJSON: () => ({ ...(sampler.toJSON?.() ?? { name: sampler.name }), pruner: pruner.toJSON?.() ?? { name: pruner.name } }),
  };
  if (sampler.evaluations) wrapped.evaluations = (space, iterations) => sampler.evaluations!(space, iterations);
  if (sampler.validate) wrapped.validate = (space, iterations) => sampler.validate!(space, iterations);
  return wrapped;
}
