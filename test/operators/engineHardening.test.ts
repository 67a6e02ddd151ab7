// The optimization loop under hostile conditions: objectives that never yield, samplers and pruners that
// throw, results that throw when read, endless sources into buffers, frozen errors and misspelt options.
import { describe, it, expect, beforeEach, afterEach, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { config, count, firstValueFrom, lastValueFrom, Observable, of, take, takeWhile, toArray, type Subscription } from 'rxjs';
import {
  ArgumentError,
  candidates,
  evaluate,
  Hyperband,
  hyperopt,
  hyperopt$,
  Hyperoptimizer,
  RandomSampler,
  successiveHalving,
  withPruner,
  type Candidate,
  type Sampler,
  type SamplerContext,
  type Trial,
} from '../../src/index.js';

const space = { x: [1, 2, 3, 4, 5] };
const quiet = { progress: false } as const;
type RunError = Error & { ho: Hyperoptimizer; cause: unknown };

/** A CPU-bound synchronous objective: a fixed amount of arithmetic, no I/O, no await. */
function busy({ x }: { x: number }): number {
  let s = x;
  for (let k = 0; k < 20_000; k++) s = Math.sqrt(s + k);
  return s;
}

/** A sampler with hooks into each callback it gives the loop; draws x = 1 once per demand tick, `n` times. */
function hookedSampler(n: number, hooks: { onResult?: (t: Trial) => void; onDemand?: () => void; create?: () => void }): Sampler {
  return {
    name: 'Hooked',
    candidates(_space, context: SamplerContext): Observable<Candidate> {
      hooks.create?.();
      return new Observable<Candidate>((subscriber) => {
        let i = context.start;
        const results = context.results$.subscribe((trial) => hooks.onResult?.(trial));
        const demand = context.demand$.subscribe(() => {
          hooks.onDemand?.();
          if (i < context.start + n) subscriber.next({ i: i++, params: { x: 1 } });
          else subscriber.complete();
        });
        return () => {
          results.unsubscribe();
          demand.unsubscribe();
        };
      });
    },
  };
}

// No error of a run may end up in RxJS's unhandled-error hook (reported from a timeout, after the run).
let unhandled: jest.Mock<(error: unknown) => void>;
let previousHook: typeof config.onUnhandledError;
beforeEach(() => {
  previousHook = config.onUnhandledError;
  unhandled = jest.fn<(error: unknown) => void>();
  config.onUnhandledError = unhandled;
});
afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  config.onUnhandledError = previousHook;
  expect(unhandled).not.toHaveBeenCalled();
});

describe('abort lands while the objective never yields to the event loop', () => {
  it.each([
    ['a synchronous objective', ({ x }: { x: number }) => x],
    ['an async objective that never awaits anything', async ({ x }: { x: number }) => x],
    ['a CPU-bound synchronous objective', busy],
  ])('%s: an abort from a timer ends a run of 1e12 iterations', async (_name, objective) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1);
    const ho = await hyperopt({ space, iterations: 1e12, concurrency: 3, signal: controller.signal, ...quiet }, objective);
    expect(ho.trials.length).toBeGreaterThan(0);
    expect(ho.trials.length).toBeLessThan(1e12);
  });

  it('a timer set by the first trial fires while hyperopt$ streams synchronous trials', async () => {
    let fired = false;
    const trials$ = hyperopt$({ space, iterations: 1e12, ...quiet }, ({ x }, { i }) => {
      if (i === 0) setTimeout(() => (fired = true), 0);
      return x;
    });
    const before = await lastValueFrom(
      trials$.pipe(
        takeWhile(() => !fired),
        count(),
      ),
    );
    expect(fired).toBe(true);
    expect(before).toBeGreaterThan(0);
  });

  it('a consumer that unsubscribes during a synchronous run (take) stops it there', async () => {
    let calls = 0;
    const trials = await lastValueFrom(hyperopt$({ space, iterations: 1000, ...quiet }, ({ x }) => (calls++, x)).pipe(take(5), toArray()));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(trials).toHaveLength(5);
    expect(calls).toBe(5);
  });

  it('a Hyperband run of synchronous trials is aborted from a timer', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1);
    const sampler = new Hyperband({ maxResource: 27 });
    const ho = await hyperopt({ space, iterations: 1e6, sampler, signal: controller.signal, ...quiet }, ({ x }) => x);
    expect(ho.trials.length).toBeGreaterThan(0);
    expect(ho.trials.length).toBeLessThan(sampler.evaluations(space, 1e6));
  });

  it('SIGINT reaches a process whose run has only synchronous trials (as the CLI stops a run)', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/abortOnSigint.ts', import.meta.url));
    const child = execFile(process.execPath, ['--import', 'tsx', fixture], { timeout: 60_000 });
    let stdout = '';
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('started')) resolve();
      }),
    );
    child.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(stdout).toMatch(/stopped [1-9]\d*\n/);
  });
});

describe('a throw in a sampler callback fails the run, with what finished in error.ho', () => {
  it("in its results$ handler: hyperopt rejects with that error, not RxJS's unhandled-error hook", async () => {
    const boom = new Error('results handler');
    const sampler = hookedSampler(5, {
      onResult: () => {
        throw boom;
      },
    });
    const error = (await hyperopt({ space, iterations: 5, sampler, ...quiet }, ({ x }) => x).catch((e: unknown) => e)) as RunError;
    expect(error.cause).toBe(boom);
    expect(error.ho.trials).toHaveLength(1);
  });

  it('in its demand$ handler, on the first tick', async () => {
    const boom = new Error('demand handler');
    const objective = jest.fn(() => 1);
    const sampler = hookedSampler(5, {
      onDemand: () => {
        throw boom;
      },
    });
    const error = (await hyperopt({ space, iterations: 5, sampler, ...quiet }, objective).catch((e: unknown) => e)) as RunError;
    expect(error.cause).toBe(boom);
    expect(error.ho.trials).toHaveLength(0);
    expect(objective).not.toHaveBeenCalled();
  });

  it('in its demand$ handler, later in an async run', async () => {
    let ticks = 0;
    const sampler = hookedSampler(50, {
      onDemand: () => {
        if (++ticks === 4) throw new Error('fourth tick');
      },
    });
    const error = (await hyperopt({ space, iterations: 50, sampler, concurrency: 2, ...quiet }, async ({ x }) => x).catch((e: unknown) => e)) as RunError;
    expect((error.cause as Error).message).toBe('fourth tick');
    expect(error.ho.trials.length).toBeGreaterThanOrEqual(1);
    expect(error.ho.trials.length).toBeLessThan(4);
  });

  it('in candidates() itself', async () => {
    const sampler = hookedSampler(5, {
      create: () => {
        throw new Error('no candidates today');
      },
    });
    await expect(hyperopt({ space, iterations: 5, sampler, ...quiet }, ({ x }) => x)).rejects.toThrow('no candidates today');
  });

  it.each([
    [
      'its results$ handler',
      {
        onResult: () => {
          throw new Error('inner');
        },
      },
    ],
    [
      'its demand$ handler',
      {
        onDemand: () => {
          throw new Error('inner');
        },
      },
    ],
    [
      'candidates() itself',
      {
        create: () => {
          throw new Error('inner');
        },
      },
    ],
  ])("Hyperband's inner sampler, in %s: the run rejects and keeps what finished", async (_name, hooks) => {
    const sampler = new Hyperband({ maxResource: 9, inner: hookedSampler(100, hooks) });
    const error = (await hyperopt({ space, sampler, ...quiet }, ({ x }) => x).catch((e: unknown) => e)) as RunError;
    expect((error.cause as Error).message).toBe('inner');
    expect(error.ho).toBeInstanceOf(Hyperoptimizer);
    expect(error.ho.trials.length).toBeLessThan(2);
  });

  it("Hyperband's inner sampler that throws in a plain candidates() stream errors that stream", async () => {
    const sampler = new Hyperband({
      maxResource: 9,
      inner: hookedSampler(100, {
        onDemand: () => {
          throw new Error('inner');
        },
      }),
    });
    await expect(firstValueFrom(candidates(sampler, space))).rejects.toThrow('inner');
  });

  it('a sampler that throws in its demand$ handler errors a plain candidates() stream', async () => {
    const sampler = hookedSampler(3, {
      onDemand: () => {
        throw new Error('tick');
      },
    });
    await expect(firstValueFrom(candidates(sampler, space))).rejects.toThrow('tick');
  });

  it("a pruning rule that throws fails the run, whatever onError says (it is not the objective's failure)", async () => {
    const pruner = {
      name: 'Broken',
      start: () => () => {
        throw new Error('rule');
      },
    };
    const sampler = withPruner(new RandomSampler({ seed: 1 }), pruner);
    const attempt = hyperopt({ space, iterations: 5, sampler, onError: 'skip', ...quiet }, ({ x }) => of(x, x + 1));
    const error = (await attempt.catch((e: unknown) => e)) as RunError;
    expect((error.cause as Error).message).toBe('rule');
    expect(error.ho.trials).toHaveLength(0);
  });

  it('a sampler that emits a candidate that is not one fails the run instead of hanging', async () => {
    const sampler: Sampler = { name: 'Null', candidates: () => of(null) as never };
    const error = (await hyperopt({ space, iterations: 1, sampler, ...quiet }, ({ x }) => x).catch((e: unknown) => e)) as RunError;
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('successiveHalving: a candidate that is not one errors the stream instead of hanging', async () => {
    const trials = lastValueFrom(
      (of(null) as Observable<never>).pipe(
        successiveHalving(() => 1, { minResource: 1 }),
        toArray(),
      ),
    );
    await expect(trials).rejects.toThrow(TypeError);
  });
});

describe('a result that throws when read is a failed trial, handled per onError', () => {
  const results = {
    'a value getter that throws': () => ({
      get value(): number {
        throw new Error('bad result');
      },
    }),
    'a Proxy that throws on every read': () =>
      new Proxy(
        {},
        {
          get() {
            throw new Error('bad result');
          },
        },
      ),
    'a thenable whose then getter throws': () => ({
      get then() {
        throw new Error('bad result');
      },
    }),
    'a thenable whose then throws': () => ({
      then() {
        throw new Error('bad result');
      },
    }),
  };
  const cases = Object.entries(results).flatMap(([name, make]) => [
    [name, 'sync', make],
    [name, 'async', make],
  ]) as [string, 'sync' | 'async', () => unknown][];

  it.each(cases)("%s (%s objective), onError 'skip': recorded as failed, the others go on", async (_name, kind, make) => {
    const objective = (_p: unknown, { i }: { i: number }) => (i === 1 ? (kind === 'sync' ? make() : Promise.resolve().then(make)) : 7);
    const ho = await hyperopt({ space, iterations: 4, onError: 'skip', ...quiet }, objective as never);
    expect(ho.trials.map((t) => t.status).sort()).toEqual(['failed', 'ok', 'ok', 'ok']);
    expect((ho.trials.find((t) => t.status === 'failed')!.error as Error).message).toBe('bad result');
  });

  it.each(cases)("%s (%s objective), onError 'fail': rejects with it, the failed trial in error.ho", async (_name, kind, make) => {
    const objective = (_p: unknown, { i }: { i: number }) => (i === 1 ? (kind === 'sync' ? make() : Promise.resolve().then(make)) : 7);
    const error = (await hyperopt({ space, iterations: 4, ...quiet }, objective as never).catch((e: unknown) => e)) as RunError;
    expect(error.message).toBe('bad result');
    expect(error.ho.trials.map((t) => t.status)).toEqual(['ok', 'failed']);
  });

  it('an intermediate value of a streaming objective that throws when read (under a pruner) fails the trial', async () => {
    const sampler = withPruner(new RandomSampler({ seed: 1 }), { name: 'Never', start: () => () => false });
    const ho = await hyperopt({ space, iterations: 3, sampler, onError: 'skip', ...quiet }, (_p, { i }) =>
      i === 1 ? (of(results['a value getter that throws']()) as never) : of(1, 2),
    );
    expect(ho.trials.map((t) => t.status).sort()).toEqual(['failed', 'ok', 'ok']);
  });

  it('evaluate: the same, as an operator', async () => {
    const trials = await lastValueFrom(
      candidates(new RandomSampler({ seed: 1 }), space, { iterations: 3 }).pipe(
        evaluate(((_p: unknown, { i }: { i: number }) => (i === 1 ? results['a Proxy that throws on every read']() : 1)) as never, { onError: 'skip' }),
        toArray(),
      ),
    );
    expect(trials.map((t) => t.status)).toEqual(['ok', 'failed', 'ok']);
  });
});

describe('an endless candidates() stream into something that buffers', () => {
  it('is refused with an ArgumentError naming iterations, instead of filling the buffer forever', async () => {
    const objective = jest.fn(async ({ x }: { x: number }) => x);
    const run = lastValueFrom(candidates(new RandomSampler({ seed: 1 }), space).pipe(evaluate(objective), take(5), toArray()));
    const error = (await run.catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toMatch(/`iterations`/);
  });

  it('still serves take(n) right after it, and a synchronous evaluate before take', async () => {
    const a = await lastValueFrom(
      candidates(new RandomSampler({ seed: 1 }), space).pipe(
        take(5),
        evaluate(async ({ x }) => x),
        toArray(),
      ),
    );
    const b = await lastValueFrom(
      candidates(new RandomSampler({ seed: 1 }), space).pipe(
        evaluate(({ x }) => x),
        take(5),
        toArray(),
      ),
    );
    expect(a.map((t) => t.value)).toEqual(b.map((t) => t.value));
    expect(a).toHaveLength(5);
  });

  it('with iterations, any number goes by', async () => {
    expect(await lastValueFrom(candidates(new RandomSampler({ seed: 1 }), space, { iterations: 150_000 }).pipe(count()))).toBe(150_000);
  });
});

describe("the objective's error is never modified", () => {
  it("a frozen error under onError 'fail': rejects with it as cause and error.ho, the failed trial included", async () => {
    const frozen = Object.freeze(new Error('frozen'));
    const error = (await hyperopt({ space, iterations: 3, ...quiet }, (_p, { i }) => {
      if (i === 1) throw frozen;
      return 1;
    }).catch((e: unknown) => e)) as RunError;
    expect(error.cause).toBe(frozen);
    expect(error.message).toBe('frozen');
    expect(error.ho.trials.map((t) => t.status)).toEqual(['ok', 'failed']);
    expect(error.ho.trials[1].error).toBe(frozen);
  });

  it('an error thrown twice (two runs) is the cause of both rejections, each with its own ho', async () => {
    const shared = new Error('shared');
    const fail = () => {
      throw shared;
    };
    const first = (await hyperopt({ space, iterations: 2, ...quiet }, fail).catch((e: unknown) => e)) as RunError;
    const second = (await hyperopt({ space, iterations: 2, ...quiet }, fail).catch((e: unknown) => e)) as RunError;
    expect(first.cause).toBe(shared);
    expect(second.cause).toBe(shared);
    expect(first.ho).not.toBe(second.ho);
    expect('ho' in shared).toBe(false);
  });
});

describe('options of evaluate(), candidates() and successiveHalving() are checked', () => {
  const objective = ({ x }: { x: number }) => x;
  it.each([
    ['evaluate({ concurency: 4 })', () => evaluate(objective, { concurency: 4 } as never), /`evaluate.concurency`/],
    ['evaluate(f, null)', () => evaluate(objective, null as never), /`options`/],
    ['evaluate(f, 3)', () => evaluate(objective, 3 as never), /`options`/],
    ['candidates({ iteration: 3 })', () => candidates(new RandomSampler(), space, { iteration: 3 } as never), /`candidates.iteration`/],
    ['candidates(s, space, null)', () => candidates(new RandomSampler(), space, null as never), /`options`/],
    ['successiveHalving({ concurency: 4 })', () => successiveHalving(objective, { minResource: 1, concurency: 4 } as never), /`successiveHalving.concurency`/],
  ])('%s is an ArgumentError naming the option', (_name, call, message) => {
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(message);
  });

  it('evaluate runs at the concurrency it is given', async () => {
    let inFlight = 0;
    let most = 0;
    const subscription: Subscription = candidates(new RandomSampler({ seed: 1 }), space, { iterations: 12 })
      .pipe(
        evaluate(
          async ({ x }) => {
            most = Math.max(most, ++inFlight);
            await new Promise((resolve) => setTimeout(resolve, 1));
            inFlight--;
            return x;
          },
          { concurrency: 4 },
        ),
        toArray(),
      )
      .subscribe();
    await new Promise<void>((resolve) => subscription.add(resolve));
    expect(most).toBe(4);
  });
});
