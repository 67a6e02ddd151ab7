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
 * being emitted. Recorded results are fed back in the order they were
 * recorded (the original finishing order): a recorded candidate waits until
 * those recorded before it are answered, as it waited in flight the first
 * time. A deterministic sampler therefore walks the same path, at any
 * concurrency: RandomSampler and LHS draw the same rows, BOHB sees the same
 * results in the same order, Hyperband and ASHA make the same promotions.
 * Only the evaluations missing from the journal (never finished, or lost in
 * flight) reach the loop. Should the sampler draw differently (a recorded
 * result is awaited that is never drawn), the waiting ones are answered in
 * the order drawn once no real evaluation is left that could change it.
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
        const order: string[] = []; // recorded keys in finishing order
        for (const t of plan.recorded) {
          const key = replayKey(t.i, t.resources);
          if (!memo.has(key)) order.push(key);
          memo.set(key, t);
        }
        let head = 0;
        const held = new Map<string, Trial>(); // drawn again, waiting for their turn (insertion order = drawn order)
        let realInFlight = 0;
        // Replayed results re-enter the sampler from inside its own emission: queue them instead of recursing.
        const trampoline = new Trampoline();
        const results$ = new Subject<Trial>();
        const demand$ = new Subject<void>();
        const subscriptions = new Subscription();
        let releasing = false;
        let releaseScheduled = false;
        // A result never overtakes what the loop already has queued (its first ticks, a burst of draws): in the
        // original run results came after those, so recorded ones are answered only once all that has settled.
        const scheduleRelease = (): void => {
          if (releaseScheduled) return;
          releaseScheduled = true;
          queueMicrotask(() => {
            releaseScheduled = false;
            if (!subscriber.closed) release();
          });
        };

        const answer = (key: string, trial: Trial): void => {
          held.delete(key);
          results$.next(trial);
          demand$.next();
        };
        /** Answers held candidates whose turn has come; unblocks a replay that went another way. */
        const release = (): void => {
          if (releasing) return;
          releasing = true;
          try {
            for (;;) {
              while (head < order.length && !memo.has(order[head]) && !held.has(order[head])) head++; // answered already
              const next = head < order.length ? order[head] : undefined;
              if (next !== undefined && held.has(next)) {
                head++;
                answer(next, held.get(next) as Trial);
                continue;
              }
              // The next recorded result is not drawn (yet). Only a real evaluation finishing could still lead
              // the sampler to draw it; without one, answer what waits in the order it was drawn.
              if (held.size > 0 && realInFlight === 0) {
                const [key, trial] = held.entries().next().value as [string, Trial];
                answer(key, trial);
                continue;
              }
              return;
            }
          } finally {
            releasing = false;
          }
        };

        subscriptions.add(
          context.results$.subscribe({
            next: (t) =>
              trampoline.run(() => {
                realInFlight--;
                results$.next(t);
              }),
          }),
        );
        trampoline.run(() => {
          subscriptions.add(
            inner.candidates(space, { ...context, start: plan.start, past: plan.past, results$, demand$ }).subscribe({
              next: (candidate) => {
                const key = replayKey(candidate.i, candidate.resources);
                const recorded = memo.get(key);
                if (recorded === undefined) {
                  realInFlight++;
                  subscriber.next(candidate);
                  return;
                }
                memo.delete(key);
                if (plan.onMismatch && !sameParams(recorded.params, candidate.params)) plan.onMismatch(recorded, candidate);
                held.set(key, recorded);
                scheduleRelease();
              },
              error: (error) => subscriber.error(error),
              complete: () => subscriber.complete(),
            }),
          );
          subscriptions.add(context.demand$.subscribe(() => trampoline.run(tick)));
        });
        function tick(): void {
          demand$.next();
          scheduleRelease();
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
