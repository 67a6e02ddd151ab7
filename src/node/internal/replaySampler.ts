import { Observable, Subject, Subscription } from 'rxjs';
import type { Candidate, Trial } from '../../Trial.js';
import type { Sampler } from '../../samplers/Sampler.js';
import type { Space } from '../../space/Space.js';
import { Trampoline } from '../../internal/Trampoline.js';

export interface ReplayPlan {
  /** Recorded trials of this run: a candidate with the same `i` and resources is answered from here, not evaluated. */
  readonly recorded: readonly Trial[];
  /** The run's first index and the trials before it, as the recorded run saw them. */
  readonly start: number;
  readonly past: readonly Trial[];
  /** Called once per recorded trial whose params differ from what the sampler drew again. */
  readonly onMismatch?: (recorded: Trial, drawn: Candidate) => void;
}

/** Which evaluation a trial is: its configuration and, under Hyperband, its budget. */
export function replayKey(i: number, resources: number | undefined): string {
  return resources === undefined ? String(i) : `${i}@${resources}`;
}

/**
 * Resumes a recorded run by running it again: the sampler is subscribed as
 * the original run subscribed it (same start, same past) and every candidate
 * that was already evaluated is answered with its recorded trial (fed to the
 * sampler as a result, with the demand tick it would have caused) instead of
 * being emitted. A deterministic sampler therefore walks the same path,
 * Hyperband through the same brackets, rungs and promotions, and only the
 * evaluations missing from the journal (never finished, or lost in flight)
 * reach the loop.
 */
export function replaySampler(inner: Sampler, plan: ReplayPlan): Sampler {
  return {
    name: inner.name,
    defaultIterations: inner.defaultIterations,
    requiresIterations: inner.requiresIterations,
    evaluations: (space: Space, iterations: number) => {
      const planned = inner.evaluations?.(space, iterations) ?? iterations;
      return Math.max(0, planned - plan.recorded.length);
    },
    validate: inner.validate?.bind(inner),
    toJSON: () => inner.toJSON?.() ?? { name: inner.name },
    candidates: (space, context) =>
      new Observable<Candidate>((subscriber) => {
        const memo = new Map<string, Trial>();
        for (const t of plan.recorded) memo.set(replayKey(t.i, t.resources), t);
        // Replayed results re-enter the sampler from inside its own emission: queue them instead of recursing.
        const trampoline = new Trampoline();
        const results$ = new Subject<Trial>();
        const demand$ = new Subject<void>();
        const subscriptions = new Subscription();
        const replay = (trial: Trial): void => {
          results$.next(trial);
          demand$.next();
        };
        subscriptions.add(context.results$.subscribe({ next: (t) => trampoline.run(forward, t) }));
        function forward(t: Trial): void {
          results$.next(t);
        }
        trampoline.run(() => {
          subscriptions.add(
            inner.candidates(space, { ...context, start: plan.start, past: plan.past, results$, demand$ }).subscribe({
              next: (candidate) => {
                const key = replayKey(candidate.i, candidate.resources);
                const recorded = memo.get(key);
                if (recorded === undefined) return subscriber.next(candidate);
                memo.delete(key);
                if (plan.onMismatch && !sameParams(recorded.params, candidate.params)) plan.onMismatch(recorded, candidate);
                trampoline.run(replay, recorded);
              },
              error: (error) => subscriber.error(error),
              complete: () => subscriber.complete(),
            }),
          );
          subscriptions.add(context.demand$.subscribe(() => trampoline.run(tick)));
        });
        function tick(): void {
          demand$.next();
        }
        return () => {
          subscriptions.unsubscribe();
          results$.complete();
          demand$.complete();
        };
      }),
  };
}

function sameParams(a: unknown, b: unknown): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => Object.is(x[k], y[k]));
}
