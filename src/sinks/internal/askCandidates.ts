import { Subject } from 'rxjs';
import type { Candidate, Trial } from '../../trial/Trial.js';
import type { Sampler } from '../../samplers/Sampler.js';
import type { Space } from '../../space/Space.js';
import type { Direction } from '../../trial/Direction.js';
import { lossRule, lossView, lossViews } from '../../trial/internal/lossView.js';

/** What manual mode reads from an optimizer; `trials` is read live, so results told while iterating are seen. */
export interface AskSource<P> {
  readonly sampler: Sampler;
  readonly space: Space;
  readonly iterations: number;
  readonly nextIndex: number;
  readonly trials: readonly Trial<P>[];
  /** Under 'maximize' the sampler is told the negated values (it minimizes), and a candidate's prune rule is asked with your value. */
  readonly direction: Direction;
}

/**
 * Manual mode's draws (a Hyperoptimizer's iterator): the sampler's plan for
 * `iterations`, going on from `nextIndex`, recording nothing. Trials recorded
 * since the last step (`tell`) reach an adaptive sampler before its next
 * draw; a multi-fidelity sampler that waits for a result not yet told ends
 * the iteration. The sampler runs synchronously inside each step. This is
 * manual mode's boundary between the user's values and the sampler's losses,
 * as the loop is a run's.
 */
export function* askCandidates<P>(source: AskSource<P>): Generator<Candidate<P>, void, undefined> {
  const { trials, direction } = source;
  const results$ = new Subject<Trial>();
  const demand$ = new Subject<void>();
  const buffer: Candidate<P>[] = [];
  let done = false;
  let failure: { error: unknown } | undefined;
  let seen = trials.length;
  const subscription = source.sampler
    .candidates(source.space, { iterations: source.iterations, start: source.nextIndex, past: lossViews(trials.slice(), direction), results$, demand$, concurrency: 1 })
    .subscribe({
      next: (c) => buffer.push(lossRule(c as Candidate<P>, direction)),
      error: (error) => (failure = { error }),
      complete: () => (done = true),
    });
  try {
    for (;;) {
      // Results told since the last step reach adaptive samplers before the next draw.
      while (seen < trials.length) results$.next(direction === 'maximize' ? lossView(trials[seen++]) : trials[seen++]);
      if (buffer.length === 0 && !done) demand$.next();
      if (failure) throw failure.error;
      const next = buffer.shift();
      if (!next) return;
      yield next;
    }
  } finally {
    subscription.unsubscribe();
  }
}
