import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { config, map, Observable, take, lastValueFrom, toArray } from 'rxjs';
import {
  BOHB,
  CLHSampler,
  fromJSON,
  GPSampler,
  Hyperband,
  hyperopt,
  hyperopt$,
  isRange,
  LHSampler,
  linrange,
  RandomSampler,
  registerSampler,
  SuccessiveHalvingPruner,
  uniform,
  withPruner,
  type Hyperoptimizer,
  type Sampler,
  type SamplerContext,
  type Space,
} from '../../src/index.js';

// The conformance suite every sampler runs through, in the spirit of RxJS's operator tests and
// Optuna's sampler tests: errors in each callback reach the run (never RxJS's unhandled-error
// hook), unsubscription stops the objective, synchronous objectives run on a flat stack, abort
// settles with what finished, continuation via `ho`, and round trips through toJSON/fromJSON.
// Adding a sampler means adding one line to `samplers`.

/** A custom sampler written as the Sampler interface documents, with nothing from the library. */
class MinimalSampler implements Sampler {
  readonly name = 'MinimalSampler';
  candidates(space: Space, { iterations, start, demand$ }: SamplerContext) {
    const keys = Object.keys(space);
    return demand$.pipe(
      take(iterations ?? Infinity),
      map((_, k) => {
        const i = start + k;
        const u = (i * 0.6180339887) % 1;
        const params: Record<string, unknown> = {};
        for (const key of keys) {
          const e = space[key];
          params[key] = isRange(e) ? e.lo + (e.hi - e.lo) * u : e[i % e.length];
        }
        return { i, params };
      }),
    );
  }
  toJSON() {
    return { name: this.name };
  }
}
registerSampler('MinimalSampler', () => new MinimalSampler());

/**
 * What a sampler may declare beside its factory: `syncTrials`, trials of the flat-stack test
 * (default 10,000; BOHB's and GPSampler's draws cost more as observations grow, and the stack check needs no more);
 * `moreEvaluations`, when `evaluations()` is a lower bound (ASHA promotes as results come).
 */
interface Traits {
  readonly syncTrials?: number;
  readonly moreEvaluations?: boolean;
}

/** One line per sampler: a name, a factory for a fresh instance, and its traits. */
const samplers: [string, () => Sampler, Traits?][] = [
  ['RandomSampler', () => new RandomSampler({ seed: 1 })],
  ['LHSampler', () => new LHSampler({ seed: 1 })],
  ['CLHSampler', () => new CLHSampler({ seed: 1 })],
  ['BOHB', () => new BOHB({ seed: 1 }), { syncTrials: 1000 }],
  // A proposal costs O(n³) in the observations: 200 trials still show a flat stack.
  ['GPSampler', () => new GPSampler({ seed: 1 }), { syncTrials: 200 }],
  ['Hyperband + RandomSampler', () => new Hyperband({ maxResource: 9, eta: 3, inner: new RandomSampler({ seed: 1 }) })],
  ['Hyperband + BOHB', () => new Hyperband({ maxResource: 9, eta: 3, inner: new BOHB({ seed: 1 }) }), { syncTrials: 1000 }],
  [
    'Hyperband (asynchronous) + RandomSampler',
    () => new Hyperband({ maxResource: 9, eta: 3, inner: new RandomSampler({ seed: 1 }), asynchronous: true }),
    { moreEvaluations: true },
  ],
  ['withPruner(RandomSampler, SuccessiveHalvingPruner)', () => withPruner(new RandomSampler({ seed: 1 }), new SuccessiveHalvingPruner())],
  ['MinimalSampler (custom)', () => new MinimalSampler()],
];

const space = { x: linrange(-5, 5, 101), y: uniform(-1, 1), kind: ['a', 'b', 'c'] };
type P = { x: number; y: number; kind: string };
const f = ({ x, y, kind }: P) => x * x + y * y + (kind === 'b' ? 0 : 1);

/** Iterations (in the sampler's units: Hyperband counts whole iterations) for at least `trials` evaluations. */
function iterationsFor(sampler: Sampler, trials: number): number {
  return Math.max(1, Math.ceil(trials / (sampler.evaluations?.(space, 1) ?? 1)));
}
const evaluationsOf = (sampler: Sampler, iterations: number) => sampler.evaluations?.(space, iterations) ?? iterations;

/** Wraps a sampler: its own handler on `results$` or `demand$` throws `error` at the `at`-th event. */
function throwingIn(feed: 'results$' | 'demand$', sampler: Sampler, error: Error, at = 3): Sampler {
  const proxy: Sampler = {
    name: sampler.name,
    candidates: (s, context) =>
      new Observable((subscriber) => {
        let seen = 0;
        const own = (context[feed] as Observable<unknown>).subscribe(() => {
          if (++seen === at) throw error;
        });
        own.add(sampler.candidates(s, context).subscribe(subscriber));
        return own;
      }),
  };
  if (sampler.evaluations) proxy.evaluations = (s, n) => sampler.evaluations!(s, n);
  if (sampler.validate) proxy.validate = (s, n) => sampler.validate!(s, n);
  return proxy;
}

/** The run's rejection carries the thrown error itself or as its `cause`. */
function expectRunError(rejection: unknown, error: Error): void {
  expect(rejection === error || (rejection as { cause?: unknown }).cause === error).toBe(true);
}

/** Rejects with 'hung' if `promise` does not settle: a hang guard, far above any real duration. */
function settles<T>(promise: Promise<T>, ms = 20_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('hung')), ms)))]).finally(() => clearTimeout(timer));
}

const macrotask = () => new Promise((resolve) => setTimeout(resolve, 10));

let leaked: unknown[];
let savedHook: typeof config.onUnhandledError;
const onUnhandledRejection = (reason: unknown) => leaked.push(reason);
beforeEach(() => {
  leaked = [];
  savedHook = config.onUnhandledError;
  config.onUnhandledError = (error) => leaked.push(error);
  process.on('unhandledRejection', onUnhandledRejection);
});
afterEach(async () => {
  await macrotask(); // RxJS reports unhandled errors from a timer
  config.onUnhandledError = savedHook;
  process.off('unhandledRejection', onUnhandledRejection);
  expect(leaked).toEqual([]);
});

describe.each(samplers)('%s', (_name, make, traits = {}) => {
  /** The run's trial count is what `evaluations()` planned (at least that, for ASHA). */
  const expectEvaluations = (trials: readonly unknown[], planned: number) =>
    traits.moreEvaluations ? expect(trials.length).toBeGreaterThanOrEqual(planned) : expect(trials).toHaveLength(planned);

  it('an objective that throws rejects the run with its error, finished trials kept', async () => {
    const boom = new Error('objective boom');
    let calls = 0;
    const failure = await settles(
      hyperopt({ space, iterations: iterationsFor(make(), 20), sampler: make(), progress: false }, (p: P) => {
        if (++calls === 3) throw boom;
        return f(p);
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeDefined();
    expectRunError(failure, boom);
    const { ho } = failure as { ho: Hyperoptimizer };
    expect(ho.trials.filter((t) => t.status === 'ok')).toHaveLength(2);
    expect(ho.trials.filter((t) => t.status === 'failed')).toHaveLength(1);
  });

  it.each(['results$', 'demand$'] as const)('a throw in the sampler’s own %s handler rejects the run with it', async (feed) => {
    const boom = new Error(`${feed} boom`);
    let calls = 0;
    const failure = await settles(
      hyperopt({ space, iterations: iterationsFor(make(), 20), sampler: throwingIn(feed, make(), boom), concurrency: 2, progress: false }, (p: P) => {
        calls++;
        return f(p);
      }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeDefined();
    expectRunError(failure, boom);
    expect(calls).toBeLessThan(evaluationsOf(make(), iterationsFor(make(), 20)));
  });

  it('unsubscribing mid-run stops the objective: no call afterwards, trials in flight aborted', async () => {
    const started: { signal: AbortSignal; finished: boolean }[] = [];
    const iterations = iterationsFor(make(), 60);
    let callsAtEnd = -1;
    const trials = await settles(
      lastValueFrom(
        hyperopt$({ space, iterations, sampler: make(), concurrency: 3, progress: false }, async (p: P, t) => {
          const call = { signal: t.signal, finished: false };
          started.push(call);
          await new Promise((resolve) => setTimeout(resolve, 1));
          call.finished = true;
          return f(p);
        }).pipe(take(5), toArray()),
      ).finally(() => (callsAtEnd = started.length)),
    );
    expect(trials).toHaveLength(5);
    await macrotask();
    await macrotask();
    expect(started.length).toBe(callsAtEnd);
    expect(started.length).toBeLessThan(evaluationsOf(make(), iterations));
    for (const call of started) if (!call.finished) expect(call.signal.aborted).toBe(true);
  });

  it('a synchronous objective stops at once when the subscriber unsubscribes (concurrency 1)', async () => {
    let calls = 0;
    const trials = await settles(
      lastValueFrom(
        hyperopt$({ space, iterations: iterationsFor(make(), 50), sampler: make(), progress: false }, (p: P) => {
          calls++;
          return f(p);
        }).pipe(take(5), toArray()),
      ),
    );
    expect(trials).toHaveLength(5);
    await macrotask();
    expect(calls).toBe(5);
  });

  it(`${(traits.syncTrials ?? 10_000).toLocaleString('en')} synchronous trials complete on a flat stack, with the right count`, async () => {
    const sampler = make();
    const iterations = iterationsFor(sampler, traits.syncTrials ?? 10_000);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- saved only to be put back, never called
    const { stackTraceLimit, prepareStackTrace } = Error;
    // The depth of the stack, read from V8's frames without formatting them.
    Error.stackTraceLimit = Infinity;
    Error.prepareStackTrace = (_error, frames) => frames.length;
    const depths: number[] = [];
    let recorded: number;
    try {
      const ho = await settles(
        hyperopt({ space, iterations, sampler, progress: false }, (p: P) => {
          depths.push(new Error().stack as unknown as number);
          return f(p);
        }),
        120_000,
      );
      expectEvaluations(ho.trials, evaluationsOf(sampler, iterations));
      expect(ho.trials.every((t) => t.status === 'ok')).toBe(true);
      recorded = ho.trials.length;
      // Every configuration counted once, none skipped.
      const is = new Set(ho.trials.map((t) => t.i));
      expect(Math.max(...is)).toBe(is.size - 1);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
      Error.prepareStackTrace = prepareStackTrace;
    }
    expect(depths).toHaveLength(recorded); // one objective call per recorded trial
    // Re-entrant trials would add frames per trial; a flat loop keeps the depth of the first ones.
    expect(Math.max(...depths) - Math.min(...depths)).toBeLessThan(100);
  }, 150_000);

  it('abort from inside an objective: settles with what finished, no call afterwards', async () => {
    const controller = new AbortController();
    const sampler = make();
    let calls = 0;
    const ho = await settles(
      hyperopt({ space, iterations: iterationsFor(sampler, 100), sampler, signal: controller.signal, progress: false }, async (p: P) => {
        if (++calls === 10) controller.abort();
        await Promise.resolve();
        return f(p);
      }),
    );
    await macrotask();
    expect(calls).toBe(10);
    expect(ho.trials).toHaveLength(9); // the tenth was in flight: aborted, not recorded
    expect(ho.trials.every((t) => t.status === 'ok' && Number.isFinite(t.value))).toBe(true);
  });

  it('abort from a timer while synchronous objectives run: settles with fewer trials, finished ones kept', async () => {
    const controller = new AbortController();
    const sampler = make();
    const iterations = iterationsFor(sampler, 100_000);
    let calls = 0;
    setTimeout(() => controller.abort(), 0);
    const ho = await settles(
      hyperopt({ space, iterations, sampler, signal: controller.signal, progress: false }, (p: P) => {
        calls++;
        return f(p);
      }),
    );
    expect(ho.trials.length).toBeGreaterThan(0);
    expect(ho.trials.length).toBeLessThan(evaluationsOf(sampler, iterations));
    expect(ho.trials.length).toBe(calls); // synchronous trials finish as they start: every one is kept
    expect(ho.trials.every((t) => t.status === 'ok')).toBe(true);
  }, 60_000);

  it('continues via ho: i goes on counting, the space and the sampler are kept', async () => {
    const sampler = make();
    const iterations = iterationsFor(sampler, 15);
    const ho = await settles(hyperopt({ space, iterations, sampler, progress: false }, f));
    const first = ho.trials.length;
    const firstMax = Math.max(...ho.trials.map((t) => t.i));
    const again = await settles(hyperopt({ ho, iterations, progress: false }, f));
    expect(again).toBe(ho);
    expect(ho.space).toBe(space);
    expect(ho.sampler).toBe(sampler);
    const added = ho.trials.slice(first);
    expectEvaluations(added, evaluationsOf(sampler, iterations));
    expect(Math.min(...added.map((t) => t.i))).toBe(firstMax + 1);
    for (const t of added) {
      expect(space.x).toContain((t.params as P).x);
      expect(space.kind).toContain((t.params as P).kind);
    }
  });

  it('round-trips through toJSON/fromJSON: same trials, same sampler kind, and the restored ho continues', async () => {
    const sampler = make();
    const iterations = iterationsFor(sampler, 15);
    const ho = await settles(hyperopt({ space, iterations, sampler, progress: false }, f));
    const restored = fromJSON(JSON.parse(JSON.stringify(ho)));
    expect(restored.trials.map((t) => [t.i, t.value, t.status])).toEqual(ho.trials.map((t) => [t.i, t.value, t.status]));
    expect(restored.sampler.name).toBe(sampler.name);
    expect(JSON.parse(JSON.stringify(restored.sampler))).toEqual(JSON.parse(JSON.stringify(sampler)));
    const firstMax = Math.max(...ho.trials.map((t) => t.i));
    const n = restored.trials.length;
    await settles(hyperopt({ ho: restored, iterations, progress: false }, f));
    const added = restored.trials.slice(n);
    expectEvaluations(added, evaluationsOf(sampler, iterations));
    expect(Math.min(...added.map((t) => t.i))).toBe(firstMax + 1);
  });
});

describe('Hyperband whose inner sampler throws in its own handlers', () => {
  it.each(['results$', 'demand$'] as const)('%s: the run rejects with the error', async (feed) => {
    const boom = new Error(`inner ${feed} boom`);
    const sampler = new Hyperband({ maxResource: 9, eta: 3, inner: throwingIn(feed, new RandomSampler({ seed: 1 }), boom) });
    const failure = await settles(hyperopt({ space, iterations: 2, sampler, concurrency: 2, progress: false }, f)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeDefined();
    expectRunError(failure, boom);
  });
});
