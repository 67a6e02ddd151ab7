import { asyncScheduler, isObservable, Subject, takeUntil, type Observable, type Subscription } from 'rxjs';
import type { Objective, TrialContext } from '../Objective.js';
import type { Candidate, Trial } from '../Trial.js';
import { show } from '../../base/check.js';

export type OnError = 'fail' | 'skip';

/** Where a started trial reports: exactly one of these is called, once. */
export interface TrialSink<P, S> {
  /** The finished trial (ok, pruned, or failed under onError 'skip'). */
  done(trial: Trial<P, S>): void;
  /** Under onError 'fail': the objective's error (its failed trial is `failedTrialOf(error)`). */
  fail(error: unknown): void;
}

const failedTrials = new WeakMap<object, Trial>();

/** The failed trial behind an error that `onError: 'fail'` sent down the stream. */
export function failedTrialOf(error: unknown): Trial | undefined {
  return error !== null && typeof error === 'object' ? failedTrials.get(error) : undefined;
}

/**
 * One evaluation in progress, and the objective's view of it (`TrialContext`).
 * Methods instead of per-trial closures: a synchronous trial allocates this
 * object and its record, nothing else. The AbortController is made on first
 * use, since most objectives never look at the signal.
 */
class Execution<P, S> implements TrialContext<S> {
  readonly i: number;
  readonly resources: number | undefined;
  readonly state: S | undefined;
  #controller: AbortController | undefined = undefined;
  #cancelled = false;
  #reported = false;
  #inner: Subscription | undefined = undefined;
  /** Under a prune rule: fires to stop the objective's Observable at once, even in the middle of a synchronous emission. */
  #stop: Subject<void> | undefined = undefined;
  /** The values emitted so far; its length is the step count. */
  #curve: number[] | undefined = undefined;
  #last: unknown = undefined;
  readonly #t0: number;

  constructor(
    readonly candidate: Candidate<P, S>,
    readonly onError: OnError,
    readonly sink: TrialSink<P, S>,
  ) {
    this.i = candidate.i;
    this.resources = candidate.resources;
    this.state = candidate.state;
    this.#t0 = asyncScheduler.now();
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#cancelled) this.#controller.abort(new Error('trial cancelled'));
    }
    return this.#controller.signal;
  }

  get open(): boolean {
    return !this.#reported && !this.#cancelled;
  }

  start(objective: Objective<P, S>): () => void {
    let out: unknown;
    try {
      out = objective(this.candidate.params, this);
    } catch (error) {
      this.fail(error);
      return noop;
    }
    if (typeof out === 'number') this.finish(out, 'ok', undefined);
    else this.receive(out);
    return this.#reported ? noop : () => this.cancel('trial cancelled');
  }

  /** Anything but a number. Looking at it can throw (a Proxy, a `then` getter, a `then` that throws): a failed trial. */
  receive(out: unknown): void {
    try {
      if (isObservable(out)) this.follow(out);
      else if (isPromiseLike(out))
        out.then(
          (result) => this.open && this.settle(result),
          (error) => this.open && this.fail(error),
        );
      else this.settle(out);
    } catch (error) {
      if (this.#reported) throw error; // not the result's: it came from downstream of the report
      if (!this.#cancelled) this.fail(error);
    }
  }

  cancel(reason: string): void {
    if (this.#reported || this.#cancelled) return;
    this.#cancelled = true;
    this.#inner?.unsubscribe();
    this.#controller?.abort(new Error(reason));
  }

  follow(out: Observable<unknown>): void {
    // `#inner` exists only once subscribe returns: a synchronous source (a loop checking `subscriber.closed`,
    // `range`, `from(array)`) would run to its end after a prune. takeUntil closes its subscriber right away.
    const source = this.candidate.prune ? out.pipe(takeUntil((this.#stop = new Subject<void>()))) : out;
    this.#inner = source.subscribe({
      next: (result) => this.step(result),
      error: (error) => this.open && this.fail(error),
      complete: () => {
        if (!this.open) return;
        if (this.#curve === undefined) this.fail(new TypeError('objective returned an Observable that completed without a value'));
        else this.settle(this.#last);
      },
    });
    // A synchronous prune happened before `#inner` was assigned.
    if (this.#reported) this.#inner.unsubscribe();
  }

  step(result: unknown): void {
    if (!this.open) return;
    this.#last = result;
    const { prune } = this.candidate;
    let value: number | undefined;
    let state: S | undefined;
    let unreadable = false;
    let problem: unknown;
    try {
      value = typeof result === 'number' ? result : resultValue(result);
      if (prune && value !== undefined && typeof result !== 'number') state = (result as { state?: S }).state;
    } catch (error) {
      unreadable = true;
      problem = error;
    }
    const steps = (this.#curve ??= []).push(value ?? NaN);
    if (!prune) return; // without a rule, only the last result is judged (by settle)
    if (unreadable) return this.stopWith('trial failed', () => this.fail(problem)); // an intermediate result that throws when read fails the trial
    let pruned: boolean;
    try {
      pruned = value !== undefined && prune(value, steps);
    } catch (error) {
      // The pruning rule's own error is no failure of the objective: it ends the run, whatever onError says.
      return this.stopWith('trial failed', () => {
        this.#reported = true;
        this.sink.fail(error);
      });
    }
    if (pruned) this.stopWith('trial pruned', () => this.finish(value as number, 'pruned', state));
  }

  /** Stops a streaming objective at once (even mid-emission), then reports. */
  stopWith(reason: string, report: () => void): void {
    this.#cancelled = true; // first: the completion the stop causes is then ignored
    this.#stop?.next();
    this.#inner?.unsubscribe();
    this.#controller?.abort(new Error(reason));
    report();
  }

  settle(result: unknown): void {
    if (typeof result === 'number') return this.finish(result, 'ok', undefined);
    let value: number | undefined;
    let state: S | undefined;
    let problem: unknown;
    try {
      value = resultValue(result);
      if (value === undefined) problem = new TypeError(`objective returned ${show(result)}; expected a number or { value: number }`);
      else state = (result as { state?: S }).state;
    } catch (error) {
      problem = error; // a `value` or `state` getter, or a Proxy, that throws
    }
    if (problem !== undefined || value === undefined) this.fail(problem);
    else this.finish(value, 'ok', state);
  }

  finish(value: number, status: Trial['status'], state: S | undefined): void {
    this.#reported = true;
    this.sink.done(makeTrial(this.candidate, value, status, state, this.#curve, undefined, asyncScheduler.now() - this.#t0));
  }

  fail(error: unknown): void {
    this.#reported = true;
    const trial = makeTrial<P, S>(this.candidate, NaN, 'failed', undefined, this.#curve, error, asyncScheduler.now() - this.#t0);
    if (this.onError === 'skip') return this.sink.done(trial);
    const err = error !== null && (typeof error === 'object' || typeof error === 'function') ? error : new Error(`objective threw ${show(error)}`, { cause: error });
    failedTrials.set(err, trial);
    this.sink.fail(err);
  }
}

/**
 * Starts one evaluation. A synchronous objective reports before this
 * returns; otherwise the returned function cancels it (aborts its signal,
 * unsubscribes a streaming objective) and is a no-op once the trial has
 * reported. A candidate's `prune` rule is asked after each intermediate
 * value of a streaming objective and stops it, recording 'pruned' with the
 * last value.
 */
export function startTrial<P, S>(objective: Objective<P, S>, candidate: Candidate<P, S>, onError: OnError, sink: TrialSink<P, S>): () => void {
  return new Execution(candidate, onError, sink).start(objective);
}

function makeTrial<P, S>(
  candidate: Candidate<P, S>,
  value: number,
  status: Trial['status'],
  state: S | undefined,
  curve: readonly number[] | undefined,
  error: unknown,
  durationMs: number,
): Trial<P, S> {
  const trial: { -readonly [K in keyof Trial<P, S>]: Trial<P, S>[K] } = { i: candidate.i, params: candidate.params, value, status, durationMs };
  if (candidate.resources !== undefined) trial.resources = candidate.resources;
  if (candidate.bracket !== undefined) trial.bracket = candidate.bracket;
  if (candidate.rung !== undefined) trial.rung = candidate.rung;
  if (state !== undefined) trial.state = state;
  if (curve !== undefined) {
    trial.steps = curve.length;
    trial.curve = curve;
  }
  if (status === 'failed') trial.error = error;
  return trial;
}

function resultValue(result: unknown): number | undefined {
  if (result !== null && typeof result === 'object' && typeof (result as { value?: unknown }).value === 'number') {
    return (result as { value: number }).value;
  }
  return undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

function noop(): void {}
