import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { firstValueFrom, toArray, take, tap } from 'rxjs';
import { candidates, RandomSampler, ArgumentError, uniform, intUniform, logUniform } from '../../src/index.js';
import type { Space } from '../../src/index.js';

/** Spaces of 1-4 parameters: candidate vectors of mixed values and ranges. */
const spaceArb = fc
  .array(
    fc.oneof(
      fc.array(fc.oneof(fc.integer(), fc.boolean(), fc.string(), fc.double({ noNaN: true })), { minLength: 1, maxLength: 20 }),
      fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true })).map(([lo, w]) => uniform(lo, lo + w)),
      fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 50 })).map(([lo, w]) => intUniform(lo, lo + w)),
      fc.tuple(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.double({ min: 1.01, max: 1e4, noNaN: true })).map(([lo, f]) => logUniform(lo, lo * f)),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((entries) => Object.fromEntries(entries.map((e, k) => [`p${k}`, e])) as Space);

const seedArb = fc.oneof(fc.integer(), fc.string());

describe('RandomSampler', () => {
  it('emits exactly `iterations` candidates, each value from its vector or range', async () => {
    await fc.assert(
      fc.asyncProperty(spaceArb, seedArb, fc.integer({ min: 1, max: 60 }), async (space, seed, iterations) => {
        const drawn = await firstValueFrom(candidates(new RandomSampler({ seed }), space, { iterations }).pipe(toArray()));
        expect(drawn.map((c) => c.i)).toEqual(Array.from({ length: iterations }, (_, k) => k));
        for (const { params } of drawn) {
          for (const [key, entry] of Object.entries(space)) {
            const v = (params as Record<string, unknown>)[key];
            if (Array.isArray(entry)) expect(entry.some((e) => Object.is(e, v))).toBe(true);
            else {
              const r = entry as { lo: number; hi: number; kind: string };
              expect(v as number).toBeGreaterThanOrEqual(r.lo);
              expect(v as number).toBeLessThanOrEqual(r.hi);
              if (r.kind === 'intUniform') expect(Number.isInteger(v)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reproduces the same sequence from the same seed', async () => {
    await fc.assert(
      fc.asyncProperty(spaceArb, seedArb, async (space, seed) => {
        const a = await firstValueFrom(candidates(new RandomSampler({ seed }), space, { iterations: 20 }).pipe(toArray()));
        const b = await firstValueFrom(candidates(new RandomSampler({ seed }), space, { iterations: 20 }).pipe(toArray()));
        expect(a).toEqual(b);
      }),
      { numRuns: 40 },
    );
  });

  it('is reusable: state lives in the subscription, not on the instance', async () => {
    const sampler = new RandomSampler({ seed: 11 });
    const space = { a: [1, 2, 3, 4, 5, 6, 7, 8] };
    const first = await firstValueFrom(candidates(sampler, space, { iterations: 10 }).pipe(toArray()));
    const second = await firstValueFrom(candidates(sampler, space, { iterations: 10 }).pipe(toArray()));
    expect(second).toEqual(first);
  });

  it('draws every candidate of a vector with about equal probability', async () => {
    const drawn = await firstValueFrom(candidates(new RandomSampler({ seed: 1 }), { a: [0, 1, 2, 3] }, { iterations: 4000 }).pipe(toArray()));
    const counts = [0, 0, 0, 0];
    for (const { params } of drawn) counts[params.a]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120); // > 4 sigma
  });

  it('without iterations is endless, and a downstream take stops production', async () => {
    let produced = 0;
    const drawn = await firstValueFrom(
      candidates(new RandomSampler({ seed: 2 }), { a: [1, 2] }).pipe(
        tap(() => produced++),
        take(5),
        toArray(),
      ),
    );
    expect(drawn).toHaveLength(5);
    expect(produced).toBe(5);
  });

  it('picks a fresh seed when none is given, and reports it', () => {
    const a = new RandomSampler();
    const b = new RandomSampler();
    expect(a.seed).not.toBe(b.seed);
    expect(a.toJSON()).toEqual({ name: 'RandomSampler', seed: a.seed });
  });

  it('rejects a bad seed, and candidates() rejects bad arguments', () => {
    expect(() => new RandomSampler({ seed: NaN })).toThrow(ArgumentError);
    expect(() => new RandomSampler({ seed: {} as never })).toThrow(/`seed`/);
    expect(() => candidates(new RandomSampler(), { a: [] })).toThrow(/`space.a`/);
    expect(() => candidates(new RandomSampler(), { a: [1] }, { iterations: -1 })).toThrow(/`iterations`/);
    expect(() => candidates({} as never, { a: [1] })).toThrow(/`sampler`/);
  });
});
