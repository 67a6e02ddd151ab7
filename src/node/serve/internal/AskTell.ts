import { Subject, type Subscription } from 'rxjs';
import type { Sampler } from '../../../samplers/Sampler.js';
import { decodeParams, decodeTrial, jsonOrUndefined, paramsEncoder, trialEncoder } from '../../../sinks/internal/trialCodec.js';
import type { Space } from '../../../space/Space.js';
import type { Candidate, Trial } from '../../../trial/Trial.js';
import type { Direction } from '../../../trial/Direction.js';
import { lossRule, lossView } from '../../../trial/internal/lossView.js';
import type { DashboardHub } from '../../dashboard/internal/DashboardHub.js';
import { checkJournalDirection, checkJournalSpace, type JournalContents, type JournalHeader, type JournalWriter } from '../../internal/journalFile.js';
import { runLine, type CheckedJournalOptions } from '../../internal/journalOptions.js';
import { openLockedJournal } from '../../internal/openLockedJournal.js';

/** The journal line that records an ask, so a restarted server re-offers it under the same id. */
export const ASK_RECORD = 'ask';

/** A candidate handed to a client, under its id. */
export interface Asked {
  readonly id: number;
  readonly candidate: Candidate;
}

/** What a tell may say (checked by the route's schema before it gets here). */
export type TellBody =
  | { readonly id: number; readonly value: number; readonly state?: unknown }
  | { readonly id: number; readonly status: 'failed'; readonly error?: string }
  | { readonly id: number; readonly step: number; readonly value: number };

/** The answer to a tell: 404 and 409 carry a message; a step report says whether to stop. */
export type TellAnswer = { readonly status: 200; readonly prune?: boolean; readonly trial?: number } | { readonly status: 404 | 409; readonly error: string };

interface Outstanding {
  readonly id: number;
  readonly candidate: Candidate;
  readonly askedAt: number;
  timer?: ReturnType<typeof setTimeout>;
  steps: number;
  /** The step values told so far, in order. */
  readonly curve: number[];
}

export interface AskTellOptions {
  readonly journal: CheckedJournalOptions;
  /** The sampler given; undefined: the journal's own rebuilt, else `fallback`. */
  readonly sampler: (contents: JournalContents<unknown> | undefined) => Sampler;
  /** Configurations in all, counted across restarts; undefined: endless. */
  readonly iterations: number | undefined;
  /** An ask not told within this many ms is recorded as failed; undefined: never. */
  readonly askTimeoutMs: number | undefined;
  /** The sampler's concurrency hint (asks expected outstanding at once). */
  readonly concurrency: number;
  /** Samplers and pruners minimize: under 'maximize' they are handed the negated values. */
  readonly direction: Direction;
  readonly hub: (sampler: Sampler) => DashboardHub;
}

/** A trial line or an ask line, as the journal is read. */
type Read = { readonly trial: Trial; readonly id: number | undefined };

/**
 * Ask/tell over a journal: the server's state. The sampler runs as in the
 * loop, demand-driven: each ask that finds no candidate waiting is one
 * demand tick, and each tell is one result, given to the sampler before the
 * answer, so the next proposal has seen it. Several asks may be outstanding.
 * Every ask and every told trial is a journal line written before the
 * answer: a restart (even after SIGKILL) keeps every told trial, re-offers
 * the asks not told, and goes on numbering from the largest id.
 */
export class AskTell {
  readonly hub: DashboardHub;
  readonly sampler: Sampler;
  readonly #writer: JournalWriter;
  readonly #encodeTrial: (trial: Trial) => object;
  readonly #encodeParams: (params: unknown) => object;
  readonly #outstanding = new Map<number, Outstanding>();
  readonly #told = new Set<number>();
  /** Asks of an earlier server that were never told: offered again first. */
  readonly #reoffer: { id: number; candidate: Candidate }[] = [];
  readonly #buffer: Candidate[] = [];
  readonly #waiting: ((asked: Asked | undefined) => void)[] = [];
  readonly #results$ = new Subject<Trial>();
  readonly #demand$ = new Subject<void>();
  readonly #askTimeoutMs: number | undefined;
  readonly #direction: Direction;
  #subscription: Subscription | undefined;
  #nextId = 0;
  /** Demand ticks not yet answered with a candidate. */
  #ticks = 0;
  #done = false;
  #failure: { error: unknown } | undefined;
  #closed = false;

  constructor(options: AskTellOptions) {
    const { journal } = options;
    const space = journal.space;
    const asks = new Map<number, Record<string, unknown>>();
    const decoder = (header: JournalHeader) => (
      checkJournalSpace(journal.path, { header }, space),
      (record: Record<string, unknown>, where: string): Read => ({ trial: decodeTrial(space, record, where), id: typeof record.id === 'number' ? record.id : undefined })
    );
    const onRecord = (record: Record<string, unknown>) => {
      const candidate = record.candidate as Record<string, unknown> | null | undefined;
      if (record.kind === ASK_RECORD && Number.isSafeInteger(record.id) && Number.isSafeInteger(candidate?.i) && (candidate!.i as number) >= 0)
        asks.set(record.id as number, candidate!);
    };
    let sampler: Sampler | undefined;
    let start = 0;
    const { contents, writer } = openLockedJournal<Read, { sampler: Sampler; continuing?: ReturnType<typeof runLine> }>(journal, { decoder, onRecord }, (contents) => {
      if (contents) checkJournalDirection(journal.path, contents, options.direction);
      sampler = options.sampler(contents);
      const trials = contents ? contents.runs.flatMap((run) => run.trials) : [];
      for (const { trial, id } of trials) {
        start = Math.max(start, trial.i + 1);
        if (id !== undefined) this.#nextId = Math.max(this.#nextId, id + 1);
      }
      for (const [id, candidate] of asks) {
        this.#nextId = Math.max(this.#nextId, id + 1);
        start = Math.max(start, (candidate.i as number) + 1);
      }
      sampler.validate?.(space, options.iterations);
      return { sampler, continuing: contents && runLine(sampler, options.iterations, start, options.direction) };
    });
    this.sampler = sampler!;
    this.#writer = writer;
    this.#askTimeoutMs = options.askTimeoutMs;
    this.#direction = options.direction;
    this.#encodeTrial = trialEncoder(space);
    this.#encodeParams = paramsEncoder(space);
    this.hub = options.hub(this.sampler);
    const past: Trial[] = [];
    for (const run of contents?.runs ?? []) {
      for (const { trial, id } of run.trials) {
        past.push(this.#loss(trial));
        this.hub.record(trial, id);
        if (id !== undefined) this.#told.add(id);
      }
    }
    // Asks that an earlier server handed out and never heard back about: offered again, same id.
    for (const [id, encoded] of [...asks].sort((a, b) => a[0] - b[0])) {
      if (this.#told.has(id)) continue;
      try {
        this.#reoffer.push({ id, candidate: candidateOf(space, id, encoded) });
      } catch {
        // an ask line this space cannot decode (hand-edited): its id stays used, the ask is dropped
      }
    }
    // What is left of the configurations: serve refuses a sampler whose iterations are not configurations (Hyperband).
    const remaining = options.iterations === undefined ? undefined : options.iterations - start;
    if (remaining !== undefined && remaining <= 0) this.#done = true;
    else {
      this.#subscription = this.sampler
        .candidates(space, { iterations: remaining, start, past, results$: this.#results$, demand$: this.#demand$, concurrency: options.concurrency })
        .subscribe({
          next: (candidate) => this.#offer(candidate),
          error: (error: unknown) => {
            this.#failure = { error };
            this.#flushWaiting();
          },
          complete: () => {
            this.#done = true;
            this.#flushWaiting();
          },
        });
    }
  }

  /** Asks outstanding (handed out, not told yet). */
  get outstanding(): number {
    return this.#outstanding.size;
  }

  /**
   * The next candidate: an earlier server's ask not told, one the sampler
   * already emitted, or a fresh one for one demand tick. Resolves undefined
   * when the sampler has no more (its iterations are drawn); waits when the
   * sampler is waiting for results (a Hyperband rung), until `waitMs`, then
   * resolves null (ask again later).
   */
  ask(waitMs: number): Promise<Asked | undefined | null> {
    if (this.#failure) return Promise.reject(toError(this.#failure.error));
    const again = this.#reoffer.shift();
    if (again) return Promise.resolve(this.#handOut(again.candidate, again.id, false));
    const ready = this.#buffer.shift();
    if (ready) return Promise.resolve(this.#handOut(ready));
    if (this.#done || this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const waiter = (asked: Asked | undefined) => {
        clearTimeout(timer);
        if (this.#failure) reject(toError(this.#failure.error));
        else resolve(asked);
      };
      const timer = setTimeout(() => {
        const k = this.#waiting.indexOf(waiter);
        if (k >= 0) this.#waiting.splice(k, 1);
        resolve(null);
      }, waitMs);
      this.#waiting.push(waiter);
      // One tick per waiting ask: a tick still unanswered from an ask that gave up serves this one.
      if (this.#ticks < this.#waiting.length) {
        this.#ticks++;
        this.#demand$.next();
      }
    });
  }

  /** Records a tell; the journal line is on disk and the sampler has the result before this returns. */
  tell(body: TellBody): TellAnswer {
    const asked = this.#outstanding.get(body.id);
    if (asked === undefined) {
      if (this.#told.has(body.id)) return { status: 409, error: `trial id ${body.id} is already recorded; nothing changed` };
      return { status: 404, error: `no outstanding ask has id ${body.id}` };
    }
    if ('step' in body) {
      asked.steps = Math.max(asked.steps, body.step);
      asked.curve.push(body.value);
      const prune = asked.candidate.prune?.(body.value, body.step) ?? false;
      if (prune) this.#record(asked, { status: 'pruned', value: body.value, steps: asked.steps });
      return { status: 200, prune };
    }
    if ('status' in body) {
      this.#record(asked, { status: 'failed', value: NaN, error: new Error(body.error ?? 'failed (told by the client)') });
    } else {
      this.#record(asked, { status: 'ok', value: body.value, state: body.state });
    }
    return { status: 200 };
  }

  /** Stops the sampler, the ask timers and the journal (its lock released). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const asked of this.#outstanding.values()) clearTimeout(asked.timer);
    this.#subscription?.unsubscribe();
    this.#flushWaiting();
    this.#writer.close();
  }

  #offer(candidate: Candidate): void {
    if (this.#ticks > 0) this.#ticks--;
    const waiter = this.#waiting.shift();
    if (waiter) waiter(this.#handOut(candidate));
    else this.#buffer.push(candidate);
  }

  #flushWaiting(): void {
    for (const waiter of this.#waiting.splice(0)) waiter(undefined);
  }

  #handOut(candidate: Candidate, id = this.#nextId++, journal = true): Asked {
    if (journal) {
      // The candidate is nested: a line with a top-level "i" is a trial line to every journal reader.
      const encoded: Record<string, unknown> = { i: candidate.i, params: this.#encodeParams(candidate.params) };
      if (candidate.resources !== undefined) encoded.resources = candidate.resources;
      if (candidate.bracket !== undefined) encoded.bracket = candidate.bracket;
      if (candidate.rung !== undefined) encoded.rung = candidate.rung;
      if (candidate.state !== undefined) encoded.state = jsonOrUndefined(candidate.state);
      this.#writer.append({ kind: ASK_RECORD, id, candidate: encoded });
    }
    const asked: Outstanding = { id, candidate: lossRule(candidate, this.#direction), askedAt: performance.now(), steps: 0, curve: [] };
    if (this.#askTimeoutMs !== undefined) {
      asked.timer = setTimeout(() => {
        if (this.#outstanding.get(id) === asked && !this.#closed) {
          this.#record(asked, { status: 'failed', value: NaN, error: new Error(`no tell within the ask timeout (${this.#askTimeoutMs} ms)`) });
        }
      }, this.#askTimeoutMs);
      asked.timer.unref();
    }
    this.#outstanding.set(id, asked);
    return { id, candidate };
  }

  #record(asked: Outstanding, outcome: Pick<Trial, 'status' | 'value' | 'error' | 'steps' | 'state'>): void {
    const { candidate } = asked;
    const trial: { -readonly [K in keyof Trial]: Trial[K] } = {
      i: candidate.i,
      params: candidate.params as unknown,
      value: outcome.value,
      status: outcome.status,
      durationMs: Math.round(performance.now() - asked.askedAt),
    };
    if (outcome.error !== undefined) trial.error = outcome.error;
    if (candidate.resources !== undefined) trial.resources = candidate.resources;
    if (candidate.bracket !== undefined) trial.bracket = candidate.bracket;
    if (candidate.rung !== undefined) trial.rung = candidate.rung;
    const state = outcome.state ?? candidate.state;
    if (state !== undefined) trial.state = state;
    if (outcome.steps !== undefined) trial.steps = outcome.steps;
    else if (asked.steps > 0) trial.steps = asked.steps;
    if (asked.curve.length > 0) trial.curve = asked.curve;
    // On disk first: a 200 means the trial survives a SIGKILL.
    this.#writer.append({ ...this.#encodeTrial(trial), id: asked.id });
    clearTimeout(asked.timer);
    this.#outstanding.delete(asked.id);
    this.#told.add(asked.id);
    this.hub.record(trial, asked.id);
    // The sampler has the result before the answer goes out, so the next ask's proposal has seen it.
    this.#results$.next(this.#loss(trial));
  }

  #loss(trial: Trial): Trial {
    return this.#direction === 'maximize' ? lossView(trial) : trial;
  }
}

function candidateOf(space: Space, id: number, record: Record<string, unknown>): Candidate {
  const candidate: { -readonly [K in keyof Candidate]: Candidate[K] } = { i: record.i as number, params: decodeParams(space, record.params, `journal ask ${id}`) };
  if (typeof record.resources === 'number') candidate.resources = record.resources;
  if (typeof record.bracket === 'number') candidate.bracket = record.bracket;
  if (typeof record.rung === 'number') candidate.rung = record.rung;
  if (record.state !== undefined) candidate.state = record.state;
  return candidate;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
