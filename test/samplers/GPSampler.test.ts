import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { GPSampler } from '../../src/samplers/GPSampler.js';
import { RandomSampler } from '../../src/samplers/RandomSampler.js';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import { samplerFromDescription } from '../../src/sinks/samplerRegistry.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { linrange } from '../../src/space/linrange.js';
import { explinrange } from '../../src/space/explinrange.js';
import { uniform } from '../../src/space/uniform.js';
import { logUniform } from '../../src/space/logUniform.js';
import { intUniform } from '../../src/space/intUniform.js';
import { categorical } from '../../src/space/categorical.js';
import { isRange, type Range } from '../../src/space/Range.js';
import type { Space } from '../../src/space/Space.js';

const quiet = { progress: false } as const;
const bestOf = (values: number[]) => values.reduce((a, b) => Math.min(a, b), Infinity);

/** Branin on [-5, 10] x [0, 15], minimum 0.397887. */
const branin = ({ x1, x2 }: { x1: number; x2: number }) => {
  const u = x2 - (5.1 / (4 * Math.PI ** 2)) * x1 * x1 + (5 / Math.PI) * x1 - 6;
  return u * u + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
};
const braninSpace = { x1: uniform(-5, 10), x2: uniform(0, 15) };

/** Whether a value is one the space entry can yield. */
function inEntry(entry: readonly unknown[] | Range, value: unknown): boolean {
  if (!isRange(entry)) return entry.includes(value);
  if (typeof value !== 'number' || value < entry.lo || value > entry.hi) return false;
  return entry.kind !== 'intUniform' || Number.isInteger(value);
}

describe('GPSampler options', () => {
  it('should default to 10 initial points and 512 candidates, and describe itself with its seed', () => {
    const s = new GPSampler({ seed: 3 });
    expect([s.nInitial, s.nCandidates, s.seed]).toEqual([10, 512, 3]);
    expect(s.toJSON()).toEqual({ name: 'GPSampler', seed: 3, nInitial: 10, nCandidates: 512 });
  });

  it('should reject bad options with an ArgumentError naming the option', () => {
    const cases: [object, string][] = [
      [{ nInitial: 0 }, 'nInitial'],
      [{ nInitial: 1 }, 'nInitial'],
      [{ nInitial: 2.5 }, 'nInitial'],
      [{ nCandidates: 4 }, 'nCandidates'],
      [{ nCandidates: 1e6 }, 'nCandidates'],
      [{ nCandidates: '64' }, 'nCandidates'],
      [{ seed: NaN }, 'seed'],
      [{ seed: {} }, 'seed'],
      [{ dims: 3 }, 'dims'],
      [{ candidates: 64 }, 'GPSampler.candidates'],
    ];
    for (const [options, option] of cases) {
      let error: unknown;
      try {
        new GPSampler(options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).option).toBe(option);
    }
  });

  it('should reject dims that do not match the space before any objective runs', async () => {
    let calls = 0;
    const run = hyperopt({ space: { a: [1, 2, 3] }, iterations: 5, sampler: new GPSampler({ dims: [categorical(2)] }), ...quiet }, () => ++calls);
    await expect(run).rejects.toThrow(ArgumentError);
    expect(calls).toBe(0);
  });

  it('should rebuild from its description and draw the same run', async () => {
    const sampler = new GPSampler({ seed: 9, nInitial: 4, nCandidates: 64 });
    const again = samplerFromDescription(JSON.parse(JSON.stringify(sampler.toJSON())));
    const a = await hyperopt({ space: braninSpace, iterations: 12, sampler, ...quiet }, branin);
    const b = await hyperopt({ space: braninSpace, iterations: 12, sampler: again, ...quiet }, branin);
    expect(b.history).toEqual(a.history);
  });
});

describe('GPSampler proposals', () => {
  it('should take −∞ as the best value, not the worst (a region returning −∞ draws the later trials)', async () => {
    // Before: −∞ counted as failed, the worst, and none of these 30 trials went there.
    const ho = await hyperopt({ space: { x: uniform(0, 1) }, iterations: 60, progress: false, sampler: new GPSampler({ seed: 7 }) }, ({ x }) => (x < 0.15 ? -Infinity : x));
    expect(ho.trials.slice(30).filter((t) => t.params.x < 0.15).length).toBeGreaterThanOrEqual(20);
  });

  const entry: fc.Arbitrary<readonly unknown[] | Range> = fc.oneof(
    fc.integer({ min: 2, max: 30 }).map((n): readonly unknown[] => linrange(0, 1, n)),
    fc.integer({ min: 2, max: 30 }).map((n): readonly unknown[] => explinrange(-2, 2, n)),
    fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 5 }),
    fc.constant<readonly unknown[]>([true, false]),
    fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 6 }),
    fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: 1e-3, max: 1e3, noNaN: true })).map(([lo, w]): Range => uniform(lo, lo + w)),
    fc.double({ min: 1e-6, max: 1, noNaN: true }).map((lo): Range => logUniform(lo, lo * 1e4)),
    fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 100 })).map(([lo, w]): Range => intUniform(lo, lo + w)),
  );

  it('should propose only values of the space: ranges inside their bounds, integers integral, candidates themselves (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 24 }), fc.integer(), async (entries, iterations, seed) => {
        const space: Space = Object.fromEntries(entries.map((e, j) => [`p${j}`, e]));
        // A deterministic objective of the parameters' unit positions, so the GP has something to fit.
        const f = (p: Record<string, unknown>) =>
          entries.reduce<number>((s, e, j) => {
            const v = p[`p${j}`];
            return s + (isRange(e) ? Math.sin((v as number) * 0.37 + j) : ((e.indexOf(v) * 7919) % 13) / 13);
          }, 0);
        const ho = await hyperopt({ space, iterations, sampler: new GPSampler({ seed, nInitial: 3, nCandidates: 16 }), ...quiet }, f);
        expect(ho.trials).toHaveLength(iterations);
        expect(ho.trials.map((t) => t.i).sort((a, b) => a - b)).toEqual(Array.from({ length: iterations }, (_, k) => k));
        for (const t of ho.trials) entries.forEach((e, j) => expect(inEntry(e, (t.params as Record<string, unknown>)[`p${j}`])).toBe(true));
      }),
      { numRuns: 30 },
    );
  });

  it('should be deterministic for a seed: same seed, same space, same objective, same run (property)', async () => {
    const space = { a: uniform(-2, 2), n: intUniform(0, 9), c: ['x', 'y', 'z'], g: explinrange(-1, 1, 21) };
    const f = ({ a, n, c, g }: { a: number; n: number; c: string; g: number }) => (a - 0.5) ** 2 + Math.abs(n - 4) + (c === 'y' ? 0 : 1) + Math.log(g) ** 2;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1e6 }), async (seed) => {
        const run = () => hyperopt({ space, iterations: 20, sampler: new GPSampler({ seed, nInitial: 5, nCandidates: 64 }), ...quiet }, f);
        const [a, b] = [await run(), await run()];
        expect(b.history).toEqual(a.history);
      }),
      { numRuns: 4 },
    );
  });

  it('should never propose a point twice on a small discrete space, even with trials in flight', async () => {
    const space = { a: [0, 1, 2, 3, 4, 5], b: ['u', 'v', 'w'] };
    const f = ({ a, b }: { a: number; b: string }) => Promise.resolve((a - 3) ** 2 + (b === 'v' ? 0 : 2));
    for (const concurrency of [1, 4]) {
      const ho = await hyperopt({ space, iterations: 18, concurrency, sampler: new GPSampler({ seed: 5, nInitial: 4, nCandidates: 32 }), ...quiet }, f);
      const keys = new Set(ho.trials.map((t) => `${t.params.a}/${t.params.b}`));
      expect(keys.size).toBe(18);
    }
  });

  it('should go on after failed trials, counting them as the worst value seen', async () => {
    const f = ({ x1, x2 }: { x1: number; x2: number }) => {
      if (x1 > 5) throw new Error('diverged');
      return branin({ x1, x2 });
    };
    const ho = await hyperopt({ space: braninSpace, iterations: 30, sampler: new GPSampler({ seed: 2, nInitial: 6, nCandidates: 128 }), onError: 'skip', ...quiet }, f);
    expect(ho.trials).toHaveLength(30);
    const failed = ho.trials.filter((t) => t.status === 'failed').length;
    expect(failed).toBeGreaterThan(0);
    // The model steers away from the failing region: fewer failures after the random start than a third of the proposals.
    const late = ho.trials.filter((t) => t.i >= 6 && t.status === 'failed').length;
    expect(late).toBeLessThan(24 / 3);
    expect(ho.minimum).toBeLessThan(2);
  });

  it('should beat random search on branin after 40 trials for at least 4 of 5 seeds', async () => {
    let wins = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const gp = await hyperopt({ space: braninSpace, iterations: 40, sampler: new GPSampler({ seed }), ...quiet }, branin);
      const random = await hyperopt({ space: braninSpace, iterations: 40, sampler: new RandomSampler({ seed }), ...quiet }, branin);
      if (bestOf(gp.trials.map((t) => t.value)) < bestOf(random.trials.map((t) => t.value))) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(4);
  });

  it('should spread proposals made while trials are in flight (kriging believer) and still converge', async () => {
    // Results come back a macrotask later, so 4 proposals are made without the last 3 results.
    const f = (p: { x1: number; x2: number }) => new Promise<number>((resolve) => setImmediate(() => resolve(branin(p))));
    const ho = await hyperopt({ space: braninSpace, iterations: 40, concurrency: 4, sampler: new GPSampler({ seed: 7 }), ...quiet }, f);
    const xs = ho.trials.map((t) => [t.params.x1, t.params.x2]);
    let closest = Infinity;
    for (let i = 0; i < xs.length; i++) for (let j = 0; j < i; j++) closest = Math.min(closest, Math.hypot(xs[i][0] - xs[j][0], xs[i][1] - xs[j][1]));
    expect(closest).toBeGreaterThan(0);
    expect(ho.minimum - 0.397887).toBeLessThan(0.05);
  });

  it('should serve as Hyperband’s inner sampler, fitting the largest budget with enough observations', async () => {
    // The budget scales a constant offset, so every budget has the same minimiser (x = 0.3).
    const f = ({ x }: { x: number }, trial: { resources?: number }) => (x - 0.3) ** 2 + 1 / (trial.resources ?? 1);
    const run = () =>
      hyperopt({ space: { x: uniform(0, 1) }, iterations: 3, sampler: new Hyperband({ maxResource: 9, eta: 3, inner: new GPSampler({ seed: 4, nInitial: 5 }) }), ...quiet }, f);
    const a = await run();
    const b = await run();
    expect(b.history).toEqual(a.history);
    const top = a.trials.filter((t) => t.resources === 9);
    expect(top.length).toBeGreaterThan(0);
    for (const t of a.trials) expect(inEntry(uniform(0, 1), t.params.x)).toBe(true);
    expect(Math.min(...top.map((t) => Math.abs(t.params.x - 0.3)))).toBeLessThan(0.05);
  });
});
