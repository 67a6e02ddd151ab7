import { describe, it, expect, jest } from '@jest/globals';
import { firstValueFrom, toArray, Observable } from 'rxjs';
import { hyperopt, hyperopt$, linrange, explinrange, RandomSampler, ArgumentError, Hyperoptimizer, uniform, logUniform, intUniform } from '../../src/index.js';
import type { Sampler } from '../../src/index.js';

// Hyperopt.jl's test function.
const f = (a: number, b = true, c = 10) => 100 + (a - 3) ** 2 + (b ? 10 : 20) + (c - 100) ** 2;
const space = { a: linrange(1, 5, 50), b: [true, false], c: explinrange(-1, 3, 50) };
const quiet = { progress: false } as const;

describe('hyperopt with RandomSampler (Hyperopt.jl "Random sampler")', () => {
  it('runs 100 trials whose params come from the candidates, then 2 more with ho', async () => {
    const hor = await hyperopt({ space, iterations: 100, ...quiet }, ({ a, b, c }) => f(a, b, c));
    expect(hor.minimum).toBeLessThan(300);
    expect(hor.maximum).toBeGreaterThan(300);
    expect(hor.history).toHaveLength(100);
    expect(hor.results).toHaveLength(100);
    for (const h of hor.history) {
      expect(space.a).toContain(h.a);
      expect(space.b).toContain(h.b);
      expect(space.c).toContain(h.c);
    }
    const again = await hyperopt({ space, iterations: 2, ho: hor, ...quiet }, ({ a, b, c }) => f(a, b, c));
    expect(again).toBe(hor);
    expect(hor.history).toHaveLength(102);
    expect(hor.results).toHaveLength(102);
    expect(hor.iterations).toBe(102);
    expect(hor.trials.map((t) => t.i)).toEqual(Array.from({ length: 102 }, (_, k) => k));
  });

  it('ignores NaN in minimum and maximum', async () => {
    const ho2 = await hyperopt({ space: { a: [20], b: [1] }, iterations: 2, ...quiet }, ({ a, b }, { i }) => (i === 0 ? a * b : NaN));
    expect(ho2.minimum).toBe(20);
    expect(ho2.maximum).toBe(20);
    expect(ho2.minimizer).toEqual({ a: 20, b: 1 });
    expect(ho2.maximizer).toEqual({ a: 20, b: 1 });
    expect(ho2.results).toHaveLength(2);
  });

  it('reports NaN / undefined when nothing has a value', async () => {
    const ho = await hyperopt({ space: { a: [1] }, iterations: 3, ...quiet }, () => NaN);
    expect(ho.minimum).toBeNaN();
    expect(ho.maximum).toBeNaN();
    expect(ho.minimizer).toBeUndefined();
    expect(ho.best).toBeUndefined();
    const empty = new Hyperoptimizer({ space: { a: [1] }, iterations: 1 });
    expect(empty.minimum).toBeNaN();
    expect(empty.maximizer).toBeUndefined();
  });

  it('prints the minimizer and maximizer in Hyperopt.jl text', async () => {
    const ho3 = await hyperopt({ space: { a: [20], b: [10] }, iterations: 1, ...quiet }, ({ a, b }) => a * b);
    let text = '';
    ho3.printmin((s) => (text += s));
    ho3.printmax((s) => (text += s));
    expect(text).toBe('a = 20\nb = 10\na = 20\nb = 10\n');
  });

  it('optimizes over non-numeric candidates such as functions (Hyperopt.jl "Non-numerics")', async () => {
    const g = [Math.sin, Math.exp, (x: number) => x];
    const hor = await hyperopt({ space: { g, x: linrange(0, 1, 100) }, iterations: 100, sampler: new RandomSampler({ seed: 3 }), ...quiet }, ({ g, x }) => g(x));
    expect(hor.minimum).toBeLessThan(Math.E);
    expect(hor.maximum).toBeGreaterThan(0);
    expect(hor.history).toHaveLength(100);
    for (const h of hor.history) expect(g).toContain(h.g); // identity kept
    let text = '';
    hor.printmin((s) => (text += s));
    expect(text).toMatch(/^g = (sin|exp|)/);
  });

  it('handles a categorical function parameter alongside numbers (Hyperopt.jl "Categorical")', async () => {
    const ho = await hyperopt(
      { space: { ...space, d: [Math.tanh, Math.exp] }, iterations: 100, sampler: new RandomSampler({ seed: 1 }), ...quiet },
      ({ a, b, c, d }) => f(a, b, c) + d(a),
    );
    expect(ho.minimizer?.d === Math.tanh || ho.minimizer?.d === Math.exp).toBe(true);
    expect(ho.minimum).toBe(Math.min(...ho.results));
  });

  it('samples ranges within their bounds', async () => {
    const ho = await hyperopt(
      { space: { x: uniform(-1, 1), lr: logUniform(1e-5, 1e-1), n: intUniform(1, 4) }, iterations: 200, sampler: new RandomSampler({ seed: 9 }), ...quiet },
      ({ x, lr, n }) => x * x + lr + n,
    );
    for (const { x, lr, n } of ho.history) {
      expect(x).toBeGreaterThanOrEqual(-1);
      expect(x).toBeLessThanOrEqual(1);
      expect(lr).toBeGreaterThanOrEqual(1e-5);
      expect(lr).toBeLessThanOrEqual(1e-1);
      expect(Number.isInteger(n) && n >= 1 && n <= 4).toBe(true);
    }
    expect(new Set(ho.history.map((p) => p.n)).size).toBe(4);
    // log-uniform: about half the draws below the geometric midpoint 1e-3
    const below = ho.history.filter((p) => p.lr < 1e-3).length;
    expect(below).toBeGreaterThan(70);
    expect(below).toBeLessThan(130);
  });
});

describe('a seed reproduces a run', () => {
  it('gives the same history for the same seed and a different one for another seed', async () => {
    const run = (seed: number) => hyperopt({ space, iterations: 30, sampler: new RandomSampler({ seed }), ...quiet }, ({ a, b, c }) => f(a, b, c));
    const [x, y, z] = await Promise.all([run(5), run(5), run(6)]);
    expect(x.history).toEqual(y.history);
    expect(x.history).not.toEqual(z.history);
  });

  it('continues a seeded sequence: 20 + 10 trials draw what one run of 30 draws', async () => {
    const sampler = new RandomSampler({ seed: 'continue' });
    const whole = await hyperopt({ space, iterations: 30, sampler, ...quiet }, ({ a }) => a);
    const part = await hyperopt({ space, iterations: 20, sampler, ...quiet }, ({ a }) => a);
    await hyperopt({ space, iterations: 10, sampler, ho: part, ...quiet }, ({ a }) => a);
    expect(part.history).toEqual(whole.history);
  });
});

describe('parallel evaluation (Hyperopt.jl "Parallel")', () => {
  it('runs 300 async trials at concurrency 8 with history and results aligned and distinct samples, then continues to 400', async () => {
    let inFlight = 0;
    let peak = 0;
    const objective = async ({ a, b, c }: { a: number; b: boolean; c: number }) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, Math.random() * 2));
      inFlight--;
      return f(a, b, c);
    };
    const bigSpace = { a: linrange(1, 5, 1000), b: [true, false], c: explinrange(-1, 3, 1000) };
    const horp = await hyperopt({ space: bigSpace, iterations: 300, concurrency: 8, ...quiet }, objective);
    expect(horp.minimum).toBeLessThan(300);
    expect(horp.history).toHaveLength(300);
    expect(horp.results).toHaveLength(300);
    horp.history.forEach((h, k) => expect(f(h.a, h.b, h.c)).toBe(horp.results[k]));
    expect(horp.history[0]).not.toEqual(horp.history[1]);
    expect(new Set(horp.trials.map((t) => t.i)).size).toBe(300);
    expect(peak).toBeLessThanOrEqual(8);
    expect(peak).toBeGreaterThan(1);
    await hyperopt({ space: bigSpace, iterations: 100, concurrency: 8, ho: horp, ...quiet }, objective);
    expect(horp.history).toHaveLength(400);
    horp.history.forEach((h, k) => expect(f(h.a, h.b, h.c)).toBe(horp.results[k]));
  });

  it("records errors in some trials as failed with onError 'skip' and keeps the others aligned", async () => {
    const horp = await hyperopt({ space, iterations: 300, concurrency: 4, onError: 'skip', ...quiet }, async ({ a, b, c }, { i }) => {
      await Promise.resolve();
      if (i >= 100) throw new Error('Too many iterations');
      return f(a, b, c);
    });
    expect(horp.trials).toHaveLength(300);
    expect(horp.trials.filter((t) => t.status === 'failed')).toHaveLength(200);
    expect(horp.history).toHaveLength(100);
    expect(horp.results).toHaveLength(100);
    horp.history.forEach((h, k) => expect(f(h.a, h.b, h.c)).toBe(horp.results[k]));
    const failed = horp.trials.find((t) => t.status === 'failed')!;
    expect((failed.error as Error).message).toBe('Too many iterations');
    expect(failed.value).toBeNaN();
  });

  it('never has more than `concurrency` objectives in flight, for any concurrency', async () => {
    for (const concurrency of [1, 3, 16]) {
      let inFlight = 0;
      let peak = 0;
      await hyperopt({ space, iterations: 60, concurrency, ...quiet }, async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return 1;
      });
      expect(peak).toBe(concurrency);
    }
  });
});

describe('errors and abort', () => {
  it("rejects with the objective's error as cause and every finished trial in error.ho (onError 'fail'), leaving that error untouched", async () => {
    const boom = new Error('boom');
    const attempt = hyperopt({ space, iterations: 50, ...quiet }, ({ a }, { i }) => {
      if (i === 10) throw boom;
      return a;
    });
    const error = (await attempt.catch((e: unknown) => e)) as Error & { ho: Hyperoptimizer };
    expect(error).toMatchObject({ message: 'boom', cause: boom });
    expect(Object.keys(boom)).toEqual([]);
    const ho = error.ho;
    expect(ho).toBeInstanceOf(Hyperoptimizer);
    expect(ho.history).toHaveLength(10);
    expect(ho.trials).toHaveLength(11);
    expect(ho.trials[10].status).toBe('failed');
  });

  it('wraps a thrown non-object so that it can carry the partial optimizer', async () => {
    const attempt = hyperopt({ space, iterations: 5, ...quiet }, (_p, { i }) => {
      if (i === 2) throw 'plain string';
      return 1;
    });
    await expect(attempt).rejects.toMatchObject({ message: expect.stringContaining('plain string'), cause: 'plain string' });
  });

  it('makes a failed trial of a result that is not a number, saying what came back', async () => {
    const ho = await hyperopt({ space: { a: [1] }, iterations: 2, onError: 'skip', ...quiet }, (() => 'oops') as never);
    expect(ho.trials.every((t) => t.status === 'failed')).toBe(true);
    expect((ho.trials[0].error as Error).message).toContain('"oops"');
  });

  it('resolves with what finished when aborted, aborting the trials in flight', async () => {
    const controller = new AbortController();
    const aborted: number[] = [];
    const ho = await hyperopt({ space, iterations: 1000, concurrency: 4, signal: controller.signal, ...quiet }, ({ a }, { i, signal }) => {
      if (i === 20) controller.abort();
      return new Promise<number>((resolve) => {
        const timer = setTimeout(() => resolve(a), 1);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          aborted.push(i);
        });
      });
    });
    expect(ho.trials.length).toBeGreaterThanOrEqual(16);
    expect(ho.trials.length).toBeLessThan(21);
    expect(aborted.length).toBeGreaterThan(0);
    const recorded = new Set(ho.trials.map((t) => t.i));
    for (const i of aborted) expect(recorded.has(i)).toBe(false);
  });

  it('runs nothing when the signal is already aborted', async () => {
    const objective = jest.fn(() => 1);
    const ho = await hyperopt({ space, iterations: 10, signal: AbortSignal.abort(), ...quiet }, objective);
    expect(objective).not.toHaveBeenCalled();
    expect(ho.trials).toHaveLength(0);
  });
});

describe('ArgumentError for bad options, before any objective call', () => {
  const objective = jest.fn(() => 1);
  const cases: [string, unknown, string][] = [
    ['iterations 0', { space, iterations: 0 }, 'iterations'],
    ['iterations 2.5', { space, iterations: 2.5 }, 'iterations'],
    ['iterations missing', { space }, 'iterations'],
    ['no space', { iterations: 3 }, 'space'],
    ['space not an object', { space: [1, 2], iterations: 3 }, 'space'],
    ['empty candidate vector', { space: { a: [] }, iterations: 3 }, 'space.a'],
    ['non-array candidate vector', { space: { a: 3 }, iterations: 3 }, 'space.a'],
    ['bad range', { space: { a: { kind: 'uniform', lo: 2, hi: 1 } }, iterations: 3 }, 'space.a'],
    ['concurrency 0', { space, iterations: 3, concurrency: 0 }, 'concurrency'],
    ['concurrency 1.5', { space, iterations: 3, concurrency: 1.5 }, 'concurrency'],
    ['unknown sampler', { space, iterations: 3, sampler: 'random' }, 'sampler'],
    ['onError', { space, iterations: 3, onError: 'ignore' }, 'onError'],
    ['signal', { space, iterations: 3, signal: 'stop' }, 'signal'],
    ['ho', { space, iterations: 3, ho: {} }, 'ho'],
    ['progress', { space, iterations: 3, progress: 'yes' }, 'progress'],
    ['a misspelt option', { space, iterations: 3, concurency: 4 }, 'options.concurency'],
    ['another space than ho', { space: { a: [1, 2] }, iterations: 3, ho: new Hyperoptimizer({ space, iterations: 1 }) }, 'space'],
  ];
  it.each(cases)('%s', async (_name, options, option) => {
    const attempt = hyperopt(options as never, objective);
    await expect(attempt).rejects.toBeInstanceOf(ArgumentError);
    await expect(attempt).rejects.toMatchObject({ option, message: expect.stringContaining(`\`${option}\``) });
    expect(() => hyperopt$(options as never, objective)).toThrow(ArgumentError);
    expect(objective).not.toHaveBeenCalled();
  });

  it('rejects a non-function objective', async () => {
    await expect(hyperopt({ space, iterations: 3 }, 42 as never)).rejects.toMatchObject({ option: 'objective' });
  });

  it("runs a sampler's own validation before the objective", async () => {
    const picky: Sampler = {
      name: 'Picky',
      validate: () => {
        throw new ArgumentError('dims', 'do not match');
      },
      candidates: () => new Observable(),
    };
    await expect(hyperopt({ space, iterations: 3, sampler: picky }, objective)).rejects.toMatchObject({ option: 'dims' });
    expect(objective).not.toHaveBeenCalled();
  });
});

describe('warnOnBoundary (Hyperopt.jl "Error handling")', () => {
  it('names a numeric parameter whose optimum is on an extremum of the sampled region, not a categorical one', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const how = await hyperopt({ space: { a: linrange(1, 5, 10), b: Array.from({ length: 100 }, (_, k) => k % 2 === 0) }, iterations: 10, ...quiet }, ({ a }) => a);
    const lines = how.warnOnBoundary();
    const lowest = Math.min(...how.history.map((h) => h.a));
    expect(lines).toEqual([`Parameter a obtained its optimum on an extremum of the sampled region: ${lowest}`]);
    // Data only: printing is the caller's.
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('says nothing when the optimum is interior', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const how = await hyperopt({ space: { a: linrange(1, 5, 101) }, iterations: 60, sampler: new RandomSampler({ seed: 4 }), ...quiet }, ({ a }) => (a - 3) ** 2);
    expect(how.warnOnBoundary()).toEqual([]);
    expect(how.warnOnBoundary('max').length).toBe(1);
    warn.mockRestore();
  });
});

describe('hyperopt$', () => {
  it('emits each trial as it finishes', async () => {
    const trials = await firstValueFrom(hyperopt$({ space, iterations: 7, ...quiet }, ({ a }) => a).pipe(toArray()));
    expect(trials.map((t) => t.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(trials.every((t) => t.status === 'ok' && t.value === t.params.a)).toBe(true);
  });

  it('continues `ho`: records each trial into it as it finishes', async () => {
    const ho = await hyperopt({ space, iterations: 3, ...quiet }, ({ a }) => a);
    const seen: number[] = [];
    await firstValueFrom(hyperopt$({ space, iterations: 4, ho, ...quiet }, ({ a }) => a).pipe(toArray())).then((ts) => ts.forEach((t) => seen.push(t.i)));
    expect(seen).toEqual([3, 4, 5, 6]);
    expect(ho.trials.map((t) => t.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(ho.iterations).toBe(7);
  });

  it('goes on from where `ho` is at each subscription', async () => {
    const ho = new Hyperoptimizer({ space, iterations: 2 });
    const run$ = hyperopt$({ space, iterations: 2, ho, ...quiet }, ({ a }) => a);
    await firstValueFrom(run$.pipe(toArray()));
    await firstValueFrom(run$.pipe(toArray()));
    expect(ho.trials.map((t) => t.i)).toEqual([0, 1, 2, 3]);
    expect(ho.iterations).toBe(6);
  });

  it("records the failed trial into `ho` under onError 'fail'", async () => {
    const ho = new Hyperoptimizer({ space, iterations: 1 });
    const failing$ = hyperopt$({ space, iterations: 5, ho, ...quiet }, (_p, { i }) => {
      if (i === 2) throw new Error('boom');
      return i;
    });
    await expect(firstValueFrom(failing$.pipe(toArray()))).rejects.toThrow('boom');
    expect(ho.trials.map((t) => t.status)).toEqual(['ok', 'ok', 'failed']);
  });

  it('fails the stream, not the process, when a sampler throws instead of erroring', async () => {
    const broken: Sampler = {
      name: 'Broken',
      candidates: () => {
        throw new Error('no candidates');
      },
    };
    await expect(hyperopt({ space, iterations: 3, sampler: broken, ...quiet }, () => 1)).rejects.toThrow('no candidates');
  });

  it('finishes 100,000 synchronous trials on a flat stack (no re-entrancy, no backlog)', async () => {
    let calls = 0;
    const trials = await firstValueFrom(hyperopt$({ space, iterations: 100_000, concurrency: 8, ...quiet }, () => ++calls).pipe(toArray()));
    expect(trials).toHaveLength(100_000);
    expect(calls).toBe(100_000);
  });

  it('draws a candidate only when a slot is free', async () => {
    let drawn = 0;
    let finished = 0;
    let maxAhead = 0;
    const inner = new RandomSampler({ seed: 1 });
    const counting: Sampler = {
      name: 'Counting',
      candidates: (s, ctx) =>
        new Observable((subscriber) =>
          inner.candidates(s, ctx).subscribe({
            next: (c) => {
              drawn++;
              maxAhead = Math.max(maxAhead, drawn - finished);
              subscriber.next(c);
            },
            complete: () => subscriber.complete(),
          }),
        ),
    };
    await hyperopt({ space, iterations: 50, concurrency: 3, sampler: counting, ...quiet }, async () => {
      await new Promise((r) => setTimeout(r, 0));
      finished++;
      return 1;
    });
    expect(drawn).toBe(50);
    expect(maxAhead).toBe(3); // never more than `concurrency` drawn ahead of finished results
  });
});

describe('progress', () => {
  it('feeds a custom display every trial and ends it once', async () => {
    const seen: number[] = [];
    let ends = 0;
    let total: number | undefined;
    await hyperopt({ space, iterations: 5, progress: (info) => ((total = info.total), { next: (t) => seen.push(t.i), complete: () => ends++ }) }, ({ a }) => a);
    expect(total).toBe(5);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(ends).toBe(1);
  });
});
