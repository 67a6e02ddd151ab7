import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { lastValueFrom, take, toArray } from 'rxjs';
import { BOHB } from '../../src/samplers/BOHB.js';
import { draws } from '../../src/samplers/bohb/DefaultPolicy.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import { Hyperoptimizer } from '../../src/sinks/Hyperoptimizer.js';
import { candidates } from '../../src/operators/candidates.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { linrange } from '../../src/space/linrange.js';
import { explinrange } from '../../src/space/explinrange.js';
import { uniform } from '../../src/space/uniform.js';
import { logUniform } from '../../src/space/logUniform.js';
import { intUniform } from '../../src/space/intUniform.js';
import { categorical } from '../../src/space/categorical.js';
import { unorderedCategorical } from '../../src/space/unorderedCategorical.js';
import { continuous } from '../../src/space/continuous.js';
import type { Sampler } from '../../src/samplers/Sampler.js';
import type { Space } from '../../src/space/Space.js';

const quiet = { progress: false } as const;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const bestOf = (values: number[]) => values.reduce((a, b) => Math.min(a, b), Infinity);

/** Hyperopt.jl's README function, on its own grid. */
const readme = { a: linrange(1, 5, 1000), b: [true, false], c: explinrange(-1, 3, 1000) };
const readmeF = ({ a, b, c }: { a: number; b: boolean; c: number }) => 100 + (a - 3) ** 2 + (b ? 10 : 20) + (c - 100) ** 2;

/** Branin on [-5, 10] x [0, 15], minimum 0.397887. */
const branin = ({ x1, x2 }: { x1: number; x2: number }) => {
  const u = x2 - (5.1 / (4 * Math.PI ** 2)) * x1 * x1 + (5 / Math.PI) * x1 - 6;
  return u * u + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
};
const braninSpace = { x1: linrange(-5, 10, 1000), x2: linrange(0, 15, 1000) };

async function run(sampler: Sampler, space: Space, f: (p: any) => number, iterations: number, concurrency = 1) {
  const ho = await hyperopt({ space, sampler, iterations, concurrency, ...quiet }, f);
  return ho.trials.map((t) => t.value);
}

describe('BOHB options', () => {
  it('should default to the measured values and to HpBandSter’s in hpbandster mode', () => {
    const b = new BOHB({ seed: 1 });
    expect([b.mode, b.rho, b.q, b.Ns, b.bwFactor, b.minBandwidth, b.Nmin, b.maxGood, b.priorWeight, b.kernel, b.local, b.refine, b.window]).toEqual([
      'default',
      0,
      0.15,
      64,
      0.25,
      1e-3,
      undefined,
      25,
      1,
      'hybrid',
      0.1,
      0.125,
      150,
    ]);
    expect(b.toJSON()).toMatchObject({ refine: 0.125 });
    const h = new BOHB({ mode: 'hpbandster', seed: 1 });
    expect([h.rho, h.q, h.Ns, h.bwFactor, h.minBandwidth, h.refine]).toEqual([1 / 3, 0.15, 64, 3, 1e-3, 0]);
    expect(h.toJSON()).toMatchObject({ name: 'BOHB', seed: 1, mode: 'hpbandster', rho: 1 / 3, refine: 0 });
    expect(typeof new BOHB().seed).toBe('number');
  });

  it('should reject bad options with an ArgumentError naming the option', () => {
    const bad: [object, string][] = [
      [{ rho: 1.5 }, 'rho'],
      [{ rho: -0.1 }, 'rho'],
      [{ q: 0 }, 'q'],
      [{ q: 1 }, 'q'],
      [{ Ns: 0 }, 'Ns'],
      [{ Ns: 2.5 }, 'Ns'],
      [{ bwFactor: 0 }, 'bwFactor'],
      [{ minBandwidth: -1 }, 'minBandwidth'],
      [{ Nmin: 0 }, 'Nmin'],
      [{ maxGood: 0 }, 'maxGood'],
      [{ priorWeight: -1 }, 'priorWeight'],
      [{ local: 2 }, 'local'],
      [{ refine: -0.1 }, 'refine'],
      [{ refine: '0.1' }, 'refine'],
      [{ window: 0 }, 'window'],
      [{ mode: 'tpe' }, 'mode'],
      [{ kernel: 'x' }, 'kernel'],
      [{ seed: {} }, 'seed'],
      [{ dims: 3 }, 'dims'],
      [{ rh0: 0.2 }, 'BOHB.rh0'],
    ];
    for (const [options, option] of bad) {
      let error: unknown;
      try {
        new BOHB(options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).option).toBe(option);
    }
  });

  it('should reject dims that do not match the space before any objective runs', async () => {
    let calls = 0;
    const f = () => ++calls;
    await expect(hyperopt({ space: readme, iterations: 5, sampler: new BOHB({ dims: [continuous()] }), ...quiet }, f)).rejects.toMatchObject({ option: 'dims' });
    await expect(hyperopt({ space: readme, iterations: 5, sampler: new BOHB({ dims: { b: categorical(3) } }), ...quiet }, f)).rejects.toMatchObject({ option: 'dims.b' });
    await expect(hyperopt({ space: readme, iterations: 5, sampler: new BOHB({ dims: { b: continuous() } }), ...quiet }, f)).rejects.toThrow(ArgumentError);
    expect(calls).toBe(0);
  });
});

describe('BOHB on every kind of dimension', () => {
  const fns = [Math.sin, Math.cos, Math.abs];
  const space = {
    grid: linrange(0, 1, 50),
    log: explinrange(-3, 0, 40),
    ordered: [1, 2, 4, 8, 16],
    flag: [true, false],
    name: ['adam', 'sgd', 'rmsprop'],
    fn: fns,
    u: uniform(-2, 2),
    lu: logUniform(1e-4, 1),
    n: intUniform(1, 6),
  };
  const f = (p: any) =>
    (p.grid - 0.3) ** 2 +
    Math.abs(Math.log10(p.log) + 2) +
    (p.ordered === 4 ? 0 : 1) +
    (p.flag ? 0 : 1) +
    (p.name === 'sgd' ? 0 : 1) +
    (p.fn === Math.cos ? 0 : 1) +
    p.u ** 2 +
    Math.abs(Math.log10(p.lu) + 2) +
    Math.abs(p.n - 3);

  it('should return the candidates themselves (identity, functions included) and values inside ranges', async () => {
    for (const mode of ['default', 'hpbandster'] as const) {
      const ho = await hyperopt({ space, iterations: 80, sampler: new BOHB({ seed: 2, mode }), ...quiet }, f);
      expect(ho.trials).toHaveLength(80);
      for (const { params: p } of ho.trials) {
        for (const key of ['grid', 'log', 'ordered', 'flag', 'name', 'fn'] as const) expect((space[key] as readonly unknown[]).includes(p[key])).toBe(true);
        expect(p.u).toBeGreaterThanOrEqual(-2);
        expect(p.u).toBeLessThanOrEqual(2);
        expect(p.lu).toBeGreaterThanOrEqual(1e-4);
        expect(p.lu).toBeLessThanOrEqual(1);
        expect(Number.isInteger(p.n) && p.n >= 1 && p.n <= 6).toBe(true);
      }
      // Learning happened: the last 30 are better on median than the first 10 (random) ones.
      const values = ho.trials.map((t) => t.value);
      expect(median(values.slice(50))).toBeLessThan(median(values.slice(0, 10)));
    }
  });

  it('should accept explicit dims (ordered categorical on a numeric vector) by array or by name', async () => {
    const dims = { ordered: categorical(5), name: unorderedCategorical(3) };
    const ho = await hyperopt({ space, iterations: 40, sampler: new BOHB({ seed: 4, dims }), ...quiet }, f);
    expect(ho.trials.every((t) => space.ordered.includes(t.params.ordered))).toBe(true);
    const byArray = Object.keys(space).map((k) =>
      k === 'ordered' ? categorical(5) : k === 'grid' || k === 'log' || k === 'u' || k === 'lu' || k === 'n' ? continuous() : unorderedCategorical((space as any)[k].length),
    );
    const again = await hyperopt({ space, iterations: 40, sampler: new BOHB({ seed: 4, dims: byArray }), ...quiet }, f);
    expect(again.trials.map((t) => t.params)).toEqual(ho.trials.map((t) => t.params));
  });

  it('should be reproducible: same seed, same space, concurrency 1, same history', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('default', 'hpbandster'), async (seed, mode) => {
        const a = await hyperopt({ space: readme, iterations: 30, sampler: new BOHB({ seed, mode }), ...quiet }, readmeF);
        const b = await hyperopt({ space: readme, iterations: 30, sampler: new BOHB({ seed, mode }), ...quiet }, readmeF);
        expect(b.history).toEqual(a.history);
      }),
      { numRuns: 5 },
    );
  });

  it('should draw exactly `iterations` candidates, each an element of its vector, on any space (property)', async () => {
    const entry: fc.Arbitrary<readonly unknown[]> = fc.oneof(
      fc.integer({ min: 2, max: 30 }).map((n): readonly unknown[] => linrange(0, 1, n)),
      fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 6 }),
      fc.constant<readonly unknown[]>([true, false]),
      fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer(),
        fc.constantFrom('default', 'hpbandster'),
        async (vectors, iterations, seed, mode) => {
          const space: Record<string, readonly unknown[]> = Object.fromEntries(vectors.map((v, j) => [`p${j}`, v]));
          // A deterministic objective of the parameter indices, so the model has something to learn.
          const f = (p: Record<string, unknown>) => vectors.reduce<number>((s, v, j) => s + ((v.indexOf(p[`p${j}`]) * 7919) % 13), 0);
          const ho = await hyperopt({ space, iterations, sampler: new BOHB({ seed, mode }), ...quiet }, f);
          expect(ho.trials).toHaveLength(iterations);
          expect(ho.trials.map((t) => t.i).sort((a, b) => a - b)).toEqual(Array.from({ length: iterations }, (_, k) => k));
          for (const t of ho.trials) vectors.forEach((v, j) => expect(v.includes((t.params as Record<string, unknown>)[`p${j}`])).toBe(true));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('should emit candidates without results (prior draws), endless without iterations', async () => {
    const all = await lastValueFrom(candidates(new BOHB({ seed: 1 }), readme).pipe(take(25), toArray()));
    expect(all.map((c) => c.i)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(all.every((c) => readme.b.includes(c.params.b) && readme.a.includes(c.params.a))).toBe(true);
  });
});

describe('BOHB learns', () => {
  it('should count −∞ as the worst in hpbandster mode, as HpBandSter does: the same run as with +∞', async () => {
    const run = async (value: number) => {
      const ho = await hyperopt({ space: { x: uniform(0, 1) }, iterations: 60, progress: false, sampler: new BOHB({ seed: 7, mode: 'hpbandster' }) }, ({ x }) =>
        x < 0.15 ? value : x,
      );
      return ho.trials.map((t) => t.params.x);
    };
    const minus = await run(-Infinity);
    expect(minus.filter((x) => x < 0.15).length).toBeGreaterThan(0);
    expect(minus).toEqual(await run(Infinity));
  });

  it('should not repeat a refinement step while more asks are outstanding than it keeps in flight (ask/tell)', () => {
    // Concurrency 1 keeps 4 proposals in flight; a step that fell out of them came back every 5th ask (25 of 30 distinct).
    const f = (p: { x: number; y: number }) => (p.x - 0.3) ** 2 + (p.y - 0.6) ** 2 + 0.5 * (p.x - 0.3) * (p.y - 0.6);
    const ho = new Hyperoptimizer({ space: { x: uniform(0, 1), y: uniform(0, 1) }, iterations: 100, sampler: new BOHB({ seed: 4 }) });
    let told = 0;
    for (const c of ho) {
      ho.tell(c.params, f(c.params), { i: c.i });
      if (++told >= 40) break;
    }
    const asked: string[] = [];
    for (const c of ho) {
      asked.push(`${c.params.x},${c.params.y}`);
      if (asked.length >= 30) break;
    }
    expect(new Set(asked).size).toBe(30);
  });

  it('should let refine set the share of steps below concurrency 1 / refine (a coin, not one slot of two)', async () => {
    // At concurrency 2 one of the two slots always held a step, whatever refine was: these three runs were identical.
    const runs = await Promise.all(
      [0.05, 0.125, 0.49].map(async (refine) => {
        const ho = await hyperopt(
          { space: { x: uniform(0, 1), y: uniform(0, 1) }, iterations: 80, concurrency: 2, progress: false, sampler: new BOHB({ seed: 3, refine }) },
          (p: { x: number; y: number }) => Promise.resolve().then(() => (p.x - 0.3) ** 2 + (p.y - 0.6) ** 2),
        );
        return JSON.stringify(ho.trials.map((t) => [t.i, t.params]));
      }),
    );
    expect(new Set(runs).size).toBe(3);
  });

  it('should take −∞ as the best loss, not the worst (a region returning −∞ draws the later trials)', async () => {
    // Before: every non-finite loss counted as the worst, and 12 of these 30 trials went there (26 for −1e300).
    const ho = await hyperopt({ space: { x: uniform(0, 1) }, iterations: 60, progress: false, sampler: new BOHB({ seed: 7 }) }, ({ x }) => (x < 0.15 ? -Infinity : x));
    expect(ho.minimum).toBe(-Infinity);
    expect(ho.trials.slice(30).filter((t) => t.params.x < 0.15).length).toBeGreaterThanOrEqual(20);
  });

  it('should beat its random start and random search at equal trials (fixed seeds, medians)', async () => {
    const seeds = [0, 1, 2, 3, 4, 5, 6];
    const bohb: number[] = [];
    const random: number[] = [];
    const late: number[] = [];
    const start: number[] = [];
    for (const seed of seeds) {
      const v = await run(new BOHB({ seed }), braninSpace, branin, 60);
      bohb.push(bestOf(v) - 0.397887);
      start.push(median(v.slice(0, 10)));
      late.push(median(v.slice(40)));
      random.push(bestOf(await run(new RandomSampler({ seed }), braninSpace, branin, 60)) - 0.397887);
    }
    expect(median(late)).toBeLessThan(median(start) / 5);
    expect(median(bohb)).toBeLessThan(median(random) / 5);
  });

  it('should also learn in HpBandSter mode, once 2(d + 1) observations exist', async () => {
    const values = await run(new BOHB({ seed: 3, mode: 'hpbandster' }), braninSpace, branin, 80);
    expect(median(values.slice(40))).toBeLessThan(median(values.slice(0, 6)));
  });

  it('should count failed and NaN trials as the worst (onError: skip)', async () => {
    const space = { x: linrange(0, 1, 200), y: linrange(0, 1, 200) };
    const f = ({ x, y }: { x: number; y: number }) => {
      if (x < 0.3) throw new Error('diverged');
      if (y < 0.3) return NaN;
      return (x - 0.6) ** 2 + (y - 0.6) ** 2;
    };
    const ho = await hyperopt({ space, iterations: 80, sampler: new BOHB({ seed: 7 }), onError: 'skip', ...quiet }, f);
    expect(ho.trials).toHaveLength(80);
    const late = ho.trials.slice(40);
    const failedLate = late.filter((t) => t.status === 'failed' || Number.isNaN(t.value)).length;
    const failedEarly = ho.trials.slice(0, 10).filter((t) => t.status === 'failed' || Number.isNaN(t.value)).length;
    // Random search fails about half the time here (1 - 0.7 · 0.7).
    expect(failedEarly).toBeGreaterThan(2);
    expect(failedLate / late.length).toBeLessThan(0.2);
    expect(ho.minimum).toBeLessThan(0.01);
  });

  it('should not collapse parallel draws: with 8 in flight, regret close to concurrency 1', async () => {
    const one: number[] = [];
    const eight: number[] = [];
    for (const seed of [0, 1, 2, 3, 4]) {
      one.push(bestOf(await run(new BOHB({ seed }), braninSpace, branin, 80, 1)) - 0.397887);
      const v = await run(new BOHB({ seed }), braninSpace, branin, 80, 8);
      eight.push(bestOf(v) - 0.397887);
    }
    expect(median(eight)).toBeLessThan(Math.max(4 * median(one), 0.05));
  });

  it('should score fewer candidates per proposal the more configurations are in flight, never fewer than one', () => {
    expect(draws(64, 0)).toBe(64);
    expect(draws(64, 7)).toBe(16); // concurrency 8: 64 / 8^(2/3)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 512 }), fc.integer({ min: 0, max: 10_000 }), (Ns, pending) => {
        const n = draws(Ns, pending);
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(Ns);
        expect(draws(Ns, pending + 1)).toBeLessThanOrEqual(n);
      }),
    );
  });

  it('should continue a run (ho) from the earlier trials without replaying its draws', async () => {
    const sampler = new BOHB({ seed: 5 });
    const ho = await hyperopt({ space: braninSpace, iterations: 30, sampler, ...quiet }, branin);
    const first = ho.trials.slice(0, 30).map((t) => t.params);
    await hyperopt({ space: braninSpace, ho, iterations: 30, ...quiet }, branin);
    expect(ho.trials).toHaveLength(60);
    expect(ho.trials.slice(30).map((t) => t.i)).toEqual(Array.from({ length: 30 }, (_, k) => 30 + k));
    // The continuation is model-based from its first draw: no second random start-up.
    const again = ho.trials.slice(30, 40).map((t) => t.params);
    expect(again).not.toEqual(first.slice(0, 10));
    expect(median(ho.trials.slice(30, 40).map((t) => t.value))).toBeLessThan(median(ho.trials.slice(0, 10).map((t) => t.value)));
  });
});

describe('BOHB as Hyperband’s inner (Hyperopt.jl test_BOHB.jl)', () => {
  const space = { a: linrange(1, 5, 800), c: explinrange(-1, 3, 1800) };
  const f = (a: number, c: number) => 100 + (a - 3) ** 2 + (c - 100) ** 2;
  /** The budget is how many local steps the objective may take from its state (Nelder-Mead in Julia; a coordinate walk here). */
  const objective = ({ a, c }: { a: number; c: number }, t: { resources?: number; state?: unknown }) => {
    let [x, y] = (t.state as [number, number] | undefined) ?? [a, c];
    for (let k = 0; k < Math.floor(t.resources!); k++) {
      const nx = x + (x < 3 ? 0.05 : -0.05);
      const ny = y * (y < 100 ? 1.05 : 1 / 1.05);
      if (f(nx, y) < f(x, y)) x = nx;
      if (f(x, ny) < f(x, y)) y = ny;
    }
    return { value: f(x, y), state: [x, y] as [number, number] };
  };

  it('should run 69 evaluations for R = 50, eta = 3, then 138 continued, with minimum < 300', async () => {
    for (const mode of ['default', 'hpbandster'] as const) {
      const ho = await hyperopt({ space, sampler: new Hyperband({ maxResource: 50, eta: 3, inner: new BOHB({ seed: 1, mode }) }), ...quiet }, objective);
      expect(ho.trials).toHaveLength(69);
      await hyperopt({ space, ho, ...quiet }, objective);
      expect(ho.trials).toHaveLength(138);
      expect(ho.minimum).toBeLessThan(300);
      for (const t of ho.trials) {
        expect(space.a.includes(t.params.a)).toBe(true);
        expect(space.c.includes(t.params.c)).toBe(true);
      }
    }
  });

  it('should handle an unordered categorical of 5 levels with two continuous dims', async () => {
    const levels = ['a', 'b', 'c', 'd', 'e'];
    const space5 = { ...space, k: levels };
    const obj = (p: { a: number; c: number; k: string }, t: { resources?: number; state?: unknown }) => {
      const r = objective(p, t);
      return { value: r.value + levels.indexOf(p.k) * 50, state: r.state };
    };
    const ho = await hyperopt(
      { space: space5, sampler: new Hyperband({ maxResource: 50, eta: 3, inner: new BOHB({ seed: 2, dims: { k: unorderedCategorical(5) } }) }), ...quiet },
      obj,
    );
    expect(ho.trials).toHaveLength(69);
    expect(ho.trials.every((t) => levels.includes(t.params.k))).toBe(true);
    expect(new Set(ho.trials.map((t) => t.params.k)).size).toBe(5);
    expect(ho.minimum).toBeLessThan(300);
  });
});
