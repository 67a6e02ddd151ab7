import { describe, it, expect, jest } from '@jest/globals';
import fc from 'fast-check';
import { EMPTY, Observable } from 'rxjs';
import { CLHSampler } from '../../src/samplers/CLHSampler.js';
import { levelCounts } from '../../src/samplers/internal/lhsPlan.js';
import { hyperopt } from '../../src/run/hyperopt.js';
import { candidates } from '../../src/operators/candidates.js';
import { ArgumentError } from '../../src/base/ArgumentError.js';
import { linrange } from '../../src/space/linrange.js';
import { explinrange } from '../../src/space/explinrange.js';
import { uniform } from '../../src/space/uniform.js';
import { continuous } from '../../src/space/continuous.js';
import { categorical } from '../../src/space/categorical.js';
import { unorderedCategorical } from '../../src/space/unorderedCategorical.js';
import { toUnit } from '../../src/space/toUnit.js';
import type { Space } from '../../src/space/Space.js';
import type { Dimensions } from '../../src/space/Dimension.js';
import type { Candidate } from '../../src/trial/Trial.js';

const f = (a: number, b: boolean, c: number) => 100 + (a - 3) ** 2 + (b ? 10 : 20) + (c - 100) ** 2;
const quiet = { progress: false } as const;

function draw(sampler: CLHSampler, space: Space, iterations: number, start = 0): Candidate[] {
  const demand$ = new Observable<void>((subscriber) => {
    while (!subscriber.closed) subscriber.next();
  });
  const out: Candidate[] = [];
  sampler.candidates(space, { iterations, start, past: [], results$: EMPTY, demand$, concurrency: 1 }).subscribe((c) => out.push(c));
  return out;
}

function uses(vector: readonly unknown[], values: unknown[]): number[] {
  return vector.map((e) => values.filter((v) => v === e).length);
}

describe('CLHSampler', () => {
  it("passes Hyperopt.jl's test: [continuous, categorical(2), continuous], 100 rows, min < 300, continuation to 200", async () => {
    const space = { a: linrange(1, 5, 100), b: [true, false], c: explinrange(-1, 3, 100) };
    const sampler = new CLHSampler({ dims: [continuous(), categorical(2), continuous()], seed: 1 });
    const hocl = await hyperopt({ space, iterations: 100, sampler, ...quiet }, ({ a, b, c }) => f(a, b, c));
    expect(hocl.minimum).toBeLessThan(300);
    expect(new Set(hocl.history.map((p) => p.a)).size).toBe(100);
    expect(new Set(hocl.history.map((p) => p.c)).size).toBe(100);
    expect(
      uses(
        space.b,
        hocl.history.map((p) => p.b),
      ),
    ).toEqual([50, 50]);
    await hyperopt({ space, iterations: 100, ho: hocl, sampler, ...quiet }, ({ a, b, c }) => f(a, b, c));
    expect(hocl.history).toHaveLength(200);
    expect(hocl.results).toHaveLength(200);
    expect(
      uses(
        space.b,
        hocl.trials.slice(100).map((t) => t.params.b),
      ),
    ).toEqual([50, 50]);
  });

  it('gives each of L levels floor(n/L) or ceil(n/L) rows, exactly the round-half-to-even counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (n, L, M, seed) => {
        const levels = Array.from({ length: L }, (_, k) => `level${k}`);
        const other = Array.from({ length: M }, (_, k) => ({ k }));
        const space = { x: uniform(0, 1), lvl: levels, o: other };
        const out = draw(new CLHSampler({ dims: { lvl: categorical(L), o: unorderedCategorical(M) }, seed }), space, n);
        expect(out).toHaveLength(n);
        expect(
          uses(
            levels,
            out.map((c) => c.params.lvl),
          ),
        ).toEqual(levelCounts(n, L));
        expect(
          uses(
            other,
            out.map((c) => c.params.o),
          ),
        ).toEqual(levelCounts(n, M));
        // The continuous range keeps one point per stratum.
        const strata = out.map((c) => Math.min(n - 1, Math.floor(toUnit(space.x, c.params.x) * n))).sort((a, b) => a - b);
        expect(strata).toEqual(Array.from({ length: n }, (_, s) => s));
      }),
      { numRuns: 10 }, // 500 generations per plan: few runs keep this quick
    );
  });

  it('infers dims when none are given: booleans and unsorted vectors categorical, sorted numbers continuous', () => {
    const space = { a: linrange(0, 1, 12), b: [true, false], u: [3, 1, 2] };
    const out = draw(new CLHSampler({ seed: 2 }), space, 12);
    expect(new Set(out.map((c) => c.params.a)).size).toBe(12);
    expect(
      uses(
        space.b,
        out.map((c) => c.params.b),
      ),
    ).toEqual([6, 6]);
    expect(
      uses(
        space.u,
        out.map((c) => c.params.u),
      ),
    ).toEqual([4, 4, 4]);
  });

  it('allows continuous vectors whose length is not n (Hyperopt.jl rejects them) and keeps them stratified', () => {
    const space = { a: linrange(1, 5, 5), b: [true, false] };
    const out = draw(new CLHSampler({ dims: [continuous(), categorical(2)], seed: 3 }), space, 20);
    expect(
      uses(
        space.a,
        out.map((c) => c.params.a),
      ),
    ).toEqual([4, 4, 4, 4, 4]);
  });

  it('gives the same plan for the same seed, another for a continuation', () => {
    const space = { a: linrange(0, 1, 16), b: ['x', 'y', 'z'] };
    const sampler = new CLHSampler({ seed: 4 });
    expect(draw(sampler, space, 16)).toEqual(draw(new CLHSampler({ seed: 4 }), space, 16));
    const next = draw(sampler, space, 16, 16);
    expect(next.map((c) => c.i)).toEqual(Array.from({ length: 16 }, (_, k) => 16 + k));
    expect(next.map((c) => c.params)).not.toEqual(draw(sampler, space, 16).map((c) => c.params));
  });

  it('draws a fresh seed when none is given and describes itself for journals', () => {
    const dims = [continuous(), categorical(2)];
    const a = new CLHSampler({ dims });
    expect(a.seed).not.toEqual(new CLHSampler({ dims }).seed);
    expect(a.toJSON()).toEqual({ name: 'CLHSampler', seed: a.seed, dims });
  });

  it('rejects dims that do not match the space with ArgumentError, before any objective call', async () => {
    const space = { a: linrange(1, 5, 10), b: [true, false], c: explinrange(-1, 3, 10) };
    const objective = jest.fn(() => 1);
    const run = (dims: Dimensions) => hyperopt({ space, iterations: 10, sampler: new CLHSampler({ dims, seed: 1 }), ...quiet }, objective);
    await expect(run([continuous(), categorical(2)])).rejects.toThrow(/`dims` has 2 entries but the space has 3 parameters/);
    await expect(run([continuous(), categorical(3), continuous()])).rejects.toThrow(/`dims\[1\]` has 3 levels/);
    await expect(run({ x: continuous() })).rejects.toThrow(/`dims.x`/);
    await expect(run([continuous(), categorical(2), categorical(10)])).resolves.toBeDefined(); // c has 10 candidates: fine
    expect(() => candidates(new CLHSampler({ dims: { a: categorical(2) } }), space, { iterations: 5 })).toThrow(ArgumentError);
    expect(() => candidates(new CLHSampler({ dims: [categorical(2)] }), { r: uniform(0, 1) }, { iterations: 5 })).toThrow(/continuous range/);
    expect(objective).toHaveBeenCalledTimes(10); // only the valid run called it
  });

  it('requires iterations and rejects bad options', () => {
    expect(() => candidates(new CLHSampler({ seed: 1 }), { a: [1, 2] })).toThrow(/`iterations`/);
    expect(() => new CLHSampler({ dims: 3 as never })).toThrow(/`dims`/);
    expect(() => new CLHSampler({ seed: {} as never })).toThrow(/`seed`/);
    expect(() => new CLHSampler({ dim: [] } as never)).toThrow(/`CLHSampler.dim`/);
    expect(new CLHSampler().requiresIterations).toBe(true);
  });
});
