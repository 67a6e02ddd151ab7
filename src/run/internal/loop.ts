import { Observable, type Subscriber, type Subscription } from 'rxjs';
import type { Objective } from '../../trial/Objective.js';
import type { Candidate, Trial } from '../../trial/Trial.js';
import type { Sampler } from '../../samplers/Sampler.js';
import type { Space } from '../../space/Space.js';
import { Feed } from '../../trial/internal/Feed.js';
import { Trampoline } from '../../trial/internal/Trampoline.js';
import { macrotask } from '../../base/macrotask.js';
import { loopSlice } from './loopSlice.js';
import { startTrial, type OnError, type TrialSink } from '../../trial/internal/startTrial.js';
import type { Direction } from '../../trial/Direction.js';
import { lossRule, lossView, lossViews } from '../../trial/internal/lossView.js';

export interface LoopPlan {
  readonly space: Space;
  readonly sampler: Sampler;
  readonly iterations: number | undefined;
  readonly concurrency: number;
  readonly onError: OnError;
  readonly start: number;
  readonly past: readonly Trial[];
  readonly signal?: AbortSignal;
  /** The sampler sees losses: under 'maximize' its `past`, `results$` and prune rules get the negated value. @default 'minimize' */
  readonly direction?: Direction;
}

/**
 * The closed loop: the sampler's candidates are evaluated at most
 * `concurrency` at a time (what `evaluate` does with `mergeMap`, on the same
 * trial engine, `startTrial`); each finished trial goes downstream, then to
 * `results$`, then makes one `demand$` tick, so a candidate is drawn only
 * when a slot is free and after every earlier result. Every event passes
 * through one trampoline: no re-entrancy, a flat stack, and no Observable
 * allocated per synchronous trial. Abort completes the stream and cancels
 * trials in flight, which are not emitted.
 *
 * Trials that settle synchronously or in microtasks would keep the event
 * loop from timers and signals for the whole run (an abort would never
 * land), so after `loopSlice.ms` (20 ms) of work the loop holds its demand ticks back
 * and goes on from a macrotask. A throw in a sampler's callbacks (results$,
 * demand$) or anywhere in the loop's own events errors the stream.
 *
 * The loop is the one boundary between the user's values and the sampler's
 * losses: under 'maximize' the sampler (and a Hyperband's rungs, a pruner's
 * rule) sees `-value`, while downstream gets the trial as the objective
 * made it. Minimizing costs nothing: the trials go to the sampler as they are.
 */
export function loop<P, S>(plan: LoopPlan, objective: Objective<P, S>): Observable<Trial<P, S>> {
  return new Observable<Trial<P, S>>((subscriber) => {
    if (plan.signal?.aborted) return subscriber.complete();
    const run = new Run(plan, objective, subscriber);
    // Before the first event: a consumer that unsubscribes during a synchronous run (take(5)) stops it there.
    subscriber.add(() => run.stop());
    run.start();
  });
}

/** Trials between two looks at the clock, at most (the interval adapts to the trials' speed). */
const MAX_LOOK_EVERY = 1024;

/** One trial in flight: the sink `startTrial` reports to, and its cancel function. */
class Slot<P, S> implements TrialSink<P, S> {
  cancel: () => void = noop;
  finished = false;
  trial: Trial<P, S> | undefined = undefined;
  constructor(readonly run: Run<P, S>) {}
  done(trial: Trial<P, S>): void {
    this.finished = true;
    this.trial = trial;
    this.run.trampoline.run(this.run.onDone, this);
  }
  fail(error: unknown): void {
    this.finished = true;
    this.run.trampoline.run(this.run.onFail, error);
  }
}

/** The state of one subscription to the loop. */
class Run<P, S> {
  /** The one error path: sampler callbacks (through the feeds) and the loop's own events end the run here. */
  readonly fail = (error: unknown): void => this.onFail(error);
  readonly trampoline = new Trampoline(this.fail);
  readonly results$ = new Feed<Trial>(this.fail);
  readonly demand$ = new Feed<void>(this.fail);
  readonly queue: Candidate<P, S>[] = [];
  readonly inFlight = new Set<Slot<P, S>>();
  active = 0;
  samplerDone = false;
  stopped = false;
  samplerSubscription: Subscription | undefined;
  /** Trials that finished while the loop waited for its macrotask, in order. */
  readonly heldDone: Slot<P, S>[] = [];
  /** When the current slice of work began. */
  sliceStart = Date.now();
  /** Trials between looks at the clock; doubles while the slice is young. */
  lookEvery = 1;
  untilLook = 1;
  /** Under 'maximize': the sampler's results and prune rules see the negated value. */
  readonly maximize: boolean;
  /** Set while the loop waits for its macrotask; demand ticks owed meanwhile. */
  cancelResume: (() => void) | undefined = undefined;
  owed = 0;
  readonly abortListener = () => {
    this.emitHeld();
    this.stop();
    this.subscriber.complete();
  };

  constructor(
    readonly plan: LoopPlan,
    readonly objective: Objective<P, S>,
    readonly subscriber: Subscriber<Trial<P, S>>,
  ) {
    this.maximize = plan.direction === 'maximize';
    plan.signal?.addEventListener('abort', this.abortListener, { once: true });
  }

  start(): void {
    // Subscribing inside the trampoline queues whatever a sampler emits at subscription time too.
    this.trampoline.run(this.begin);
  }

  readonly begin = (): void => {
    const { plan } = this;
    let candidates$: Observable<Candidate<P, S>>;
    try {
      candidates$ = this.samplerCandidates();
    } catch (error) {
      return this.onFail(error); // a sampler that throws instead of erroring its stream
    }
    this.samplerSubscription = candidates$.subscribe({
      next: (candidate) => this.trampoline.run(this.onCandidate, candidate),
      error: (error) => this.trampoline.run(this.onFail, error),
      complete: () => this.trampoline.run(this.onSamplerComplete),
    });
    for (let k = 0; k < plan.concurrency; k++) this.trampoline.run(this.tick);
  };

  samplerCandidates(): Observable<Candidate<P, S>> {
    const { plan } = this;
    return plan.sampler.candidates(plan.space, {
      iterations: plan.iterations,
      start: plan.start,
      past: lossViews(plan.past, plan.direction ?? 'minimize'),
      results$: this.results$,
      demand$: this.demand$,
      concurrency: plan.concurrency,
    }) as Observable<Candidate<P, S>>;
  }

  readonly tick = (): void => {
    if (!this.stopped) this.demand$.next();
  };

  readonly onCandidate = (candidate: Candidate<P, S>): void => {
    if (this.stopped) return;
    this.queue.push(candidate);
    this.pump();
  };

  readonly onSamplerComplete = (): void => {
    this.samplerDone = true;
    this.checkComplete();
  };

  readonly onDone = (slot: Slot<P, S>): void => {
    if (this.stopped) return;
    // While the event loop has its turn, finished trials wait too: the sampler sees results and demand in the
    // order it would have without the pause, so a seeded run does not depend on when the pause falls.
    if (this.cancelResume) {
      this.heldDone.push(slot);
      return;
    }
    this.inFlight.delete(slot);
    this.active--;
    const trial = slot.trial as Trial<P, S>;
    this.subscriber.next(trial);
    this.results$.next(this.maximize ? lossView(trial) : trial);
    // A look at the clock every `lookEvery` trials, and after any trial that took a clock tick or more.
    if (this.cancelResume || ((--this.untilLook <= 0 || trial.durationMs > 0) && this.sliceOver())) this.owed++;
    else {
      this.tick();
      this.pump();
    }
    this.checkComplete();
  };

  /** False while the slice lasts; at its end, schedules the rest of the run on a macrotask. */
  sliceOver(): boolean {
    const elapsed = Date.now() - this.sliceStart;
    if (elapsed < loopSlice.ms) {
      this.lookEvery = elapsed < loopSlice.ms / 2 ? Math.min(this.lookEvery * 2, MAX_LOOK_EVERY) : 1;
      this.untilLook = this.lookEvery;
      return false;
    }
    this.cancelResume = macrotask(this.resume);
    return true;
  }

  readonly resume = (): void => {
    this.cancelResume = undefined;
    this.sliceStart = Date.now();
    this.untilLook = this.lookEvery;
    this.trampoline.run(this.release);
  };

  /** The demand held back while the event loop had its turn. */
  readonly release = (): void => {
    const owed = this.owed;
    this.owed = 0;
    for (let n = 0; n < owed; n++) this.tick();
    this.pump();
    while (this.heldDone.length > 0 && !this.cancelResume && !this.stopped) this.onDone(this.heldDone.shift() as Slot<P, S>);
    this.checkComplete();
  };

  readonly onFail = (error: unknown): void => {
    if (this.stopped) return;
    this.emitHeld();
    this.stop();
    this.subscriber.error(error);
  };

  /** Trials that finished during a pause are finished: they go downstream before the run ends (abort or error). */
  emitHeld(): void {
    for (const slot of this.heldDone.splice(0)) {
      this.inFlight.delete(slot);
      this.subscriber.next(slot.trial as Trial<P, S>);
    }
  }

  pump(): void {
    const { queue, plan } = this;
    while (!this.stopped && this.active < plan.concurrency && queue.length > 0) {
      const candidate = queue.shift() as Candidate<P, S>;
      this.active++;
      const slot = new Slot(this);
      slot.cancel = startTrial(this.objective, this.maximize ? lossRule(candidate, 'maximize') : candidate, plan.onError, slot);
      if (!slot.finished) this.inFlight.add(slot);
    }
  }

  checkComplete(): void {
    if (!this.stopped && this.samplerDone && this.active === 0 && this.queue.length === 0) {
      this.stop();
      this.subscriber.complete();
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.plan.signal?.removeEventListener('abort', this.abortListener);
    this.cancelResume?.();
    this.cancelResume = undefined;
    this.samplerSubscription?.unsubscribe();
    for (const slot of this.inFlight) slot.cancel();
    this.inFlight.clear();
    this.results$.complete();
    this.demand$.complete();
  }
}

function noop(): void {}
