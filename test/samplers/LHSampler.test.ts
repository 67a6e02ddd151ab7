import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { EMPTY, Observable, lastValueFrom, take, toArray } from 'rxjs';
import { LHSampler } from '../../src/samplers/LHSampler.js';
import { Hyperband } from '../../src/multifidelity/Hyperband.js';
import { budgetedGenerations } from '../../src/samplers/internal/lhsPlan.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import { Hyperoptimizer } from '../../src/sinks/Hyperoptimizer.js';
import { candidates } from '../../src/operators/candidates.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { linrange } from '../../src/space/linrange.js';
import { explinrange } from '../../src/space/explinrange.js';
import { uniform } from '../../src/space/uniform.js';
import { logUniform } from '../../src/space/logUniform.js';
import { intUniform } from '../../src/space/intUniform.js';
import { isRange, type Range } from '../../src/space/Range.js';
import { toUnit } from '../../src/space/toUnit.js';
import type { Space } from '../../src/space/Space.js';
import type { Candidate } from '../../src/trial/Trial.js';

// Hyperopt.jl's test function and Latin hypercube space (test/runtests.jl, "Latin hypercube").
const f = (a: number, b: boolean, c: number) => 100 + (a - 3) ** 2 + (b ? 10 : 20) + (c - 100) ** 2;
const jlSpace = {
  a: linrange(1, 5, 100),
  b: Array.from({ length: 100 }, (_, k) => k % 2 === 0),
  c: explinrange(-1, 3, 100),
};
const quiet = { progress: false } as const;

/** Draws a whole run through the sampler contract, with a synchronous endless demand. */
function draw(sampler: LHSampler, space: Space, iterations: number, start = 0): Candidate[] {
  const demand$ = new Observable<void>((subscriber) => {
    while (!subscriber.closed) subscriber.next();
  });
  const out: Candidate[] = [];
  sampler.candidates(space, { iterations, start, past: [], results$: EMPTY, demand$, concurrency: 1 }).subscribe((c) => out.push(c));
  return out;
}

function strataOf(entry: readonly unknown[] | Range, values: unknown[]): number[] {
  return values.map((v) => Math.min(values.length - 1, Math.floor(toUnit(entry, v) * values.length))).sort((x, y) => x - y);
}

const entryArb: fc.Arbitrary<(n: number) => readonly unknown[] | Range> = fc.oneof(
  fc.constant((n: number) => linrange(0, 1, Math.max(n, 2)).slice(0, n)), // length n: Hyperopt.jl's case
  fc.integer({ min: 1, max: 40 }).map((L) => () => Array.from({ length: L }, (_, k) => ({ k }))), // any length, objects kept by identity
  fc.constant(() => uniform(-3, 7)),
  fc.constant(() => logUniform(1e-5, 10)),
  fc.constant(() => intUniform(-2, 12)),
);

describe('LHSampler', () => {
  it("passes Hyperopt.jl's Latin hypercube test: 100 rows, each candidate once, min < 300, continuation to 200", async () => {
    const sampler = new LHSampler({ seed: 1 });
    const hol = await hyperopt({ space: jlSpace, iterations: 100, sampler, ...quiet }, ({ a, b, c }) => f(a, b, c));
    expect(hol.minimum).toBeLessThan(300);
    expect(hol.history).toHaveLength(100);
    expect(hol.results).toHaveLength(100);
    expect(new Set(hol.history.map((p) => p.a)).size).toBe(100);
    expect(new Set(hol.history.map((p) => p.c)).size).toBe(100);
    expect(hol.history.filter((p) => p.b).length).toBe(50);

    await hyperopt({ space: jlSpace, iterations: 100, ho: hol, sampler, ...quiet }, ({ a, b, c }) => f(a, b, c));
    expect(hol.history).toHaveLength(200);
    expect(hol.results).toHaveLength(200);
    expect(hol.trials.map((t) => t.i)).toEqual(Array.from({ length: 200 }, (_, k) => k));
    // The continuation is a fresh hypercube: each candidate once again, in another arrangement.
    const second = hol.trials.slice(100).map((t) => t.params);
    expect(new Set(second.map((p) => p.a)).size).toBe(100);
    const pairs = (ps: typeof second) => new Set(ps.map((p) => `${p.a},${p.c}`));
    const first = pairs(hol.trials.slice(0, 100).map((t) => t.params));
    expect([...pairs(second)].filter((x) => first.has(x)).length).toBeLessThan(10);
  });

  it('plans each parameter stratified: vectors of length n once each, other lengths and ranges once per stratum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.array(entryArb, { minLength: 1, maxLength: 4 }),
        fc.integer(),
        fc.integer({ min: 0, max: 20 }),
        (n, makers, seed, gaIterations) => {
          const space: Record<string, readonly unknown[] | Range> = {};
          makers.forEach((make, k) => (space[`p${k}`] = make(n)));
          const out = draw(new LHSampler({ seed, gaIterations }), space, n);
          expect(out.map((c) => c.i)).toEqual(Array.from({ length: n }, (_, k) => k));
          for (const [key, entry] of Object.entries(space)) {
            const values = out.map((c) => c.params[key]);
            if (isRange(entry)) {
              for (const v of values) {
                expect(v as number).toBeGreaterThanOrEqual(entry.lo);
                expect(v as number).toBeLessThanOrEqual(entry.hi);
                if (entry.kind === 'intUniform') expect(Number.isInteger(v)).toBe(true);
              }
              if (entry.kind !== 'intUniform') expect(strataOf(entry, values)).toEqual(Array.from({ length: n }, (_, s) => s));
            } else {
              for (const v of values) expect(entry).toContain(v);
              const L = entry.length;
              const uses = entry.map((e) => values.filter((v) => v === e).length);
              // Each element gets about n/L strata: floor or ceil of n/L, give or take one at a shared edge.
              for (const u of uses) {
                expect(u).toBeGreaterThanOrEqual(Math.floor(n / L) - 1);
                expect(u).toBeLessThanOrEqual(Math.ceil(n / L) + 1);
              }
              if (L === n) expect(uses.every((u) => u === 1)).toBe(true);
              if (n % L === 0) expect(uses.every((u) => u === n / L)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('uses an intUniform range of n integers once each', () => {
    const out = draw(new LHSampler({ seed: 3, gaIterations: 5 }), { k: intUniform(1, 12), x: uniform(0, 1) }, 12);
    expect(out.map((c) => c.params.k).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, s) => s + 1));
  });

  it('gives the same candidates for the same seed, and other ones for another seed', () => {
    const space = { a: linrange(0, 1, 30), x: uniform(0, 1) };
    const run = (seed: number) => draw(new LHSampler({ seed, gaIterations: 10 }), space, 30);
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });

  it("defaults gaIterations to Hyperopt.jl's (200000 ÷ n) ÷ d", () => {
    const space = { a: linrange(0, 1, 40), b: linrange(0, 1, 40), c: linrange(0, 1, 40), d: linrange(0, 1, 40), e: linrange(0, 1, 40) };
    const byDefault = draw(new LHSampler({ seed: 8 }), space, 40);
    expect(byDefault).toEqual(draw(new LHSampler({ seed: 8, gaIterations: budgetedGenerations(40, 5) }), space, 40));
    expect(byDefault).not.toEqual(draw(new LHSampler({ seed: 8, gaIterations: 0 }), space, 40));
  });

  it('draws a fresh seed when none is given, and reports it so the plan can be replayed', () => {
    const space = { a: linrange(0, 1, 20), b: linrange(0, 1, 20) };
    const s1 = new LHSampler({ gaIterations: 3 });
    const s2 = new LHSampler({ gaIterations: 3 });
    expect(s1.seed).not.toEqual(s2.seed);
    expect(s1.toJSON()).toEqual({ name: 'LHSampler', seed: s1.seed, gaIterations: 3 });
    expect(draw(new LHSampler({ seed: s1.seed, gaIterations: 3 }), space, 20)).toEqual(draw(s1, space, 20));
  });

  it('plans a different hypercube for a continuation (start > 0), reproducibly', () => {
    const space = { a: linrange(0, 1, 25), b: linrange(0, 1, 25) };
    const sampler = new LHSampler({ seed: 2, gaIterations: 10 });
    const first = draw(sampler, space, 25, 0);
    const next = draw(sampler, space, 25, 25);
    expect(next.map((c) => c.i)).toEqual(Array.from({ length: 25 }, (_, k) => 25 + k));
    expect(next.map((c) => c.params)).not.toEqual(first.map((c) => c.params));
    expect(new Set(next.map((c) => c.params.a)).size).toBe(25);
    expect(draw(sampler, space, 25, 25)).toEqual(next);
  });

  it('emits at most one candidate per demand tick and stops when unsubscribed', () => {
    let ticks = 0;
    const demand$ = new Observable<void>((subscriber) => {
      for (let k = 0; k < 1000 && !subscriber.closed; k++) {
        ticks++;
        subscriber.next();
      }
    });
    const out: Candidate[] = [];
    new LHSampler({ seed: 1, gaIterations: 2 })
      .candidates({ a: linrange(0, 1, 50) }, { iterations: 50, start: 0, past: [], results$: EMPTY, demand$, concurrency: 1 })
      .pipe(take(3))
      .subscribe((c) => out.push(c));
    expect(out).toHaveLength(3);
    expect(ticks).toBe(3);
  });

  it("serves Julia's manual mode: iterating a Hyperoptimizer yields the plan, tell records it", () => {
    const ho = new Hyperoptimizer({ space: { a: linrange(1, 5, 10), b: [true, false] }, iterations: 10, sampler: new LHSampler({ seed: 6, gaIterations: 5 }) });
    const seen: number[] = [];
    for (const { params } of ho) {
      seen.push(params.a);
      ho.tell(params, f(params.a, params.b, 100));
    }
    expect(new Set(seen).size).toBe(10);
    expect(ho.history).toHaveLength(10);
  });

  it('completes after iterations even when demand goes on', async () => {
    const out = await lastValueFrom(candidates(new LHSampler({ seed: 1, gaIterations: 2 }), { a: [1, 2, 3] }, { iterations: 7 }).pipe(toArray()));
    expect(out).toHaveLength(7);
  });

  it('requires iterations: candidates() and validate throw ArgumentError naming it', () => {
    const sampler = new LHSampler({ seed: 1 });
    expect(() => candidates(sampler, { a: [1, 2] })).toThrow(ArgumentError);
    expect(() => sampler.validate({ a: [1, 2] }, undefined)).toThrow(/`iterations`/);
    expect(() => sampler.candidates({ a: [1, 2] }, { start: 0, past: [], results$: EMPTY, demand$: EMPTY, concurrency: 1 })).toThrow(ArgumentError);
    expect(sampler.requiresIterations).toBe(true);
  });

  it('rejects bad options with ArgumentError naming them', () => {
    expect(() => new LHSampler({ gaIterations: -1 })).toThrow(/`gaIterations`/);
    expect(() => new LHSampler({ gaIterations: 2.5 })).toThrow(ArgumentError);
    expect(() => new LHSampler({ seed: NaN })).toThrow(/`seed`/);
    expect(() => new LHSampler({ gaIteration: 3 } as never)).toThrow(/`LHSampler.gaIteration`/);
  });

  it('runs with concurrency > 1 and every stratum is still used once', async () => {
    const ho = await hyperopt(
      { space: { a: linrange(1, 5, 40), c: uniform(0, 200) }, iterations: 40, concurrency: 4, sampler: new LHSampler({ seed: 9, gaIterations: 100 }), ...quiet },
      async ({ a, c }) => f(a, true, c),
    );
    expect(new Set(ho.history.map((p) => p.a)).size).toBe(40);
    expect(
      strataOf(
        uniform(0, 200),
        ho.history.map((p) => p.c),
      ),
    ).toEqual(Array.from({ length: 40 }, (_, s) => s));
  });

  it("works as Hyperband's inner sampler, one hypercube per bracket (Hyperopt.jl: R = 30, eta = 10: 13 evaluations, 26 continued)", async () => {
    const space = { a: linrange(1, 5, 300), c: explinrange(-1, 3, 300) };
    type S = [number, number];
    // Stands in for Optim's Nelder–Mead: each call moves halfway to the optimum, more so with more resources.
    const objective = ({ a, c }: { a: number; c: number }, { resources, state }: { resources?: number; state?: S }) => {
      let [x, y] = state ?? [a, c];
      const step = 1 - 0.5 ** (resources ?? 1);
      x += (3 - x) * step;
      y += (100 - y) * step;
      return { value: f(x, true, y), state: [x, y] as S };
    };
    // Few GA generations: Julia's default for a 2-row bracket is 50,000, which only costs time here.
    const sampler = new Hyperband({ maxResource: 30, eta: 10, inner: new LHSampler({ seed: 5, gaIterations: 20 }) });
    const hohb = await hyperopt({ space, sampler, ...quiet }, objective);
    expect(hohb.minimum).toBeLessThan(300);
    expect(hohb.history).toHaveLength(13);
    await hyperopt({ space, sampler, ho: hohb, ...quiet }, objective);
    expect(hohb.history).toHaveLength(26);
  });
});
