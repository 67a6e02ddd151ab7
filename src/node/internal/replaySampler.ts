import { Observable, Subscription, type Subscriber, type TeardownLogic } from 'rxjs';
import type { Candidate, Trial } from '../../trial/Trial.js';
import type { Sampler, SamplerContext } from '../../samplers/Sampler.js';
import type { Space } from '../../space/Space.js';
import { Feed } from '../../trial/internal/Feed.js';
import { Trampoline } from '../../trial/internal/Trampoline.js';
import { replayCurve } from '../../trial/internal/replayCurve.js';

export interface ReplayPlan {
  /** Recorded trials of this run: a candidate with the same `i` and resources is answered from here, not evaluated. */
  readonly recorded: readonly Trial[];
  /** The run's first index and the trials before it, as the recorded run saw them. */
  readonly start: number;
  readonly past: readonly Trial[];
  /** Called once per recorded trial whose params differ from what the sampler drew again. */
  readonly onMismatch?: (recorded: Trial, drawn: Candidate) => void;
}

/** Which evaluation a trial is: its configuration and, under Hyperband, its budget (a number when there is none: cheaper to keep a million of). */
export function replayKey(i: number, resources: number | undefined): number | string {
  return resources === undefined ? i : `${i}@${resources}`;
}

/**
 * Resumes a recorded run by running it again: the sampler is subscribed as
 * the original run subscribed it (same start, same past) and every candidate
 * that was already evaluated is answered with its recorded trial (fed to the
 * sampler as a result, with the demand tick it would have caused) instead of
 * being emitted. A deterministic sampler therefore walks the same path at
 * any concurrency (RandomSampler and LHS draw the same rows, BOHB sees the
 * same results in the same order, Hyperband and ASHA make the same
 * promotions), and only the evaluations missing from the journal (never
 * finished, or lost in flight) reach the loop. Three rules keep the order of
 * events the original one:
 *
 * - recorded results are answered in the order they were recorded (the
 *   original finishing order): one drawn again waits for those recorded
 *   before it, as it waited in flight the first time;
 * - a result is answered only once the loop has settled (a microtask later),
 *   never before ticks the loop had already queued (its first ticks);
 * - every recorded result came before any result of an evaluation that is
 *   real now, so a real result (and the tick that comes with it) reaches the
 *   sampler only after the recorded ones are answered.
 *
 * Should the sampler draw differently (a recorded result is awaited that is
 * never drawn), the waiting ones are answered in the order drawn once no
 * real evaluation is running that could change it, then the real results.
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
      plan.recorded.length === 0 ? fresh(inner, space, context, plan) : new Observable<Candidate>((subscriber) => replay(inner, space, context, plan, subscriber)),
  };
}

/** Nothing to replay: the sampler as the recorded run's continuation (its start and past). */
function fresh(inner: Sampler, space: Space, context: SamplerContext, plan: ReplayPlan): Observable<Candidate> {
  return inner.candidates(space, { ...context, start: plan.start, past: plan.past });
}

function replay(inner: Sampler, space: Space, context: SamplerContext, plan: ReplayPlan, subscriber: Subscriber<Candidate>): TeardownLogic {
  const memo = new Map<number | string, Trial>(); // recorded, not drawn again yet
  const order: (number | string)[] = []; // recorded keys in finishing order
  for (const t of plan.recorded) {
    const key = replayKey(t.i, t.resources);
    if (!memo.has(key)) order.push(key);
    memo.set(key, t);
  }
  let head = 0;
  const held = new Map<number | string, Trial>(); // drawn again, waiting for their turn (insertion order = drawn order)
  const realResults: Trial[] = []; // real results held back until the recorded ones are answered
  let realInFlight = 0; // real candidates emitted whose result has not come back
  let swallowTick = 0; // loop ticks that belong to held-back real results
  // One guard: a release asked for while one runs is queued behind it, and a throw in the sampler's handlers ends the run.
  const trampoline = new Trampoline((error) => subscriber.error(error));
  const results$ = new Feed<Trial>((error) => trampoline.fail(error));
  const demand$ = new Feed<void>((error) => trampoline.fail(error));
  const subscriptions = new Subscription();
  let scheduled = false; // coalesces the wait for the loop to settle into one microtask (not a re-entrancy guard)

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (!subscriber.closed) trampoline.run(release);
    });
  };
  const feed = (trial: Trial): void => {
    results$.next(trial);
    demand$.next();
  };
  const replaying = (): boolean => memo.size > 0 || held.size > 0;

  /** Answers what may be answered now, in order. */
  const release = (): void => {
    for (;;) {
      while (head < order.length && !memo.has(order[head]) && !held.has(order[head])) head++; // answered already
      const next = head < order.length ? order[head] : undefined;
      if (next !== undefined && held.has(next)) {
        head++;
        const trial = held.get(next) as Trial;
        held.delete(next);
        feed(trial);
        continue;
      }
      // The next recorded result is not drawn (yet). A running real evaluation could still lead there; without one, go on.
      if (realInFlight > 0) return;
      if (held.size > 0) {
        const [key, trial] = held.entries().next().value as [number | string, Trial];
        held.delete(key);
        feed(trial);
        continue;
      }
      if (realResults.length > 0) {
        feed(realResults.shift() as Trial);
        continue;
      }
      return;
    }
  };

  subscriptions.add(
    context.results$.subscribe((trial) => {
      realInFlight--;
      if (replaying() || realResults.length > 0) {
        realResults.push(trial);
        swallowTick++;
      } else results$.next(trial);
      schedule();
    }),
  );
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
        // The rule a withPruner sampler attached hears the recorded curve as it did live, so later trials are pruned as in an unbroken run.
        const rule = candidate.prune;
        if (rule) replayCurve(recorded, (value, step) => void rule(value, step));
        held.set(key, recorded);
        schedule();
      },
      error: (error) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }),
  );
  subscriptions.add(
    context.demand$.subscribe(() => {
      if (swallowTick > 0)
        swallowTick--; // comes with a held-back result: fed with it
      else demand$.next();
      schedule();
    }),
  );
  return () => {
    subscriptions.unsubscribe();
    results$.complete();
    demand$.complete();
  };
}

function sameParams(a: unknown, b: unknown): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => Object.is(x[k], y[k]));
}
