import { map, Observable, take } from 'rxjs';
import type { Candidate, Trial } from '../../trial/Trial.js';
import type { SamplerContext } from '../Sampler.js';

/** What a model-based sampler's model does with trials, as points of its own encoding `X`. */
export interface TrialModel<X> {
  /** Learns a finished trial (and forgets it as in flight). */
  observe(x: X, loss: number, budget: number | undefined, id: number): void;
  /** Forgets an in-flight configuration whose trial it cannot learn from. */
  settle(id: number): void;
  /** Holds a proposal as in flight, keeping at most `limit` of them. */
  pend(id: number, x: X, limit: number): void;
}

export interface ModelSampling<X> {
  readonly model: TrialModel<X>;
  /** A trial's params as a point; undefined for params outside the space (told by hand). */
  readonly encode: (params: Record<string, unknown>) => X | undefined;
  /** The loss the model learns from a trial (failed and pruned ones included). */
  readonly lossOf: (trial: Trial) => number;
  readonly propose: () => X;
  readonly decode: (x: X) => unknown;
}

/**
 * The candidate stream of a model-based sampler (BOHB, GPSampler): the
 * model learns the past trials, then each result as it arrives, before the
 * demand tick it causes; each tick draws one proposal, held as in flight
 * until its result. Call inside `defer`, with state made per subscription.
 */
export function modelCandidates<X>({ iterations, start, past, results$, demand$, concurrency }: SamplerContext, sampling: ModelSampling<X>): Observable<Candidate> {
  const { model, encode, lossOf, propose, decode } = sampling;
  const record = (trial: Trial) => {
    const x = trial.params !== null && typeof trial.params === 'object' ? encode(trial.params as Record<string, unknown>) : undefined;
    if (x !== undefined) model.observe(x, lossOf(trial), trial.resources, trial.i);
    else model.settle(trial.i);
  };
  for (const trial of past) record(trial);
  let i = start;
  const ticks$ = iterations === undefined ? demand$ : demand$.pipe(take(iterations));
  const draw = (): Candidate => {
    const id = i++;
    const x = propose();
    model.pend(id, x, Math.max(concurrency, 1) * 4);
    return { i: id, params: decode(x) };
  };
  return new Observable<Candidate>((subscriber) => {
    // Results first: the tick a result causes must see it.
    const fit = results$.subscribe(record);
    const out = ticks$.pipe(map(draw)).subscribe(subscriber);
    return () => {
      fit.unsubscribe();
      out.unsubscribe();
    };
  });
}
