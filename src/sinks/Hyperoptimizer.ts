import type { Candidate, Trial } from '../trial/Trial.js';
import type { Sampler } from '../samplers/Sampler.js';
import { RandomSampler } from '../samplers/RandomSampler.js';
import type { Range } from '../space/Range.js';
import { isRange } from '../space/Range.js';
import type { Space } from '../space/Space.js';
import { trialEncoder } from './internal/trialCodec.js';
import { describeSpace } from '../space/describeSpace.js';
import { checkSpace } from '../space/checkSpace.js';
import { checkFiniteNumber, checkFunction, checkOneOf, checkOptions, checkPositiveInteger, checkTrialIndex, show } from '../base/check.js';
import { ArgumentError } from '../base/ArgumentError.js';
import { checkSampler } from '../samplers/internal/checkSampler.js';
import { formatValue } from './internal/formatValue.js';
import { askCandidates } from './internal/askCandidates.js';
import type { Direction } from '../trial/Direction.js';
import { checkDirection } from '../trial/internal/lossView.js';

/** What `tell` may know beyond params and value: the yielded candidate's fields, the state returned. */
export interface TellOptions {
  /** @default `nextIndex`; an integer from 0 to 1e12 (MAX_TRIAL_INDEX) */
  readonly i?: number;
  readonly resources?: number;
  readonly bracket?: number;
  readonly rung?: number;
  readonly state?: unknown;
  /** @default 'ok' */
  readonly status?: Trial['status'];
}

/** TellOptions, plus the other fields of a yielded candidate (so the candidate itself can be passed). */
const TELL_KEYS = ['i', 'resources', 'bracket', 'rung', 'state', 'status', 'params', 'prune'] as const;

export interface HyperoptimizerOptions {
  readonly space: Space;
  /** Configurations to draw when iterated, and the run's planned size. */
  readonly iterations: number;
  /** @default new RandomSampler() */
  readonly sampler?: Sampler;
  /** 'maximize': `best` is the largest value, and the iterator's sampler is handed negated values (it minimizes). @default 'minimize' */
  readonly direction?: Direction;
}

/**
 * The state of an optimization: every trial as one typed record, and views
 * derived from them (`history`, `results`, `minimum`, `minimizer`, ...).
 * `minimum`/`minimizer` and `maximum`/`maximizer` (and `printmin`/`printmax`)
 * are the smallest and largest value whatever the `direction`; `best` (and
 * `printbest`) follow it: the smallest under 'minimize', the largest under
 * 'maximize'.
 * `hyperopt` returns one; pass it back as `ho` to continue. Iterating it
 * yields `iterations` candidates from its sampler without recording anything
 * (Julia-style manual mode: call `tell` with each result).
 *
 * ## Example
 * ```ts
 * import { Hyperoptimizer, linrange } from 'hyperopt-rx';
 * const ho = new Hyperoptimizer({ space: { a: linrange(1, 5, 100) }, iterations: 20 });
 * for (const { params } of ho) ho.tell(params, (params.a - 3) ** 2);
 * ho.printmin(); // a = 3.0...
 * ```
 */
export class Hyperoptimizer<P = any> implements Iterable<Candidate<P>> {
  readonly params: string[];
  /** The search space, as given (checked). */
  readonly space: Space;
  readonly sampler: Sampler;
  /** Which way the value is better: `best` follows it, and a continued run must keep it. */
  readonly direction: Direction;
  #iterations: number;
  readonly #trials: Trial<P>[] = [];
  #nextIndex = 0;
  #history: P[] | undefined;
  #results: number[] | undefined;
  #best: number = -1; // index into trials of the minimum, -1: none
  #worst: number = -1;

  constructor(options: HyperoptimizerOptions) {
    checkOptions('Hyperoptimizer', options, ['space', 'iterations', 'sampler', 'direction']);
    this.space = checkSpace(options.space);
    this.#iterations = checkPositiveInteger('iterations', options.iterations);
    this.sampler = options.sampler === undefined ? new RandomSampler() : checkSampler('sampler', options.sampler);
    this.direction = checkDirection(options.direction ?? 'minimize');
    this.params = Object.keys(this.space);
  }

  /** Planned configurations: grows by `iterations` each time a run continues this optimizer. */
  get iterations(): number {
    return this.#iterations;
  }

  /** Every recorded trial, failed and pruned ones too, in finishing order. */
  get trials(): readonly Trial<P>[] {
    return this.#trials;
  }

  /** Params of each finished trial (failed ones left out, as Hyperopt.jl does), aligned with `results`. */
  get history(): readonly P[] {
    return (this.#history ??= this.#trials.filter(finished).map((t) => t.params));
  }

  /** Values of each finished trial, aligned with `history`. */
  get results(): readonly number[] {
    return (this.#results ??= this.#trials.filter(finished).map((t) => t.value));
  }

  /** The smallest value measured (a pruned trial counts with its last value, a Hyperband rung at its budget), NaN and failed trials ignored; NaN when there is none. */
  get minimum(): number {
    return this.#best < 0 ? NaN : this.#trials[this.#best].value;
  }

  get minimizer(): P | undefined {
    return this.#best < 0 ? undefined : this.#trials[this.#best].params;
  }

  /** The largest value, NaN and failed trials ignored; NaN when there is none. */
  get maximum(): number {
    return this.#worst < 0 ? NaN : this.#trials[this.#worst].value;
  }

  get maximizer(): P | undefined {
    return this.#worst < 0 ? undefined : this.#trials[this.#worst].params;
  }

  /** The best trial by `direction`: the one with the minimum, or under 'maximize' the maximum (the first one, on ties). */
  get best(): Trial<P> | undefined {
    const k = this.direction === 'maximize' ? this.#worst : this.#best;
    return k < 0 ? undefined : this.#trials[k];
  }

  /** Planned evaluations: `iterations`, or what the sampler makes of them (Hyperband counts every rung). */
  get plannedEvaluations(): number {
    return this.sampler.evaluations?.(this.space, this.#iterations) ?? this.#iterations;
  }

  /** The `i` the next new configuration gets: indices go on counting across continuations. */
  get nextIndex(): number {
    return this.#nextIndex;
  }

  /** Records a finished trial (sinks call this); returns `this` for `reduce`. */
  record(trial: Trial<P>): this {
    const k = this.#trials.push(trial) - 1;
    if (trial.i >= this.#nextIndex) this.#nextIndex = trial.i + 1;
    if (finished(trial)) {
      this.#history?.push(trial.params);
      this.#results?.push(trial.value);
    }
    const v = trial.value;
    // A failed trial measured nothing, whatever value it was told with; a pruned one counts with its last value.
    if (finished(trial) && !Number.isNaN(v)) {
      if (this.#best < 0 || v < this.#trials[this.#best].value) this.#best = k;
      if (this.#worst < 0 || v > this.#trials[this.#worst].value) this.#worst = k;
    }
    return this;
  }

  /** Adds to the planned iterations (a continued run). */
  extend(iterations: number): void {
    this.#iterations += checkPositiveInteger('iterations', iterations);
  }

  /**
   * Records a result by hand (manual mode). Pass the candidate the iterator
   * yielded as `candidate` when it carries more than params (Hyperband's
   * `i`, `resources`, `bracket`, `rung`), so that a multi-fidelity sampler
   * can match the result to its rung; `state` is what the objective returned.
   */
  tell(params: P, value: number, candidate: TellOptions = {}): void {
    if (params === null || typeof params !== 'object') throw new ArgumentError('params', `must be a params object, got ${show(params)}`);
    for (const key of this.params) if (!(key in params)) throw new ArgumentError(`params.${key}`, 'is missing: params name every parameter of the space');
    if (typeof value !== 'number') throw new ArgumentError('value', `must be a number, got ${show(value)}`);
    checkOptions('tell', candidate, TELL_KEYS);
    const { i = this.#nextIndex, resources, bracket, rung, state, status = 'ok' } = candidate;
    checkTrialIndex('i', i);
    checkOneOf('status', status, ['ok', 'failed', 'pruned'] as const);
    if (resources !== undefined) checkFiniteNumber('resources', resources);
    if (bracket !== undefined) checkTrialIndex('bracket', bracket);
    if (rung !== undefined) checkTrialIndex('rung', rung);
    const trial: { -readonly [K in keyof Trial<P>]: Trial<P>[K] } = { i, params, value, status, durationMs: 0 };
    if (resources !== undefined) trial.resources = resources;
    if (bracket !== undefined) trial.bracket = bracket;
    if (rung !== undefined) trial.rung = rung;
    if (state !== undefined) trial.state = state;
    this.record(trial);
  }

  /**
   * Manual mode: draws the sampler's plan for `iterations` (Hyperband:
   * every rung of its iterations) without recording anything, going on from
   * `nextIndex`; results told with `tell` reach an adaptive sampler before
   * its next draw.
   */
  [Symbol.iterator](): Iterator<Candidate<P>> {
    return askCandidates(this);
  }

  /** Writes `name = value` per parameter of the minimizer: the smallest value, whatever the `direction` (under 'maximize', the worst trial). */
  printmin(write: (text: string) => void = writeStdout): void {
    checkFunction('write', write);
    write(this.#describe(this.minimizer));
  }

  /** Writes `name = value` per parameter of the maximizer: the largest value, whatever the `direction` (under 'maximize', the best trial). */
  printmax(write: (text: string) => void = writeStdout): void {
    checkFunction('write', write);
    write(this.#describe(this.maximizer));
  }

  /** Writes `name = value` per parameter of the `best` trial: `printmin` under 'minimize', `printmax` under 'maximize'. */
  printbest(write: (text: string) => void = writeStdout): void {
    checkFunction('write', write);
    write(this.#describe(this.best?.params));
  }

  #describe(params: P | undefined): string {
    if (params === undefined) return '';
    return this.params.map((k) => `${k} = ${formatValue((params as Record<string, unknown>)[k])}\n`).join('');
  }

  /**
   * Names each numeric parameter (more than three distinct candidates) whose
   * optimum sits on the smallest or largest value sampled: the space may be
   * too narrow there (`sense` defaults to the run's `direction`). Prints nothing: the caller decides where the lines go
   * (`ho.warnOnBoundary().forEach((line) => console.warn(line))`).
   */
  warnOnBoundary(sense: 'min' | 'max' = this.direction === 'maximize' ? 'max' : 'min'): string[] {
    checkOneOf('sense', sense, ['min', 'max'] as const);
    const optimum = sense === 'min' ? this.minimizer : this.maximizer;
    if (optimum === undefined) return [];
    const lines: string[] = [];
    for (const key of this.params) {
      const entry = this.space[key];
      if (!isNumericWithManyValues(entry)) continue;
      const value = (optimum as Record<string, unknown>)[key] as number;
      let lo = Infinity;
      let hi = -Infinity;
      for (const t of this.#trials) {
        const v = (t.params as Record<string, unknown>)[key] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (value === lo || value === hi) {
        lines.push(`Parameter ${key} obtained its optimum on an extremum of the sampled region: ${formatValue(value)}`);
      }
    }
    return lines;
  }

  /** A summary like Hyperopt.jl's `show`: size, sampler, minimum, maximum and the minimizer (under 'maximize': the direction and the maximizer). */
  toString(): string {
    const counts = { ok: 0, failed: 0, pruned: 0 };
    for (const t of this.#trials) counts[t.status]++;
    const statuses = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
    const lines = [
      `Hyperoptimizer with ${this.params.length} parameters (${this.params.join(', ')}), ${this.sampler.name}${this.direction === 'maximize' ? ', maximizing' : ''}`,
      `  trials:    ${this.#trials.length} of ${this.plannedEvaluations} planned${statuses ? ` (${statuses})` : ''}`,
      `  minimum:   ${formatValue(this.minimum)}`,
      `  maximum:   ${formatValue(this.maximum)}`,
    ];
    const m = this.best?.params;
    if (m !== undefined) {
      lines.push(this.direction === 'maximize' ? '  maximizer:' : '  minimizer:');
      for (const k of this.params) lines.push(`    ${k} = ${formatValue((m as Record<string, unknown>)[k])}`);
    }
    return lines.join('\n');
  }

  /**
   * Plain data, as `fromJSON` reads it: the space described, the direction, candidate-vector
   * values as their index in the vector (`{ index }`), range values as
   * numbers, ±Infinity as strings, NaN as null, errors as messages, and a
   * state JSON cannot carry left out.
   */
  toJSON(): object {
    const encode = trialEncoder(this.space);
    return {
      params: this.params,
      space: describeSpace(this.space),
      sampler: this.sampler.toJSON?.() ?? { name: this.sampler.name },
      iterations: this.#iterations,
      direction: this.direction,
      minimum: Number.isFinite(this.minimum) ? this.minimum : null,
      trials: this.#trials.map(encode),
    };
  }
}

function finished(trial: Trial): boolean {
  return trial.status !== 'failed';
}

function isNumericWithManyValues(entry: readonly unknown[] | Range): boolean {
  if (isRange(entry)) return entry.kind !== 'intUniform' || entry.hi - entry.lo >= 3;
  if (!entry.every((v) => typeof v === 'number')) return false;
  return new Set(entry).size > 3;
}

function writeStdout(text: string): void {
  const stdout = (globalThis as { process?: { stdout?: { write(s: string): unknown } } }).process?.stdout;
  if (stdout) stdout.write(text);
  else console.log(text.replace(/\n$/, ''));
}
