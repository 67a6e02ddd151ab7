import { Observable, takeWhile, tap, type Subscription } from 'rxjs';
import { ArgumentError } from '../base/ArgumentError.js';
import type { Candidate, Trial } from '../trial/Trial.js';
import type { Space } from '../space/Space.js';
import { checkFiniteNumber, checkKnownKeys, show } from '../base/check.js';
import { halving } from './internal/halving.js';
import { Slot } from './internal/Slot.js';
import { Trampoline } from '../trial/internal/Trampoline.js';
import type { Sampler, SamplerContext } from '../samplers/Sampler.js';
import { RandomSampler } from '../samplers/RandomSampler.js';
import { checkSampler } from '../samplers/internal/checkSampler.js';
import { Feed } from '../trial/internal/Feed.js';
import { hyperbandBrackets, hyperbandEvaluations, maxBracket } from './internal/hyperbandBrackets.js';
import { MAX_HYPERBAND_BRACKETS, MAX_TRIAL_INDEX } from '../base/limits.js';

export interface HyperbandOptions {
  /** The largest budget one configuration gets (epochs, seconds, f-calls: yours to define; R in Li et al.). At least 1. */
  readonly maxResource: number;
  /**
   * `eta` (η, the reduction factor): each rung keeps 1/eta of the configurations with eta times the budget. Above 1,
   * and large enough for at most 200 brackets (`floor(log_eta(maxResource)) + 1`, MAX_HYPERBAND_BRACKETS). @default 3
   */
  readonly eta?: number;
  /** Draws the fresh configurations of each bracket's first rung. @default new RandomSampler() */
  readonly inner?: Sampler;
  /**
   * `false`: synchronous successive halving, exactly Hyperopt.jl's schedule
   * (a rung waits for all its evaluations). `true`: asynchronous successive
   * halving (ASHA): a configuration is promoted as soon as it is in the top
   * 1/eta of the results its rung has so far, and the next bracket starts
   * as soon as the current one has nothing to hand out, so no slot idles
   * until the very end. Use it with `concurrency > 1`.
   * @default false
   */
  readonly asynchronous?: boolean;
}

/**
 * Hyperband (Li et al.) as Hyperopt.jl counts it: brackets `s = s_max..0`,
 * each a successive halving that draws `n` configurations from `inner`,
 * evaluates them with `r` resources, keeps the best `floor(n / eta)` (stable
 * order, NaN and failures last) and evaluates those again with `eta` times
 * the resources and the state they returned, until one rung of `maxResource`. The
 * objective receives `trial.resources` and, for a promoted configuration,
 * `trial.state`; return `{ value, state }` to resume from it. `iterations`
 * counts whole Hyperband iterations (default 1); continuing with `ho` runs
 * another. maxResource = 50, eta = 3 is 69 evaluations per iteration.
 *
 * The inner sampler is subscribed once per bracket with `iterations` equal to
 * that bracket's `n` (so LHSampler plans one hypercube per bracket), gets one
 * demand tick per free slot of the first rung (it draws as late as
 * possible), sees every result of this run (`past` holds the earlier
 * brackets, `results$` the ones that finish while it draws) and may read
 * `trial.resources`, `trial.bracket` and `trial.rung` to model budgets (BOHB).
 * Its rungs keep the smallest values: a run with `direction: 'maximize'` hands
 * it (and its inner sampler) the negated values, so it keeps the largest.
 *
 * ## Example
 * ```ts
 * import { hyperopt, Hyperband, linrange } from 'hyperopt-rx';
 * const ho = await hyperopt(
 *   { space: { x: linrange(-5, 5, 101) }, sampler: new Hyperband({ maxResource: 27, eta: 3 }) },
 *   ({ x }, { resources, state }) => {
 *     // e.g. train for `resources` epochs, starting from `state`
 *     const steps = (state as number | undefined ?? 0) + resources!;
 *     return { value: x * x + 1 / steps, state: steps };
 *   },
 * );
 * console.log(ho.trials.length, ho.minimum); // 69 evaluations
 * ```
 * @see hyperband
 */
export class Hyperband implements Sampler {
  readonly name = 'Hyperband';
  readonly defaultIterations = 1;
  readonly maxResource: number;
  readonly eta: number;
  readonly inner: Sampler;
  readonly asynchronous: boolean;

  constructor(options: HyperbandOptions) {
    if (options === null || typeof options !== 'object')
      throw new ArgumentError('maxResource', `is required: new Hyperband({ maxResource, eta, inner }), got ${show(options)}`);
    checkKnownKeys('Hyperband', options, ['maxResource', 'eta', 'inner', 'asynchronous']);
    this.maxResource = checkFiniteNumber('maxResource', options.maxResource);
    if (this.maxResource < 1) throw new ArgumentError('maxResource', `must be at least 1 (the largest budget), got ${show(this.maxResource)}`);
    this.eta = checkFiniteNumber('eta', options.eta ?? 3);
    if (!(this.eta > 1)) throw new ArgumentError('eta', `must be greater than 1 (the reduction factor), got ${show(this.eta)}`);
    // The bracket plan is built whole: floor(log_eta(maxResource)) + 1 brackets of up to that many rungs.
    const brackets = maxBracket(this.maxResource, this.eta) + 1;
    if (brackets > MAX_HYPERBAND_BRACKETS) {
      throw new ArgumentError(
        options.eta === undefined ? 'maxResource' : 'eta',
        `gives ${brackets} brackets (floor(log(maxResource) / log(eta)) + 1 with maxResource = ${this.maxResource}, eta = ${this.eta}), more than ${MAX_HYPERBAND_BRACKETS} (MAX_HYPERBAND_BRACKETS): raise eta or lower maxResource`,
      );
    }
    if (hyperbandEvaluations(this.maxResource, this.eta) > MAX_TRIAL_INDEX) {
      throw new ArgumentError(
        'maxResource',
        `gives more than ${MAX_TRIAL_INDEX} (MAX_TRIAL_INDEX) evaluations per Hyperband iteration with eta = ${this.eta}, got maxResource = ${this.maxResource}`,
      );
    }
    this.inner = options.inner === undefined ? new RandomSampler() : checkSampler('inner', options.inner);
    const asynchronous = options.asynchronous ?? false;
    if (typeof asynchronous !== 'boolean') throw new ArgumentError('asynchronous', `must be a boolean, got ${show(asynchronous)}`);
    this.asynchronous = asynchronous;
  }

  /** Planned evaluations: every rung of every bracket, times `iterations` (ASHA may run a few more). */
  evaluations(_space: Space, iterations: number): number {
    return iterations * hyperbandEvaluations(this.maxResource, this.eta);
  }

  validate(space: Space, _iterations: number | undefined): void {
    // The inner sampler plans at most the first bracket's n configurations at once.
    this.inner.validate?.(space, hyperbandBrackets(this.maxResource, this.eta)[0].n);
  }

  toJSON(): object {
    return { name: this.name, maxResource: this.maxResource, eta: this.eta, asynchronous: this.asynchronous, inner: this.inner.toJSON?.() ?? { name: this.inner.name } };
  }

  candidates(space: Space, context: SamplerContext): Observable<Candidate> {
    const { iterations, start, past, results$, demand$, concurrency } = context;
    const { inner, eta, asynchronous } = this;
    const plans = hyperbandBrackets(this.maxResource, eta);
    const planned = iterations === undefined ? Infinity : iterations * plans.length;
    return new Observable<Candidate>((subscriber) => {
      // One guard for every callback here and in the brackets; a throw errors this stream, as in an operator.
      const trampoline = new Trampoline((error) => subscriber.error(error));
      const fail = (error: unknown): void => trampoline.fail(error);
      const open: OpenBracket[] = []; // oldest first; synchronous: at most one
      const finished: Trial[] = []; // this run's trials: `past` for later brackets' inner samplers
      let spare: Slot[] = []; // slots no bracket could take when offered: the next bracket's, once one opens
      let opened = 0;
      let nextI = start;
      let resultsDone = false;

      /** The next bracket: an instance of the halving operator over its inner sampler, its own results and the slots offered to it. */
      const openBracket = (): OpenBracket => {
        const plan = plans[opened++ % plans.length];
        const first = nextI;
        nextI += plan.n; // each bracket owns a block of indices, even when brackets overlap
        const bracket: OpenBracket = { first, n: plan.n, drawing: true, seen$: new Feed(fail), own$: new Feed(fail), slots$: new Feed(fail), subscription: undefined };
        if (resultsDone) bracket.own$.complete();
        open.push(bracket);
        // The inner sampler draws this bracket's first rung and sees every result of the run while it draws.
        const draw = (innerDemand$: Observable<void>): Observable<Candidate> =>
          inner
            .candidates(space, { iterations: plan.n, start: first, past: [...past, ...finished], results$: bracket.seen$, demand$: innerDemand$, concurrency })
            .pipe(tap({ complete: () => (bracket.drawing = false) }));
        const rungs = { bracket: plan.s, n: plan.n, rungs: plan.rungs.length, r: plan.r, eta, resources: plan.rungs.map((rung) => rung.resources) };
        bracket.subscription = halving({ ...rungs, asynchronous, first })({ fresh: draw, results$: bracket.own$, slots$: bracket.slots$, trampoline }).subscribe({
          next: (candidate) => subscriber.next(candidate),
          error: fail,
          complete: () => trampoline.run(closeBracket, bracket),
        });
        return bracket;
      };

      /** A free slot goes to the oldest bracket with work for it; else synchronous waits, asynchronous opens the next bracket. */
      const route = (slot: Slot): void => {
        for (const bracket of open) {
          bracket.slots$.next(slot);
          if (slot.claimed) return;
        }
        // Synchronous: wait at the rung barrier of the open bracket (concat). Asynchronous: open the next one instead of idling (merge).
        while ((asynchronous || open.length === 0) && opened < planned) {
          openBracket().slots$.next(slot);
          if (slot.claimed) return;
        }
        if (spare.length >= 2 * concurrency + 16) spare = spare.filter((s) => !s.claimed);
        spare.push(slot);
      };

      const closeBracket = (bracket: OpenBracket): void => {
        const k = open.indexOf(bracket);
        if (k < 0) return;
        open.splice(k, 1);
        closeFeeds(bracket);
        // The slots it kept waiting go on to the brackets left, or the next one.
        const left = spare.filter((s) => !s.claimed);
        spare = [];
        for (const slot of left) route(slot);
        settle();
      };

      const settle = (): void => {
        if (open.length === 0 && opened >= planned && !subscriber.closed) subscriber.complete();
      };

      const onResult = (trial: Trial): void => {
        finished.push(trial);
        // Every drawing inner sampler sees every result, before its owner's bracket records it and before the tick it causes.
        for (const bracket of open) if (bracket.drawing) bracket.seen$.next(trial);
        for (const bracket of open) {
          if (trial.i >= bracket.first && trial.i < bracket.first + bracket.n) {
            bracket.own$.next(trial);
            break;
          }
        }
      };
      const onResultsDone = (): void => {
        resultsDone = true;
        for (const bracket of open) bracket.own$.complete();
        settle();
      };
      const onTick = (): void => {
        route(new Slot());
        settle();
      };

      const fromResults = results$.subscribe({ next: (trial) => trampoline.run(onResult, trial), complete: () => trampoline.run(onResultsDone) });
      // takeWhile: a synchronous endless tick source (plain `candidates()`) stops once we complete.
      const fromDemand = demand$.pipe(takeWhile(() => !subscriber.closed)).subscribe(() => trampoline.run(onTick));
      return () => {
        fromResults.unsubscribe();
        fromDemand.unsubscribe();
        for (const bracket of open.splice(0)) {
          bracket.subscription?.unsubscribe();
          closeFeeds(bracket);
        }
      };
    });
  }
}

/** One open bracket: where its results and slots are routed. */
interface OpenBracket {
  /** The first index of this bracket's block of configuration indices; it owns `first .. first + n - 1`. */
  readonly first: number;
  readonly n: number;
  /** True while its inner sampler draws (and sees the run's results). */
  drawing: boolean;
  readonly seen$: Feed<Trial>;
  readonly own$: Feed<Trial>;
  readonly slots$: Feed<Slot>;
  subscription: Subscription | undefined;
}

function closeFeeds(bracket: OpenBracket): void {
  bracket.seen$.complete();
  bracket.own$.complete();
  bracket.slots$.complete();
}
