import { Observable, takeWhile, type Subscription } from 'rxjs';
import { ArgumentError } from '../base/ArgumentError.js';
import type { Candidate, Trial } from '../trial/Trial.js';
import type { Space } from '../space/Space.js';
import { checkFiniteNumber, checkKnownKeys, show } from '../base/check.js';
import { asyncRungs, syncRungs, type RungEngine } from './internal/rungInternals.js';
import type { Sampler, SamplerContext } from '../samplers/Sampler.js';
import { RandomSampler } from '../samplers/RandomSampler.js';
import { checkSampler } from '../samplers/internal/checkSampler.js';
import { Feed } from '../trial/internal/Feed.js';
import { hyperbandBrackets, hyperbandEvaluations, maxBracket, type HyperbandBracket } from './internal/hyperbandBrackets.js';
import { MAX_HYPERBAND_BRACKETS, MAX_TRIAL_INDEX } from '../base/limits.js';

export interface HyperbandOptions {
  /** The largest budget one configuration gets (epochs, seconds, f-calls: yours to define). At least 1. */
  readonly R: number;
  /**
   * `eta` (η, the reduction factor): each rung keeps 1/eta of the configurations with eta times the budget. Above 1,
   * and large enough for at most 200 brackets (`floor(log_eta(R)) + 1`, MAX_HYPERBAND_BRACKETS). @default 3
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
 * the resources and the state they returned, until one rung of `R`. The
 * objective receives `trial.resources` and, for a promoted configuration,
 * `trial.state`; return `{ value, state }` to resume from it. `iterations`
 * counts whole Hyperband iterations (default 1); continuing with `ho` runs
 * another. R = 50, eta = 3 is 69 evaluations per iteration.
 *
 * The inner sampler is subscribed once per bracket with `iterations` equal to
 * that bracket's `n` (so LHSampler plans one hypercube per bracket), gets one
 * demand tick per free slot of the first rung (it draws as late as
 * possible), sees every result of this run (`past` holds the earlier
 * brackets, `results$` the ones that finish while it draws) and may read
 * `trial.resources`, `trial.bracket` and `trial.rung` to model budgets (BOHB).
 *
 * ## Example
 * ```ts
 * import { hyperopt, Hyperband, linrange } from 'hyperopt-rx';
 * const ho = await hyperopt(
 *   { space: { x: linrange(-5, 5, 101) }, sampler: new Hyperband({ R: 27, eta: 3 }) },
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
  readonly R: number;
  readonly eta: number;
  readonly inner: Sampler;
  readonly asynchronous: boolean;

  constructor(options: HyperbandOptions) {
    if (options === null || typeof options !== 'object') throw new ArgumentError('R', `is required: new Hyperband({ R, eta, inner }), got ${show(options)}`);
    checkKnownKeys('Hyperband', options, ['R', 'eta', 'inner', 'asynchronous']);
    this.R = checkFiniteNumber('R', options.R);
    if (this.R < 1) throw new ArgumentError('R', `must be at least 1 (the largest budget), got ${show(this.R)}`);
    this.eta = checkFiniteNumber('eta', options.eta ?? 3);
    if (!(this.eta > 1)) throw new ArgumentError('eta', `must be greater than 1 (the reduction factor), got ${show(this.eta)}`);
    // The bracket plan is built whole: floor(log_eta(R)) + 1 brackets of up to that many rungs.
    const brackets = maxBracket(this.R, this.eta) + 1;
    if (brackets > MAX_HYPERBAND_BRACKETS) {
      throw new ArgumentError(
        options.eta === undefined ? 'R' : 'eta',
        `gives ${brackets} brackets (floor(log(R) / log(eta)) + 1 with R = ${this.R}, eta = ${this.eta}), more than ${MAX_HYPERBAND_BRACKETS} (MAX_HYPERBAND_BRACKETS): raise eta or lower R`,
      );
    }
    if (hyperbandEvaluations(this.R, this.eta) > MAX_TRIAL_INDEX) {
      throw new ArgumentError('R', `gives more than ${MAX_TRIAL_INDEX} (MAX_TRIAL_INDEX) evaluations per Hyperband iteration with eta = ${this.eta}, got R = ${this.R}`);
    }
    this.inner = options.inner === undefined ? new RandomSampler() : checkSampler('inner', options.inner);
    const asynchronous = options.asynchronous ?? false;
    if (typeof asynchronous !== 'boolean') throw new ArgumentError('asynchronous', `must be a boolean, got ${show(asynchronous)}`);
    this.asynchronous = asynchronous;
  }

  /** Planned evaluations: every rung of every bracket, times `iterations` (ASHA may run a few more). */
  evaluations(_space: Space, iterations: number): number {
    return iterations * hyperbandEvaluations(this.R, this.eta);
  }

  validate(space: Space, _iterations: number | undefined): void {
    // The inner sampler plans at most the first bracket's n configurations at once.
    this.inner.validate?.(space, hyperbandBrackets(this.R, this.eta)[0].n);
  }

  toJSON(): object {
    return { name: this.name, R: this.R, eta: this.eta, asynchronous: this.asynchronous, inner: this.inner.toJSON?.() ?? { name: this.inner.name } };
  }

  candidates(space: Space, context: SamplerContext): Observable<Candidate> {
    const { iterations, start, past, results$, demand$, concurrency } = context;
    const { inner, eta, asynchronous } = this;
    const brackets = hyperbandBrackets(this.R, eta);
    return new Observable<Candidate>((subscriber) => {
      // A throw in the inner sampler's callbacks (through its feeds) or in ours errors this stream, as in an operator.
      const fail = (error: unknown): void => subscriber.error(error);
      const guarded =
        <A extends unknown[]>(f: (...args: A) => void) =>
        (...args: A): void => {
          try {
            f(...args);
          } catch (error) {
            fail(error);
          }
        };
      const planned = iterations === undefined ? Infinity : iterations * brackets.length;
      const runs: BracketRun[] = []; // active brackets, oldest first (synchronous: at most one)
      const owner = new Map<number, BracketRun>();
      const finished: Trial[] = []; // this run's trials: `past` for later brackets' inner samplers
      let started = 0;
      let nextI = start;
      let free = 0; // slots the loop has offered and we have not used yet
      let noMoreResults = false;
      let pumping = false;
      let again = false;

      const emit = (candidate: Candidate, run: BracketRun): void => {
        owner.set(candidate.i, run);
        subscriber.next(candidate);
      };

      const startRun = (): void => {
        const bracket = brackets[started++ % brackets.length];
        const engine = (asynchronous ? asyncRungs : syncRungs)({
          bracket: bracket.s,
          n: bracket.n,
          rungs: bracket.rungs.length,
          r: bracket.r,
          eta,
          resources: bracket.rungs.map((rung) => rung.resources),
        });
        const first = nextI;
        nextI += bracket.n; // each bracket owns a block of indices, even when brackets overlap
        const run: BracketRun = { bracket, engine, first, drawn: 0, asked: 0, innerDone: false, demand$: new Feed<void>(fail), results$: new Feed<Trial>(fail) };
        runs.push(run);
        run.subscription = inner
          .candidates(space, { iterations: bracket.n, start: first, past: [...past, ...finished], results$: run.results$, demand$: run.demand$, concurrency })
          .subscribe({
            next: guarded((drawn: Candidate) => {
              if (!engine.wantsNew()) return; // an inner sampler that over-delivers: ignore the extra
              if (run.asked > 0) run.asked--;
              else free--; // drawn without a tick: the loop queues it
              const candidate = engine.admit(first + run.drawn++, drawn.params);
              emit(drawn.prune ? { ...candidate, prune: drawn.prune } : candidate, run);
            }),
            error: fail,
            complete: guarded(() => {
              run.innerDone = true;
              run.asked = 0;
              engine.closeAdmission();
              pump();
            }),
          });
      };

      /** Hands out work while slots are free; retires finished brackets; completes at the end. */
      const pump = (): void => {
        if (pumping) {
          again = true;
          return;
        }
        pumping = true;
        try {
          do {
            again = false;
            retire();
            while (free > 0 && !subscriber.closed) {
              if (offerJob()) continue;
              // Synchronous: wait at the rung barrier. Asynchronous: open the next bracket instead of idling.
              if ((runs.length > 0 && !asynchronous) || started >= planned) break;
              startRun();
            }
            retire();
            if (runs.length === 0 && started >= planned && !subscriber.closed) subscriber.complete();
          } while (again && !subscriber.closed);
        } finally {
          pumping = false;
        }
      };

      const offerJob = (): boolean => {
        for (const run of runs) {
          const promoted = run.engine.promote();
          if (promoted) {
            free--;
            emit(promoted, run);
            return true;
          }
          if (!run.innerDone && run.drawn + run.asked < run.bracket.n) {
            free--;
            run.asked++;
            run.demand$.next();
            return true;
          }
        }
        return false;
      };

      const retire = (): void => {
        for (let k = runs.length - 1; k >= 0; k--) {
          const run = runs[k];
          // Without a results stream (plain `candidates()`), a bracket ends once its first rung is drawn.
          const over = run.engine.done || (noMoreResults && run.innerDone && run.asked === 0);
          if (over) {
            runs.splice(k, 1);
            closeRun(run);
          }
        }
      };

      const closeRun = (run: BracketRun): void => {
        run.subscription?.unsubscribe();
        run.demand$.complete();
        run.results$.complete();
      };

      const onResult = (trial: Trial): void => {
        finished.push(trial);
        // Every active inner sampler sees every result, before the tick it causes.
        for (const run of runs) if (!run.innerDone) run.results$.next(trial);
        const run = owner.get(trial.i);
        if (run && runs.includes(run)) run.engine.record(trial);
        pump();
      };

      const fromResults = results$.subscribe({
        next: guarded(onResult),
        complete: guarded(() => {
          noMoreResults = true;
          pump();
        }),
      });
      // takeWhile: a synchronous endless tick source (plain `candidates()`) stops once we complete.
      const fromDemand = demand$.pipe(takeWhile(() => !subscriber.closed)).subscribe(
        guarded(() => {
          free++;
          pump();
        }),
      );
      return () => {
        fromResults.unsubscribe();
        fromDemand.unsubscribe();
        for (const run of runs) closeRun(run);
        runs.length = 0;
      };
    });
  }
}

interface BracketRun {
  readonly bracket: HyperbandBracket;
  readonly engine: RungEngine;
  /** The first index of this bracket's block of configuration indices. */
  readonly first: number;
  /** Fresh configurations drawn from the inner sampler so far. */
  drawn: number;
  /** Ticks sent to the inner sampler that it has not answered yet. */
  asked: number;
  innerDone: boolean;
  readonly demand$: Feed<void>;
  readonly results$: Feed<Trial>;
  subscription?: Subscription;
}
