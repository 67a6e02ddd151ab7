import { Observable } from 'rxjs';
import type { Candidate, Trial } from '../../trial/Trial.js';
import { Feed } from '../../trial/internal/Feed.js';
import type { Trampoline } from '../../trial/internal/Trampoline.js';
import { asyncRungs, syncRungs, type RungPlan } from './rungInternals.js';
import type { Slot } from './Slot.js';

export interface HalvingPlan extends RungPlan {
  /** False: a rung's top `floor(n / eta)` go on once the rung is complete. True (ASHA): the top 1/eta of its results so far. */
  readonly asynchronous: boolean;
  /** The index of the first fresh configuration of a drawn bracket (they are numbered from here). @default 0 */
  readonly first?: number;
}

export interface HalvingSources {
  /**
   * Rung 0's fresh configurations. A function is a sampler drawn on demand:
   * a free slot with no promotion to take sends one tick on the `demand$` it
   * is given, and what it draws is numbered from `plan.first`. An Observable
   * pushes: its candidates keep their `i` and wait for a slot.
   */
  readonly fresh: Observable<Candidate> | ((demand$: Observable<void>) => Observable<Candidate>);
  /** This bracket's own finished trials; completing means no more will come. */
  readonly results$: Observable<Trial>;
  /** Free slots offered to this bracket. Omitted: every candidate goes out at once (the evaluating operator buffers them). */
  readonly slots$?: Observable<Slot>;
  /** The owner's guard: one queue for every callback, and its error path. */
  readonly trampoline: Trampoline;
}

/**
 * One successive-halving bracket as an operator that does not evaluate: it
 * takes the bracket's fresh configurations and its own results and emits
 * rung-0 candidates and promotions, filtered rung by rung (synchronous: a
 * rung's top `floor(n / eta)` once the rung is complete; asynchronous: the
 * top 1/eta so far). Its pull side is its own: a free slot takes a promotion
 * first, else a fresh configuration, else waits in the bracket until one of
 * the bracket's results makes work for it; a slot another bracket claimed
 * meanwhile is dropped. It completes when the bracket has nothing left (or,
 * with no results coming, once its first rung is out).
 *
 * `successiveHalving` and `asha` close it through `evaluate`; `Hyperband`
 * runs one per bracket, one after another or side by side.
 */
export function halving(plan: HalvingPlan): (sources: HalvingSources) => Observable<Candidate> {
  const first = plan.first ?? 0;
  return ({ fresh, results$, slots$, trampoline }) =>
    new Observable<Candidate>((subscriber) => {
      const engine = (plan.asynchronous ? asyncRungs : syncRungs)(plan);
      const drawn$ = typeof fresh === 'function';
      const demand$ = new Feed<void>((error) => trampoline.fail(error)); // asks a drawn source for one
      const waiting: Slot[] = []; // slots offered when there was no work for them
      const pushed: Candidate[] = []; // pushed fresh configurations waiting for a slot
      let drawn = 0; // fresh configurations admitted from a drawn source
      let asked = 0; // ticks sent to a drawn source and not answered yet
      let borrowed = 0; // drawn without a tick: the next slots offered pay for them
      let freshDone = false;
      let resultsDone = false;

      const emitFresh = (c: Candidate, i: number): void => {
        const candidate = engine.admit(i, c.params);
        subscriber.next(c.prune ? { ...candidate, prune: c.prune } : candidate);
      };

      /** Work for one free (unclaimed) slot now: a promotion first, else a fresh configuration. */
      const serve = (slot: Slot): boolean => {
        const promoted = engine.promote();
        if (promoted) {
          slot.claim();
          subscriber.next(promoted);
          return true;
        }
        if (drawn$) {
          if (freshDone || drawn + asked >= plan.n) return false;
          slot.claim();
          asked++;
          demand$.next();
          return true;
        }
        if (pushed.length === 0) return false;
        slot.claim();
        const c = pushed.shift()!;
        emitFresh(c, c.i);
        if (freshDone && pushed.length === 0) engine.closeAdmission();
        return true;
      };

      /** Hands out what can go now: to the waiting slots, or all of it when slots are not counted. */
      const flush = (): void => {
        if (slots$ === undefined) {
          for (let c = engine.promote(); c; c = engine.promote()) subscriber.next(c);
          return;
        }
        while (waiting.length > 0 && !subscriber.closed) {
          const slot = waiting[0];
          if (!slot.claimed && !serve(slot)) return;
          waiting.shift();
        }
      };

      const settle = (): void => {
        if (subscriber.closed) return;
        // With no results coming (plain `candidates()`), a drawn bracket ends once its first rung is out.
        if (engine.done || (drawn$ && resultsDone && freshDone && asked === 0)) subscriber.complete();
      };

      const onSlot = (slot: Slot): void => {
        if (slot.claimed) return;
        if (borrowed > 0) {
          slot.claim();
          borrowed--;
        } else if (!serve(slot)) waiting.push(slot);
      };

      /** A drawn configuration, on the stack of the tick that asked for it (its order among candidates matters). */
      const onDrawn = (c: Candidate): void => {
        if (!engine.wantsNew()) return; // a source that over-delivers: ignore the extra
        if (asked > 0) asked--;
        else {
          // Drawn without a tick (the loop queues it): it takes a waiting slot, or the next one offered.
          const slot = waiting.find((s) => !s.claimed);
          if (slot) slot.claim();
          else if (slots$ !== undefined) borrowed++;
        }
        emitFresh(c, first + drawn++);
      };
      const onDrawnDone = (): void => {
        freshDone = true;
        asked = 0;
        engine.closeAdmission();
        trampoline.run(progress);
      };

      const onPushed = (c: Candidate): void => {
        if (slots$ === undefined) emitFresh(c, c.i);
        else {
          pushed.push(c);
          flush();
        }
      };
      const onPushedDone = (): void => {
        freshDone = true;
        if (pushed.length === 0) engine.closeAdmission();
        progress();
      };

      const onResult = (trial: Trial): void => {
        engine.record(trial);
        progress();
      };
      const onResultsDone = (): void => {
        resultsDone = true;
        settle();
      };
      const progress = (): void => {
        flush();
        settle();
      };

      // Results and slots are handled on the stack that routes them: whoever offers a slot sees at once whether it was taken.
      const fromResults = results$.subscribe({ next: (t) => trampoline.call(onResult, t), complete: () => trampoline.call(onResultsDone) });
      const fromSlots = slots$?.subscribe((slot) => trampoline.call(onSlot, slot));
      const fromFresh = drawn$
        ? fresh(demand$).subscribe({
            next: (c) => trampoline.call(onDrawn, c),
            error: (error) => subscriber.error(error),
            complete: () => trampoline.call(onDrawnDone),
          })
        : fresh.subscribe({
            next: (c) => trampoline.run(onPushed, c),
            error: (error) => subscriber.error(error),
            complete: () => trampoline.run(onPushedDone),
          });
      settle(); // an empty bracket
      return () => {
        fromFresh.unsubscribe();
        fromSlots?.unsubscribe();
        fromResults.unsubscribe();
        demand$.complete();
      };
    });
}
